/**
 * What goes into the SLP agent's chart and what comes out. In: commands the agent has already checked
 * (documents verified whole, a trust request on a transport that can carry it), facts about the device,
 * and the cloud's answers. Out, through XState's `emit()`: every %SMART_LIC message with its trap context.
 * Context is plain JSON.
 */
import type { RumReport, Sudi, Udi } from '#protocol';
import type { SlpConfig } from './slp-config.ts';
import type { OpenedDocument } from './slp-import.ts';
import type { SlpEntitlement } from './slp-policy.ts';
import type { SlpRecord } from './slp-record.ts';
import type { SlpTimers } from './slp-timers.ts';
import type { Refusal, ReservationEvent, SmartLicEmission } from './smart-events.ts';

export interface SlpDevice {
  udi: Udi;
  sudi: Sudi;
  softwareVersion: string;
  hostname: string;
  clockOffsetMs: number;
  keyPem: string;
  publicKeySpkiB64: string;
}

export interface SlpInput {
  record: SlpRecord;
  timers: SlpTimers;
  config: SlpConfig;
  /** The licenses the running level asks for (in use unless they need a SLAC the device lacks). */
  entitlements: readonly SlpEntitlement[];
  device: SlpDevice;
}

export interface SlpContext extends SlpInput {
  /** The upload the cloud is working on, and when the device asks for its ACK (`Next ACK push check`). */
  pollId?: string;
  nextAckCheckAt?: number;
  /** Failed uploads in a row, and when the next try is due. */
  failures: number;
  nextRetryAt?: number;
  /** The idtoken of the trust request in flight. */
  trustRequest?: { idToken: string; force: boolean };
  /** The SLAC request in flight: the license asked for, the cloud's poll, when to ask for the code. */
  slacRequest?: { tag: string; count: number; pollId?: string; checkAt?: number; removeCode?: string };
}

/**
 * A failed exchange: `comm` brought no answer the device believes (COMM_FAILED; documents that do not
 * verify count here, as unsigned answers do for Smart), `refused` the cloud said no.
 */
export interface SlpFailure {
  ok: false;
  kind: 'comm' | 'refused';
  reason: string;
}

export type SlpAnswer =
  | { type: 'slp.answered.reportUsage'; result: { ok: true; pollId: string; pollIntervalS: number } | SlpFailure }
  | {
      type: 'slp.answered.poll';
      result:
        { ok: true; status: 'pending' } | { ok: true; status: 'complete'; documents: OpenedDocument[] } | SlpFailure;
    }
  | { type: 'slp.answered.trust'; result: { ok: true; documents: OpenedDocument[] } | SlpFailure }
  | { type: 'slp.answered.authRequest'; result: { ok: true; pollId: string; pollIntervalS: number } | SlpFailure }
  | {
      type: 'slp.answered.authPoll';
      result:
        { ok: true; status: 'pending' } | { ok: true; status: 'complete'; documents: OpenedDocument[] } | SlpFailure;
    };

export type SlpCommand =
  | { type: 'license.trust'; idToken: string; force: boolean }
  | { type: 'license.sync' }
  /** `license smart save usage`, the REST API's close-reports: the open reports close now. */
  | { type: 'license.closeReports' }
  /** A file written by `license smart save usage` (`Last report file write`). */
  | { type: 'license.usageSaved' }
  /** Documents checked for this device (slp-import.ts). */
  | { type: 'license.import'; documents: readonly OpenedDocument[] }
  | { type: 'license.factoryReset' }
  | { type: 'config.changed'; config: SlpConfig }
  /** `license smart authorization request add <feature>`: checked by the agent (a license that needs one). */
  | { type: 'license.authorize'; tag: string; count: number }
  /** `license smart authorization return … online`: the SLAC goes back to the cloud, then leaves. */
  | { type: 'license.authorizationReturn' }
  /**
   * `license smart reservation …`: codes made and authorization codes verified by the agent
   * (reservation-command.ts).
   */
  | ReservationEvent;

export type SlpFact = { type: 'clock.changed'; clockOffsetMs: number } | { type: 'hostname.changed'; hostname: string };

export type SlpEvent =
  | SlpCommand
  | SlpFact
  | SlpAnswer
  /** Raised when the ACK deadline or the trust may have moved: the regions route again. */
  | { type: 'ack.changed' }
  | { type: 'trust.changed' }
  /** Raised when a reservation is installed or returned: reporting routes again (none while reserved). */
  | { type: 'reservation.changed' };

/** Every %SMART_LIC message, and a reservation command the state refuses (the classic texts, REFUSAL_TEXT). */
export type SlpEmitted = SmartLicEmission | { type: 'command.refused'; refusal: Refusal };

export type SlpRequest =
  | { op: 'reportUsage' }
  | { op: 'poll'; pollId: string }
  | { op: 'trust'; idToken: string; force: boolean }
  /** A SLAC asked for (`keys`), or returned (`keys: []` and the SLAC's confirm code as `removeCode`). */
  | { op: 'authRequest'; keys: readonly { entitlement: string; count: number }[]; removeCode?: string }
  | { op: 'authPoll'; pollId: string };

/** What the exchange actor is given: plain data (the key as PEM), the usage to send taken from the record. */
export interface SlpExchangeInput {
  request: SlpRequest;
  device: SlpDevice;
  config: SlpConfig;
  usage: readonly RumReport[];
  timeoutMs: number;
}
