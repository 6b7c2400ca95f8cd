/**
 * SLP requests are asynchronous (cssm-api.md §1.3.11): an upload or authorization request is answered
 * 202 OK_POLL with a poll id, and `/poll` answers OK_POLL until the result is ready, then COMPLETE. Polls are
 * stored, so a restarted cloud still answers them; the first COMPLETE answer is frozen and repeated.
 */
import { randomBytes } from 'node:crypto';
import {
  encodeSmartLicense,
  type AckPayload,
  type DeviceResult,
  type PollAction,
  type PollResponse,
  type SlacPayload,
} from '#protocol';
import type { PollItem, SlpPoll, Tx, VirtualAccount } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { logEvent } from './event-log.ts';
import { slpStateOf } from './slp-instances.ts';
import { policyToSend } from './slp-policy.ts';

/** A random id in [2^62, 2^63): always beyond 2^53, as swapi's are, so clients must keep its digits. */
function newPollId(): string {
  return (BigInt.asUintN(62, randomBytes(8).readBigUInt64BE()) | (1n << 62n)).toString();
}

export async function createPoll(
  tx: Tx,
  ctx: DomainContext,
  va: VirtualAccount,
  poll: { action: PollAction; owner: string; items: PollItem[] },
): Promise<SlpPoll> {
  const now = ctx.clock.now();
  const record: SlpPoll = {
    id: newPollId(),
    ...poll,
    accountId: va.accountId,
    vaId: va.id,
    createdAt: now,
    readyAt: now + ctx.policy.slpResultDelayMs,
    results: null,
  };
  await tx.put('slpPolls', record);
  return record;
}

/** The poll `owner` may fetch with this id and action; anyone else's, or none, is POLL_UNKNOWN. */
export async function requirePoll(tx: Tx, pollId: string, action: PollAction, owner?: string): Promise<SlpPoll> {
  const poll = await tx.get('slpPolls', pollId);
  if (!poll || (owner !== undefined && poll.owner !== owner) || poll.action !== action)
    fail('POLL_UNKNOWN', `no ${action} poll ${pollId} of this caller`);
  return poll;
}

async function acknowledgements(tx: Tx, ctx: DomainContext, poll: SlpPoll): Promise<DeviceResult[]> {
  const account = (await tx.get('smartAccounts', poll.accountId))!;
  const results: DeviceResult[] = [];
  for (const item of poll.items) {
    const instance = await tx.findOne('productInstances', { udi: item.udiKey });
    const va = (await tx.get('virtualAccounts', instance?.vaId ?? poll.vaId))!;
    const policy = instance && policyToSend(va, instance);
    const payload: AckPayload = {
      sudi: item.sudi,
      report_ids: item.reportIds,
      acknowledged_at: poll.readyAt,
      smart_account: account.name,
      virtual_account: va.name,
      ...(policy ? { policy } : {}),
    };
    if (instance && policy) {
      slpStateOf(instance).policySentAt = va.slpPolicy!.setAt;
      await tx.put('productInstances', instance);
    }
    const ack = ctx.licenseKey.signDocument('RUM_ACK', payload);
    results.push({ sudi: item.sudi, smart_license: encodeSmartLicense(ack), status: 'SUCCESS', status_message: null });
    await logEvent(tx, ctx, {
      accountId: va.accountId,
      vaId: va.id,
      kind: 'slp.acknowledged',
      message: `${item.udiKey}: ${item.reportIds.length} RUM report(s) acknowledged${policy ? ` with policy ${policy.name}` : ''}`,
      data: { udi: item.udiKey, pollId: poll.id, reportIds: item.reportIds, policy: policy?.name ?? null },
    });
  }
  return results;
}

/** One SLAC per device, stamped when the result became ready (a return answers one with no keys). */
async function authorizations(_tx: Tx, ctx: DomainContext, poll: SlpPoll): Promise<DeviceResult[]> {
  return poll.items.map((item) => {
    const payload: SlacPayload = {
      sudi: item.sudi,
      keys: item.slac!.keys,
      issued_at: poll.readyAt,
      confirm_code: item.slac!.confirmCode,
    };
    const slac = ctx.licenseKey.signDocument('SLAC', payload);
    return { sudi: item.sudi, smart_license: encodeSmartLicense(slac), status: 'SUCCESS', status_message: null };
  });
}

const resultBuilders: Record<PollAction, (tx: Tx, ctx: DomainContext, poll: SlpPoll) => Promise<DeviceResult[]>> = {
  acknowledgements,
  authorizations,
};

/** OK_POLL before the poll's readyAt (lab clock), else COMPLETE with the (frozen) per-device results. */
export async function answerPoll(tx: Tx, ctx: DomainContext, poll: SlpPoll): Promise<PollResponse> {
  if (ctx.clock.now() < poll.readyAt) return { status: 'OK_POLL', poll_id: poll.id, message: '' };
  if (!poll.results) {
    poll.results = await resultBuilders[poll.action](tx, ctx, poll);
    await tx.put('slpPolls', poll);
  }
  return { status: 'COMPLETE', type: poll.action, data: { [poll.action]: poll.results } };
}
