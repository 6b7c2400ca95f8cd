/**
 * RUM report uploads (smart-licensing.md §9.4, cssm-api.md §1.3.11): every report is checked (shape,
 * signature over its payload with a key of a type registration accepts, the key trusted or pinned for its
 * UDI, one UDI throughout, a report id counted once) before anything is recorded, so an upload lands whole
 * or not at all. Accepted usage sets each instance's latest count per entitlement tag, which is what the
 * VA's pools count as in use.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  reportSignatureValid,
  RumPayload,
  sameSudi,
  sudiString,
  type ReportUsageRequest,
  type RumReport,
} from '#protocol';
import type { PollItem, ProductInstance, SlpPoll, Tx } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { parsedKey } from './device-auth.ts';
import { fail } from './domain-error.ts';
import { logEvent } from './event-log.ts';
import { reportUsage } from './product-instances.ts';
import { createPoll } from './slp-polls.ts';
import { entryInstance, slpStateOf, type UploadMode } from './slp-instances.ts';

export type UsageEntry = ReportUsageRequest['data']['reports'][number];

const checkPayload = TypeCompiler.Compile(RumPayload);

/** The report's payload, once its signature, key and UDIs check out; refusals name the report. */
function openReport(report: RumReport, entry: UsageEntry, expectedKey: string | null, at: string): RumPayload {
  const udi = sudiString(entry.sudi);
  // A key of a type registration refuses is KEY_INVALID here too, before it can be pinned or cached.
  if (!reportSignatureValid(report, parsedKey(report.signature.key, at)))
    fail('RUM_REPORT_INVALID', `${at}: the signature does not cover the payload with the key it names`);
  if (expectedKey !== null && report.signature.key !== expectedKey)
    fail('RUM_KEY_MISMATCH', `${at}: signed with a key other than the one ${udi} is trusted (or was first seen) with`);
  let payload: unknown;
  try {
    payload = JSON.parse(report.payload);
  } catch {
    fail('RUM_REPORT_INVALID', `${at}: the payload is not JSON`);
  }
  if (!checkPayload.Check(payload)) {
    const e = checkPayload.Errors(payload).First();
    fail('RUM_REPORT_INVALID', `${at}: the payload is not a RUM report (${e?.path || '/'}: ${e?.message})`);
  }
  const instanceSudi = payload.asset_identification.instance.sudi;
  if (!sameSudi(report.signature.sudi, entry.sudi) || !sameSudi(instanceSudi, entry.sudi))
    fail(
      'RUM_REPORT_INVALID',
      `${at}: the report is of ${sudiString(instanceSudi)}, signed as ${sudiString(report.signature.sudi)}, in the entry of ${udi}; all three must be one UDI`,
    );
  return payload;
}

/** The count of the latest ENTITLEMENT measurement (by end time), if the report has one. */
function latestCount(payload: RumPayload): { count: number; endTime: number } | undefined {
  let latest: { count: number; endTime: number } | undefined;
  for (const m of payload.measurements)
    if (m.metric_name === 'ENTITLEMENT' && (!latest || m.end_time >= latest.endTime))
      latest = { count: Number(m.value.value), endTime: m.end_time };
  return latest;
}

/** Checks and records an upload; answers the poll its acknowledgements will come from. */
export async function acceptUsage(
  tx: Tx,
  ctx: DomainContext,
  entries: UsageEntry[],
  mode: UploadMode,
  owner: string,
): Promise<SlpPoll> {
  const now = ctx.clock.now();
  const accepted: {
    instance: ProductInstance;
    item: PollItem;
    tags: string[];
    counts: Map<string, number>;
  }[] = [];
  const seen = new Set<string>();
  const udis = new Set<string>();
  for (const [e, entry] of entries.entries()) {
    const udiKey = sudiString(entry.sudi);
    if (udis.has(udiKey)) fail('RUM_REPORT_INVALID', `reports[${e}]: ${udiKey} has more than one entry in the upload`);
    udis.add(udiKey);
    const instance = await entryInstance(tx, ctx, entry, mode, entry.usage[0]!.signature.key);
    const slp = slpStateOf(instance);
    const item: PollItem = { udiKey: instance.udiKey, sudi: entry.sudi, reportIds: [] };
    const tags: string[] = [];
    const counts = new Map<string, { count: number; endTime: number }>();
    for (const [r, report] of entry.usage.entries()) {
      const at = `reports[${e}].usage[${r}]`;
      // Under the pinned mode the first report of an unknown UDI names the key the rest must match.
      const payload = openReport(report, entry, slp.reportKey ?? entry.usage[0]!.signature.key, at);
      const reportId = payload.asset_identification.report_id;
      const id = `${instance.udiKey} ${reportId}`;
      if (seen.has(id) || (await tx.get('rumReports', id)))
        fail(
          'RUM_REPORT_DUPLICATE',
          `${at}: report ${reportId} of ${instance.udiKey} was already uploaded; nothing of this upload was recorded`,
        );
      seen.add(id);
      const tag = payload.meta.entitlement_tag;
      item.reportIds.push(reportId);
      tags.push(tag);
      const latest = latestCount(payload);
      if (latest && latest.endTime >= (counts.get(tag)?.endTime ?? -1)) counts.set(tag, latest);
    }
    slp.reportKey ??= entry.usage[0]!.signature.key;
    accepted.push({ instance, item, tags, counts: new Map([...counts].map(([tag, c]) => [tag, c.count])) });
  }
  const va = mode.kind === 'pinned' ? mode.va : (await tx.get('virtualAccounts', mode.instance.vaId))!;
  const poll = await createPoll(tx, ctx, va, {
    action: 'acknowledgements',
    owner,
    items: accepted.map((a) => a.item),
  });
  for (const { instance, item, tags, counts } of accepted) {
    for (const [i, reportId] of item.reportIds.entries())
      await tx.put('rumReports', {
        id: `${instance.udiKey} ${reportId}`,
        udiKey: instance.udiKey,
        reportId,
        tag: tags[i]!,
        acceptedAt: now,
        pollId: poll.id,
      });
    const slp = slpStateOf(instance);
    for (const [tag, count] of counts) slp.usage[tag] = { count, reportedAt: now };
    // What its SLAC holds is already out of the pool (reserved): only use beyond it counts as in use.
    const held = new Map(slp.authorization?.keys.map((k) => [k.entitlement, k.count]));
    const beyond = [...counts].map(([tag, n]): [string, number] => [tag, Math.max(0, n - (held.get(tag) ?? 0))]);
    const inUse = { ...instance.entitlements, ...Object.fromEntries(beyond) };
    await reportUsage(
      tx,
      ctx,
      instance,
      Object.entries(inUse).map(([t, count]) => ({ tag: t, count })),
    );
    await logEvent(tx, ctx, {
      accountId: instance.accountId,
      vaId: instance.vaId,
      kind: 'slp.usage-reported',
      message: `${instance.udiKey} uploaded ${item.reportIds.length} RUM report(s) of ${counts.size} entitlement(s)`,
      data: { udi: instance.udiKey, pollId: poll.id, reportIds: item.reportIds, usage: Object.fromEntries(counts) },
    });
  }
  return poll;
}
