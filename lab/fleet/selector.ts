/**
 * Which devices of a fleet a command or a fault aims at. On the command line a selector is terms
 * separated by spaces: hostnames and globs (`par-sw-0*`) list devices (any of them), and every other term
 * must hold as well: `all`, `key=value`
 * with `|` between alternatives (`site=lyon|paris`, `pid=C9300-48P`, `group=access`, `kind=isr-4000`,
 * `hostname=a|b`, or any label such as `role=wan`), and `N%` for a seeded share of what the other terms
 * select (`10%`, `10%@7`). The same share with the same seed always picks the same devices.
 */
import { seededUnit } from './seeded-unit.ts';
import type { FleetNode } from './topology.ts';

export interface Selector {
  /** key → accepted values; keys are hostname, group, kind, pid, site or any label. */
  match: Record<string, string[]>;
  /** Hostname globs; a device must match one (when any are given). */
  hostnames: string[];
  /** A share in (0, 100] of the devices the rest selects, picked by seed (`10%@7`; else the run's seed). */
  percent?: number;
  seed?: number;
}

export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

/** As the fault schema caps it. */
const MAX_SELECTOR = 1000;

const KEY = /^[A-Za-z][A-Za-z0-9_-]*$/;

export function parseSelector(text: string): Selector {
  const selector: Selector = { match: {}, hostnames: [] };
  if (text.length > MAX_SELECTOR) throw new SelectorError(`a selector is at most ${MAX_SELECTOR} characters`);
  const terms = text.trim().split(/\s+/).filter(Boolean);
  if (terms.length === 0) throw new SelectorError('an empty selector selects nothing; write "all" for every device');
  for (const term of terms) {
    const share = /^(\d+(?:\.\d+)?)%(?:@(\d+))?$/.exec(term);
    const pair = /^([^=]+)=(.+)$/.exec(term);
    if (term === 'all') continue;
    if (share) {
      const percent = Number(share[1]);
      if (!(percent > 0 && percent <= 100))
        throw new SelectorError(`share ${term}: the percentage must be above 0 and at most 100`);
      if (selector.percent !== undefined) throw new SelectorError(`share ${term}: a selector takes one share`);
      selector.percent = percent;
      if (share[2] !== undefined) selector.seed = Number(share[2]);
    } else if (pair) {
      const [, key, values] = pair as unknown as [string, string, string];
      if (!KEY.test(key))
        throw new SelectorError(
          `"${key}" in ${term} is not a key; try site=, group=, pid=, kind=, hostname= or a label`,
        );
      (selector.match[key] ??= []).push(...values.split('|').filter(Boolean));
    } else if (/^[A-Za-z*?][A-Za-z0-9*?-]*$/.test(term)) {
      selector.hostnames.push(term);
    } else {
      throw new SelectorError(
        `"${term}" is not a selector term: write a hostname (or glob), key=value (site=lyon, pid=C9300-48P, group=access), N% or all`,
      );
    }
  }
  return selector;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    // Runs of * are one: `.*.*.*z` backtracks exponentially on a name without z.
    .replace(/\*+/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function valueOf(node: FleetNode, key: string): string | undefined {
  switch (key) {
    case 'hostname':
      return node.hostname;
    case 'group':
      return node.group;
    case 'kind':
      return node.kind;
    case 'pid':
      return node.pid;
    default:
      return node.labels[key];
  }
}

/**
 * The nodes a selector picks, in fleet order. A share is exact: round(N × percent / 100), at least one,
 * picked by the selector's own seed, else `seed` (a scenario run's `--seed`).
 */
export function selectNodes<T extends { node: FleetNode }>(members: readonly T[], selector: Selector, seed = 0): T[] {
  const globs = selector.hostnames.map(globToRegExp);
  const matched = members.filter(({ node }) => {
    if (globs.length > 0 && !globs.some((g) => g.test(node.hostname))) return false;
    return Object.entries(selector.match).every(([key, values]) => {
      const value = valueOf(node, key);
      return value !== undefined && values.some((v) => v.toLowerCase() === value.toLowerCase());
    });
  });
  if (selector.percent === undefined) return matched;
  const want = Math.max(1, Math.round((matched.length * selector.percent) / 100));
  const ranked = matched
    .map((m) => ({ m, rank: seededUnit(`${selector.seed ?? seed}:${m.node.hostname}`) }))
    .sort((a, b) => a.rank - b.rank)
    .slice(0, want);
  const picked = new Set(ranked.map((r) => r.m));
  return matched.filter((m) => picked.has(m));
}
