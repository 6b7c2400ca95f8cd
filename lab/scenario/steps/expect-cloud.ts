/**
 * Expectations on the cloud as a whole (no `on`): its event log (`cloudEvent: token.revoked`, with
 * `count` and `contains`), a virtual account's license pool (`pool: { account, virtualAccount, tag |
 * license }` with `purchased`, `inUse`, `balance` and `status` as the portal's Licenses tab shows them),
 * and a PAK's units left to fulfil (`pak: { account, pak }, remaining: { SL-4330-SEC-K9: 8 }`).
 */
import type { Fail, Path } from '../../fleet/yaml-source.ts';
import { counted, timesText } from '../report-text.ts';
import { OK, type StepContext, type StepOutcome } from '../step-context.ts';
import { mapping, optionalText, text, wholeNumber, type Fields, oneOf } from '../step-reader.ts';

export const POOL_STATUSES = ['In Compliance', 'Out Of Compliance'] as const;
const COUNTS = ['purchased', 'inUse', 'balance'] as const;

export type CloudCheck =
  | { cloudEvent: string; count: number | undefined; contains: string | undefined }
  | {
      pool: { account: string; virtualAccount: string; tag?: string; license?: string };
      purchased?: number;
      inUse?: number;
      balance?: number;
      status?: (typeof POOL_STATUSES)[number];
    }
  | { pak: { account: string; pak: string }; remaining: Record<string, number> };

/** The check when the mapping is one on the cloud (it has cloudEvent or pool), else undefined. */
export function readCloudCheck(value: unknown, at: Path, fail: Fail): CloudCheck | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if ('cloudEvent' in value) {
    const m = mapping(value, at, fail, ['cloudEvent', 'count', 'contains'], ['cloudEvent']);
    return {
      cloudEvent: text(m, 'cloudEvent', at, fail),
      count: wholeNumber(m, 'count', at, fail),
      contains: optionalText(m, 'contains', at, fail),
    };
  }
  if ('pak' in value) {
    const m = mapping(value, at, fail, ['pak', 'remaining'], ['pak', 'remaining']);
    const p = mapping(m.pak, [...at, 'pak'], fail, ['account', 'pak'], ['account', 'pak']);
    const left = mapping(m.remaining, [...at, 'remaining'], fail, Object.keys(m.remaining ?? {}), []);
    if (Object.keys(left).length === 0) fail([...at, 'remaining'], 'remaining lists SKUs and the units left of each');
    for (const sku of Object.keys(left)) wholeNumber(left, sku, [...at, 'remaining'], fail);
    return {
      pak: { account: text(p, 'account', [...at, 'pak'], fail), pak: text(p, 'pak', [...at, 'pak'], fail) },
      remaining: left as Record<string, number>,
    };
  }
  if (!('pool' in value)) return undefined;
  const m = mapping(value, at, fail, ['pool', ...COUNTS, 'status'], ['pool']);
  const where = [...at, 'pool'];
  const p = mapping(
    m.pool,
    where,
    fail,
    ['account', 'virtualAccount', 'tag', 'license'],
    ['account', 'virtualAccount'],
  );
  if ((p.tag === undefined) === (p.license === undefined))
    fail(where, 'a pool is named by tag (its entitlement tag) or license (its name, as CSSM lists it): one of them');
  const counts = Object.fromEntries(
    COUNTS.flatMap((key) => {
      const n = key === 'balance' ? integer(m, key, at, fail) : wholeNumber(m, key, at, fail);
      return n === undefined ? [] : [[key, n]];
    }),
  );
  const status = m.status === undefined ? undefined : oneOf(m.status, [...at, 'status'], fail, 'status', POOL_STATUSES);
  if (Object.keys(counts).length === 0 && m.status === undefined)
    fail(at, `a pool expectation needs one of ${COUNTS.join(', ')} or status`);
  return {
    pool: {
      account: text(p, 'account', where, fail),
      virtualAccount: text(p, 'virtualAccount', where, fail),
      ...(p.tag !== undefined ? { tag: text(p, 'tag', where, fail) } : {}),
      ...(p.license !== undefined ? { license: text(p, 'license', where, fail) } : {}),
    },
    ...counts,
    ...(status !== undefined ? { status } : {}),
  };
}

/** A balance goes below zero when a pool is overdrawn: any whole number. */
function integer(m: Fields, key: string, at: Path, fail: Fail): number | undefined {
  if (m[key] !== undefined && !Number.isInteger(m[key]))
    fail([...at, key], `${key} must be a whole number, got ${JSON.stringify(m[key])}`);
  return m[key] as number | undefined;
}

export function explainCloudCheck(c: CloudCheck): string {
  if ('pak' in c)
    return `expect PAK ${c.pak.pak} of ${c.pak.account} to have ${Object.entries(c.remaining)
      .map(([sku, n]) => `${n} × ${sku}`)
      .join(', ')} left to fulfil`;
  if ('cloudEvent' in c)
    return `expect the cloud's event log to hold ${c.cloudEvent}${c.contains ? ` with "${c.contains}"` : ''} ${timesText(c.count)}`;
  const wanted = [
    ...COUNTS.filter((k) => c[k] !== undefined).map((k) => `${k} ${c[k]}`),
    ...(c.status ? [c.status] : []),
  ];
  return `expect the ${c.pool.license ?? c.pool.tag} pool of ${c.pool.account}/${c.pool.virtualAccount} to be ${wanted.join(', ')}`;
}

export async function runCloudCheck(c: CloudCheck, ctx: StepContext): Promise<StepOutcome> {
  if ('cloudEvent' in c) {
    const events = [];
    for (let afterSeq = 0; ;) {
      const page = await ctx.cloud.events({ afterSeq, limit: 1000 });
      events.push(...page);
      if (page.length < 1000) break;
      afterSeq = page.at(-1)!.seq;
    }
    const n = events.filter(
      (e) => e.kind === c.cloudEvent && (c.contains === undefined || e.message.includes(c.contains)),
    ).length;
    if (counted(n, c.count)) return OK;
    return {
      ok: false,
      why: `the cloud's event log holds ${n} ${c.cloudEvent}${c.contains ? ` with "${c.contains}"` : ''}`,
    };
  }
  if ('pak' in c) {
    const pak = await ctx.cloud.portal.pak(c.pak.account, c.pak.pak);
    const wrong = Object.entries(c.remaining).flatMap(([sku, want]) => {
      const item = pak.items.find((i) => i.sku === sku);
      const left = item ? item.quantity - item.fulfilled - item.converted : undefined;
      return left === want ? [] : [left === undefined ? `it holds no ${sku}` : `${left} × ${sku} left`];
    });
    return wrong.length === 0 ? OK : { ok: false, why: `PAK ${pak.id}: ${wrong.join(', ')}` };
  }
  const pools = await ctx.cloud.pools(c.pool);
  const pool = pools.find((p) => (c.pool.tag !== undefined ? p.tag === c.pool.tag : p.licenseName === c.pool.license));
  if (!pool)
    return {
      ok: false,
      why: `${c.pool.account}/${c.pool.virtualAccount} has no such pool; its pools: ${pools.map((p) => p.licenseName).join(', ') || 'none'}`,
    };
  const wrong = [
    ...COUNTS.filter((k) => c[k] !== undefined && pool[k] !== c[k]).map((k) => `${k} is ${pool[k]}`),
    ...(c.status !== undefined && pool.status !== c.status ? [`status is ${pool.status}`] : []),
  ];
  return wrong.length === 0 ? OK : { ok: false, why: `the ${pool.licenseName} pool: ${wrong.join(', ')}` };
}
