/**
 * The SLP part of the running configuration (`license smart transport|url|usage interval`, saved by
 * `write memory`): where usage reports go and how often. The agent reads it at boot and hears of changes.
 */
import { CSLU_DEFAULT_PORT, CSLU_PI_BASE } from '#protocol';

export type SlpTransport = 'smart' | 'cslu' | 'callhome' | 'off';
export const SLP_TRANSPORTS: readonly SlpTransport[] = ['smart', 'cslu', 'callhome', 'off'];

export interface SlpConfig {
  transport: SlpTransport;
  /** `license smart url cslu <url>`; absent: the device looks for `cslu-local` (`Cslu address: <empty>`). */
  csluUrl?: string;
  /** `license smart url smart <url>`; absent: the Cisco default. */
  smartUrl?: string;
  /** `license smart usage interval <days>`; absent: the policy decides (slp-policy.ts). */
  usageIntervalDays?: number;
}

/**
 * CSLU: the documented default of 17.3.2+ (the early captures show `Type: cslu` with an empty address);
 * whether later releases default to Smart is unconfirmed (smart-licensing.md §9.1).
 */
export const DEFAULT_SLP_CONFIG: SlpConfig = Object.freeze({ transport: 'cslu' });

/** `Transport: URL:` of Smart transport (NTC status4, §4.7). */
export const DEFAULT_SMART_URL = 'https://smartreceiver.cisco.com/licservice/license';

/** The DNS name a device with no CSLU URL looks up (§5.3 COMM_FAILED reason list). */
export const CSLU_DISCOVERY_HOST = 'cslu-local';
export const CSLU_DISCOVERY_URL = `http://${CSLU_DISCOVERY_HOST}:${CSLU_DEFAULT_PORT}${CSLU_PI_BASE}`;

export function csluUrlOf(config: SlpConfig): string {
  return config.csluUrl ?? CSLU_DISCOVERY_URL;
}
