/**
 * What every device of one lab shares: the lab clock and the way to the cloud, and with them the Smart
 * agents' machine (one per environment: a machine costs ~90 KB and ~0.4 ms to build, a device nothing).
 */
import type { Clock } from '#protocol';
import {
  CallHomeClient,
  SmartCloudClient,
  type CallHomeLogin,
  type CloudTransport,
} from './licensing/cloud-client/index.ts';
import { slpCloudOf, type SlpEnvironmentOptions } from './licensing/cloud-client/slp-cloud-of.ts';
import { createSlpRuntime, type SlpRuntime } from './licensing/slp-agent.ts';
import type { SmartCloud } from './licensing/cloud-exchange.ts';
import { createSmartRuntime, type SmartRuntime } from './licensing/smart-agent.ts';
import { createTraditionalRuntime, type TraditionalRuntime } from './licensing/traditional-agent.ts';
import type { SyslogWire } from './syslog/syslog-output.ts';
import type { TrapWire } from './snmp/trap-output.ts';

export interface DeviceEnvironmentOptions {
  clock: Clock;
  /** The cloud over a transport (every answer verified against the trust anchor), or any SmartCloud stand-in. */
  cloud: { transport: CloudTransport; trustAnchorPem: string } | { client: SmartCloud };
  /**
   * The stepped lab clock waits for every exchange before it fires the next timer (`clock.track`): needed
   * when answers take real time (HTTP), wrong for an in-process cloud whose lab faults delay answers in lab
   * time (the clock would wait for an answer that waits for the clock). Default false.
   */
  trackExchanges?: boolean;
  /**
   * The license registration portal's public signing keys (PEM) traditional devices verify license lines
   * with (`CloudService.licenseKey.publicKeyPem`, `GET /swift/licensing/signing-key`); default none, so
   * every license file is refused as signed by an untrusted key.
   */
  licenseKeys?: readonly string[];
  /** Where `logging host` messages go (a shared SyslogSender) and the lab's collectors; default nowhere. */
  syslog?: SyslogWire;
  /** Where SNMP notifications go (a shared trap sender) and the lab's trap collectors; default nowhere. */
  traps?: TrapWire;
  /** Smart Licensing Using Policy devices: how they reach a CSLU, or a stand-in for the whole SLP cloud. */
  slp?: SlpEnvironmentOptions;
  /**
   * The Cisco.com account the lab's operator answers `license call-home`'s prompts with (a portal user with
   * a password); with a cloud transport, traditional devices then reach the portal themselves. Default none.
   */
  callHomeLogin?: CallHomeLogin;
}

export interface DeviceEnvironment {
  readonly clock: Clock;
  readonly smart: SmartRuntime;
  readonly traditional: TraditionalRuntime;
  readonly slp: SlpRuntime;
  readonly syslog?: SyslogWire;
  readonly traps?: TrapWire;
}

export function createDeviceEnvironment(options: DeviceEnvironmentOptions): DeviceEnvironment {
  const { clock } = options;
  const cloud =
    'client' in options.cloud
      ? options.cloud.client
      : new SmartCloudClient({ ...options.cloud, now: () => clock.now(), transportType: 'Callhome' });
  const callHome =
    options.callHomeLogin && 'transport' in options.cloud
      ? new CallHomeClient({ ...options.cloud, login: options.callHomeLogin })
      : undefined;
  const traditional = createTraditionalRuntime({
    clock,
    ...(options.licenseKeys ? { licenseKeys: options.licenseKeys } : {}),
    ...(callHome ? { callHome } : {}),
  });
  const smart = createSmartRuntime({
    clock,
    cloud,
    tracked: options.trackExchanges ?? false,
    trust: traditional.trust,
  });
  const slp = createSlpRuntime({
    clock,
    cloud: slpCloudOf(options.cloud, options.slp, () => clock.now()),
    keys: smart.keys,
    trust: traditional.trust,
    tracked: options.trackExchanges ?? false,
  });
  return {
    clock,
    smart,
    traditional,
    slp,
    ...(options.syslog ? { syslog: options.syslog } : {}),
    ...(options.traps ? { traps: options.traps } : {}),
  };
}
