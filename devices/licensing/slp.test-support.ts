/**
 * SLP devices for tests: on a stepped lab clock, trusting one test portal key, with a scripted SLP cloud
 * (the wire contract's answers, documents signed by the portal key) unless a test gives another.
 */
import { generateKeyPairSync } from 'node:crypto';
import { LabClock } from '#lab';
import {
  encodeSmartLicense,
  formatSlpFile,
  FILE_ELEMENTS,
  signDocument,
  type DocumentKind,
  type PollAction,
  type PollResponse,
  type RumPayload,
  type RumReport,
  type SignedDocument,
  parseReservationRequestCode,
  type ReservationPayload,
  type ReservationType,
} from '#protocol';
import type { CloudResult } from './cloud-client/cloud-result.ts';
import type { SlacKey, SlpCaller, SlpCloud } from './cloud-client/slp-cloud-client.ts';
import type { SmartCloud } from './cloud-exchange.ts';
import { createDeviceEnvironment } from '../device-environment.ts';
import { VirtualDevice, type DeviceOptions } from '../device.ts';

export const START = Date.parse('2026-03-13T08:00:00Z');
const portal = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
export const portalPem = portal.publicKey.export({ type: 'spki', format: 'pem' }) as string;

/** A document signed by the portal (or by a key the devices do not trust). */
export function signed(kind: DocumentKind, payload: object, by: 'portal' | 'stranger' = 'portal'): SignedDocument {
  const k = by === 'portal' ? portal : stranger;
  return signDocument(kind, payload, k.privateKey, k.publicKey);
}

export const sudiOf = (d: VirtualDevice) => ({ udi_pid: d.udi.pid, udi_serial_number: d.udi.sn });

/** An ACK of `ids` for device `d`, as a signed document. */
export function ackFor(d: VirtualDevice, ids: readonly number[], extra: object = {}): SignedDocument {
  return signed('RUM_ACK', {
    sudi: sudiOf(d),
    report_ids: ids,
    acknowledged_at: START,
    smart_account: 'example.com',
    virtual_account: 'Default',
    ...extra,
  });
}

export const slpFile = (docs: readonly SignedDocument[]): string =>
  formatSlpFile(
    docs.map((d) => ({
      element: (
        {
          RUM_ACK: FILE_ELEMENTS.RUM_ACK,
          POLICY: FILE_ELEMENTS.POLICY,
          TRUST_CODE: FILE_ELEMENTS.TRUST_CODE,
          SLAC: FILE_ELEMENTS.SLAC,
          RESERVATION: FILE_ELEMENTS.RESERVATION,
        } as const
      )[d.kind],
      value: d,
    })),
  );

export const reportIds = (usage: readonly RumReport[]): number[] =>
  usage.map((u) => (JSON.parse(u.payload) as RumPayload).asset_identification.report_id);

export type Answer<T> = CloudResult<T> | 'hang';

/**
 * A scripted SLP cloud: uploads answer OK_POLL, polls answer with an ACK of what was uploaded, trust
 * requests with a trust code for the caller's key. Each can be replaced per test; every call is kept.
 */
export class ScriptedSlpCloud implements SlpCloud {
  readonly calls: { op: string; caller: SlpCaller; usage?: readonly RumReport[] }[] = [];
  uploaded: RumReport[] = [];
  reportUsageAnswer?: () => Answer<never> | undefined;
  pollAnswer?: (uploaded: readonly RumReport[], caller: SlpCaller) => Answer<PollResponse>;
  trustAnswer?: (caller: SlpCaller) => Answer<{ status: 'SUCCESS'; smart_license: string }>;

  async reportUsage(caller: SlpCaller, usage: readonly RumReport[]) {
    this.calls.push({ op: 'reportUsage', caller, usage });
    const scripted = this.reportUsageAnswer?.();
    if (scripted === 'hang') return new Promise<never>(() => {});
    if (scripted) return scripted;
    this.uploaded = [...usage];
    return {
      ok: true as const,
      body: {
        status: 'OK_POLL' as const,
        poll_id: '773126444402795033',
        poll_interval: 300,
        action: 'acknowledgements' as const,
        timestamp: 0,
        nonce: 'n',
      },
    };
  }

  authRequestAnswer?: () => Answer<never> | undefined;
  requested: SlacKey[] = [];
  removeCodes: (string | undefined)[] = [];

  async authRequest(caller: SlpCaller, keys: readonly SlacKey[], removeCode?: string) {
    this.calls.push({ op: 'authRequest', caller });
    this.removeCodes.push(removeCode);
    const scripted = this.authRequestAnswer?.();
    if (scripted === 'hang') return new Promise<never>(() => {});
    if (scripted) return scripted;
    this.requested = [...keys];
    return {
      ok: true as const,
      body: {
        status: 'OK_POLL' as const,
        poll_id: '42',
        poll_interval: 300,
        action: 'authorizations' as const,
        timestamp: 0,
        nonce: 'n',
      },
    };
  }

  async poll(caller: SlpCaller, _pollId: string, action: PollAction): Promise<CloudResult<PollResponse>> {
    this.calls.push({ op: action === 'authorizations' ? 'authPoll' : 'poll', caller });
    if (action === 'authorizations') {
      const slac = signed('SLAC', {
        sudi: caller.sudi,
        keys: this.requested,
        issued_at: START,
        confirm_code: 'c0nf1rm',
      });
      const result = {
        sudi: caller.sudi,
        smart_license: encodeSmartLicense(slac),
        status: 'SUCCESS' as const,
        status_message: null,
      };
      return { ok: true, body: { status: 'COMPLETE', type: 'authorizations', data: { authorizations: [result] } } };
    }
    const scripted = this.pollAnswer?.(this.uploaded, caller);
    if (scripted === 'hang') return new Promise<never>(() => {});
    if (scripted) return scripted;
    const ack = signed('RUM_ACK', {
      sudi: caller.sudi,
      report_ids: reportIds(this.uploaded),
      acknowledged_at: START,
      smart_account: 'example.com',
      virtual_account: 'Default',
    });
    return {
      ok: true,
      body: {
        status: 'COMPLETE',
        type: 'acknowledgements',
        data: {
          acknowledgements: [
            { sudi: caller.sudi, smart_license: encodeSmartLicense(ack), status: 'SUCCESS', status_message: null },
          ],
        },
      },
    };
  }

  async trust(caller: SlpCaller) {
    this.calls.push({ op: 'trust', caller });
    const scripted = this.trustAnswer?.(caller);
    if (scripted === 'hang') return new Promise<never>(() => {});
    if (scripted) return scripted;
    return {
      ok: true as const,
      body: {
        status: 'SUCCESS' as const,
        smart_license: encodeSmartLicense(trustCodeFor(caller.sudi, caller.publicKeySpkiB64)),
      },
    };
  }
}

export function trustCodeFor(sudi: { udi_pid: string; udi_serial_number: string }, publicKey: string): SignedDocument {
  return signed('TRUST_CODE', {
    sudi,
    public_key: publicKey,
    issued_at: START,
    valid_from: START - 300_000,
    valid_until: START + 2924 * 86_400_000,
    smart_account: 'example.com',
    virtual_account: 'Default',
    export_controlled: true,
  });
}

const noSmartCloud = {} as SmartCloud;

export function slpLab(options: { start?: number; cloud?: SlpCloud } = {}) {
  const clock = LabClock.create({ mode: 'stepped', start: options.start ?? START });
  const cloud = options.cloud ?? new ScriptedSlpCloud();
  const environment = createDeviceEnvironment({
    clock,
    cloud: { client: noSmartCloud },
    licenseKeys: [portalPem],
    slp: { cloud },
  });
  const device = (o: Partial<DeviceOptions> = {}): VirtualDevice =>
    new VirtualDevice({ pid: 'C9300-24P', sn: 'FCW2303D16Y', release: '17.9.4', reloadMs: 60_000, ...o, environment });
  return { clock, environment, cloud, device };
}

export const mnemonics = (d: VirtualDevice): string[] => d.events().map((e) => e.syslog.mnemonic);
export const lines = (d: VirtualDevice, mnemonic: string): string[] =>
  d
    .events()
    .filter((e) => e.syslog.mnemonic === mnemonic)
    .map((e) => e.line);

/** The confirmation code `authorizationCode` puts in (§8.2's captured `17488c1f`, upper case as ours are). */
export const CONFIRMATION = '17488C1F';

/** The portal's answer to a request code, as cloud-mock/domain/reservations.ts builds it (one line). */
export function authorizationCode(
  requestCode: string,
  tags: readonly string[],
  o: { by?: 'portal' | 'stranger'; type?: ReservationType; confirmation?: string } = {},
): string {
  const parsed = parseReservationRequestCode(requestCode);
  if (!parsed.ok) throw new Error(parsed.reason);
  const payload: ReservationPayload = {
    udi: { udi_pid: parsed.udi.pid, udi_serial_number: parsed.udi.sn },
    type: o.type ?? 'SPECIFIC',
    licenses: tags.map((entitlementTag) => ({ entitlementTag, quantity: 1 })),
    issued_at: START,
    confirmation_code: o.confirmation ?? CONFIRMATION,
  };
  return slpFile([signed('RESERVATION', payload, o.by)]).trim();
}
