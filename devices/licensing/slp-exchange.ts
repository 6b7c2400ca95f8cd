/**
 * The SLP chart's exchange actor: it sends the request the chart describes through the SlpCloud (signed
 * with the device key), opens the documents the answer carries against the portal keys the device trusts,
 * and answers with one `slp.answered.<op>` event. Bounded in lab time like the Smart exchange; an exchange
 * whose state was left answers nothing.
 */
import { boundedExchange } from './bounded-exchange.ts';
import { decodeSmartLicense, type Clock, type LicenseTrust } from '#protocol';
import type { CloudResult } from './cloud-client/cloud-result.ts';
import type { SlpCaller, SlpCloud, SlpDestination } from './cloud-client/slp-cloud-client.ts';
import type { KeyRing } from './device-key.ts';
import { csluUrlOf, type SlpConfig } from './slp-config.ts';
import type { SlpAnswer, SlpEvent, SlpExchangeInput, SlpFailure } from './slp-context.ts';
import { openDocuments } from './slp-import.ts';
import { TIMEOUT_REASON } from './smart-record.ts';

export interface SlpExchangeOptions {
  cloud: SlpCloud;
  clock: Clock;
  keys: KeyRing;
  trust: LicenseTrust;
  tracked: boolean;
}

export function destinationOf(config: SlpConfig): SlpDestination {
  return config.transport === 'cslu' ? { kind: 'cslu', url: csluUrlOf(config) } : { kind: 'cssm' };
}

const failure = (r: Extract<CloudResult<unknown>, { ok: false }>): SlpFailure => ({
  ok: false,
  kind: r.kind === 'comm' ? 'comm' : 'refused',
  reason: r.reason,
});

function failed(op: SlpExchangeInput['request']['op'], reason: string): SlpAnswer {
  return { type: `slp.answered.${op}`, result: { ok: false, kind: 'comm', reason } } as SlpAnswer;
}

async function ask(o: SlpExchangeOptions, input: SlpExchangeInput): Promise<SlpAnswer> {
  const { device: d, request: r } = input;
  const caller: SlpCaller = {
    sudi: d.sudi,
    hostname: d.hostname,
    key: o.keys.get(d.keyPem).key,
    publicKeySpkiB64: d.publicKeySpkiB64,
    clockOffsetMs: d.clockOffsetMs,
    destination: destinationOf(input.config),
  };
  const open = (encoded: readonly string[]) => {
    const opened = openDocuments(encoded.map(decodeSmartLicense), o.trust);
    return opened.ok
      ? ({ ok: true, documents: opened.value } as const)
      : ({ ok: false, kind: 'comm', reason: `Invalid license document: ${opened.reason}` } as const);
  };
  switch (r.op) {
    case 'reportUsage': {
      const a = await o.cloud.reportUsage(caller, input.usage);
      return {
        type: 'slp.answered.reportUsage',
        result: a.ok ? { ok: true, pollId: a.body.poll_id, pollIntervalS: a.body.poll_interval } : failure(a),
      };
    }
    case 'poll':
    case 'authPoll': {
      const type = `slp.answered.${r.op}` as const;
      const a = await o.cloud.poll(caller, r.pollId, r.op === 'poll' ? 'acknowledgements' : 'authorizations');
      if (!a.ok) return { type, result: failure(a) };
      const b = a.body;
      if (b.status === 'OK_POLL') return { type, result: { ok: true, status: 'pending' } };
      if (b.status === 'FAILED') return { type, result: { ok: false, kind: 'refused', reason: b.message } };
      const results = (r.op === 'poll' ? b.data.acknowledgements : b.data.authorizations) ?? [];
      const refused = results.find((x) => x.status === 'FAILED');
      if (refused) return { type, result: { ok: false, kind: 'refused', reason: refused.status_message ?? 'FAILED' } };
      const docs = open(results.map((x) => x.smart_license));
      return { type, result: docs.ok ? { ...docs, status: 'complete' } : docs };
    }
    case 'authRequest': {
      const a = await o.cloud.authRequest(caller, r.keys, r.removeCode);
      return {
        type: 'slp.answered.authRequest',
        result: a.ok ? { ok: true, pollId: a.body.poll_id, pollIntervalS: a.body.poll_interval } : failure(a),
      };
    }
    case 'trust': {
      const a = await o.cloud.trust(caller, r.idToken, r.force);
      return { type: 'slp.answered.trust', result: a.ok ? open([a.body.smart_license]) : failure(a) };
    }
  }
}

export function slpExchange(options: SlpExchangeOptions) {
  return boundedExchange<SlpEvent, SlpExchangeInput>(
    options,
    (input) => ask(options, input),
    (input) => failed(input.request.op, TIMEOUT_REASON),
  );
}
