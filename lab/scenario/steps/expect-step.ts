/**
 * `expect`: what must hold now, on the selected devices or in the cloud. One check per step:
 * - `state: AUTHORIZED` (the fleet's license states);
 * - `show: show license status` with `contains: text` or `matches: regex`;
 * - `syslog: AUTH_EXPIRED` (or `%SMART_LIC-3-AUTH_EXPIRED`, or a list that must appear in that order) with
 *   `count` (default: at least once) and `within: 30d` (only the last 30 days of lab time);
 * - `trap: ciscoSlaAuthExpired` (a notification name or OID), with `count` and `within` likewise;
 * - `via: wire` on syslog and trap checks: count what the lab's collectors received over UDP instead;
 * - `instance: registered | absent | authorized | out-of-compliance`: the cloud's product instance;
 * - `level: securityk9` (and `phase: permanent | counting | expired`): the level the device runs now and
 *   how the license it runs on stands; `feature: securityk9, status: expiredInUse`: one of its licenses;
 * - on the cloud as a whole (no `on`): its event log and license pools (expect-cloud.ts).
 */
import type { DeviceEvent, LicenseStatus, TraditionalPhase } from '#devices';
import { udiString } from '#protocol';
import { licenseStateOf, type LicenseState } from '../../fleet/fleet-summary.ts';
import type { Fail, Path } from '../../fleet/yaml-source.ts';
import { each, type StepContext, type StepOutcome } from '../step-context.ts';
import { duration, licenseState, mapping, selector, text, wholeNumber, type Fields, oneOf } from '../step-reader.ts';
import { explainCloudCheck, readCloudCheck, runCloudCheck, type CloudCheck } from './expect-cloud.ts';
import { counted, countText, timesText } from '../report-text.ts';
import type { StepKind } from './step-kind.ts';

/** Lines of a show command's output a failed `show` check quotes. */
const SHOWN = 25;
/** `AUTH_EXPIRED`, or the full tag `%SMART_LIC-3-AUTH_EXPIRED`. */
export const MNEMONIC = /^(%[A-Z0-9_]+-[0-7]-)?[A-Z0-9_]+$/;
/** `present` and `registered`: any product instance (an SLP device has one once it reported or is trusted). */
export const INSTANCE = ['present', 'registered', 'absent', 'authorized', 'out-of-compliance'] as const;
type InstanceCheck = (typeof INSTANCE)[number];

/** How many, and over which lab time: `count` undefined means at least once; `withinMs` the last so long. */
interface Tally {
  count: number | undefined;
  withinMs: number | undefined;
  within: string | undefined;
  wire: boolean;
}

export type Check =
  | { state: LicenseState }
  | { show: string; contains: string }
  | { show: string; matches: string }
  | ({ syslog: string[] } & Tally)
  | ({ trap: string } & Tally)
  | { instance: InstanceCheck }
  | { level: string; phase: TraditionalPhase | undefined }
  | { feature: string; status: LicenseStatus };

export type ExpectStep = { kind: 'expect'; on: string; check: Check } | { kind: 'expect'; cloud: CloudCheck };

const KEYS = [
  ...['on', 'state', 'show', 'contains', 'matches', 'syslog', 'trap', 'count', 'within', 'via', 'instance'],
  ...['level', 'phase', 'feature', 'status'],
];
export const PHASES: readonly TraditionalPhase[] = ['permanent', 'counting', 'expired'];
export const LICENSE_STATUSES: readonly LicenseStatus[] = [
  'inUse',
  'expiredInUse',
  'notInUse',
  'inactive',
  'expiredNotInUse',
];
const CHECKS =
  'state, show (with contains or matches), syslog, trap, instance, level (with phase), feature (with status), cloudEvent, pool or pak';

function tally(m: Fields, at: Path, fail: Fail): Tally {
  if (m.via !== undefined && m.via !== 'wire')
    fail([...at, 'via'], `via takes one value, wire; got ${JSON.stringify(m.via)}`);
  const wire = m.via === 'wire';
  const withinMs = m.within === undefined ? undefined : duration(m.within, [...at, 'within'], fail);
  if (wire && withinMs !== undefined)
    fail([...at, 'within'], 'within counts the device’s own log; via: wire counts all that arrived: use one');
  return { count: wholeNumber(m, 'count', at, fail), withinMs, within: m.within as string | undefined, wire };
}

function readDeviceCheck(m: Fields, at: Path, fail: Fail): Check {
  const only = (keys: string[]) => {
    for (const key of Object.keys(m))
      if (key !== 'on' && !keys.includes(key)) fail([...at, key], `"${key}" does not go with ${keys[0]}`, 'key');
  };
  if (m.state !== undefined) {
    only(['state']);
    return { state: licenseState(m.state, [...at, 'state'], fail) };
  }
  if (m.show !== undefined) {
    only(['show', 'contains', 'matches']);
    const show = text(m, 'show', at, fail);
    if (m.matches !== undefined && m.contains !== undefined)
      fail([...at, 'matches'], 'show takes contains or matches, not both: write two expectations', 'key');
    if (m.matches !== undefined) {
      const matches = text(m, 'matches', at, fail);
      try {
        new RegExp(matches, 'm');
      } catch (err) {
        fail([...at, 'matches'], `not a regular expression: ${(err as Error).message}`);
      }
      return { show, matches };
    }
    if (m.contains === undefined) fail(at, 'show needs contains (text) or matches (a regular expression)');
    return { show, contains: text(m, 'contains', at, fail) };
  }
  if (m.syslog !== undefined) {
    only(['syslog', 'count', 'within', 'via']);
    const list = Array.isArray(m.syslog);
    const names = list ? (m.syslog as unknown[]) : [m.syslog];
    names.forEach((n, i) => {
      if (typeof n !== 'string' || !MNEMONIC.test(n))
        fail(
          list ? [...at, 'syslog', i] : [...at, 'syslog'],
          `expected a mnemonic like AUTH_EXPIRED or %SMART_LIC-3-AUTH_EXPIRED, got ${JSON.stringify(n)}`,
        );
    });
    if (list && names.length < 2) fail([...at, 'syslog'], 'a list of messages gives their order: name two or more');
    if (list && m.count !== undefined)
      fail([...at, 'count'], 'count goes with one message, not a list in order', 'key');
    return { syslog: names as string[], ...tally(m, at, fail) };
  }
  if (m.trap !== undefined) {
    only(['trap', 'count', 'within', 'via']);
    return { trap: text(m, 'trap', at, fail), ...tally(m, at, fail) };
  }
  if (m.instance !== undefined) {
    only(['instance']);
    return { instance: oneOf(m.instance, [...at, 'instance'], fail, 'instance', INSTANCE) };
  }
  if (m.level !== undefined) {
    only(['level', 'phase']);
    const phase = m.phase === undefined ? undefined : oneOf(m.phase, [...at, 'phase'], fail, 'phase', PHASES);
    return { level: text(m, 'level', at, fail), phase };
  }
  if (m.feature !== undefined) {
    only(['feature', 'status']);
    const status = oneOf(m.status, m.status === undefined ? at : [...at, 'status'], fail, 'status', LICENSE_STATUSES);
    return { feature: text(m, 'feature', at, fail), status };
  }
  return fail(at, `an expectation needs one of ${CHECKS}`);
}

/** `%SMART_LIC-3-AUTH_EXPIRED` matches its full tag, `AUTH_EXPIRED` the mnemonic alone. */
function tagMatches(pattern: string, tag: { facility: string; severity: number; mnemonic: string }): boolean {
  return pattern.startsWith('%')
    ? pattern === `%${tag.facility}-${tag.severity}-${tag.mnemonic}`
    : pattern === tag.mnemonic;
}

const trapMatches = (pattern: string, trap: { name: string | undefined; trapOid: string }): boolean =>
  /^\d+(\.\d+)+$/.test(pattern) ? trap.trapOid === pattern : trap.name === pattern;

/** Are `wanted` found in `seen`, in that order (others may come between)? */
function inOrder(wanted: readonly string[], seen: readonly { facility: string; severity: number; mnemonic: string }[]) {
  let next = 0;
  for (const tag of seen) if (next < wanted.length && tagMatches(wanted[next]!, tag)) next++;
  return next === wanted.length;
}

const times = (t: Tally) =>
  `${timesText(t.count)}${t.within ? ` within the last ${t.within}` : ''}${t.wire ? ', as received over the wire' : ''}`;

async function checkDevice(check: Check, ctx: StepContext, on: string): Promise<StepOutcome> {
  const since = 'withinMs' in check && check.withinMs !== undefined ? ctx.clock.now() - check.withinMs : -Infinity;
  const recent = (events: readonly DeviceEvent[]) => events.filter((e) => e.labTime > since);
  return each(ctx, on, async (d) => {
    if ('state' in check) return licenseStateOf(d) === check.state ? undefined : `is ${licenseStateOf(d)}`;
    if ('show' in check) {
      const out = d.exec(check.show);
      const ok = 'contains' in check ? out.includes(check.contains) : new RegExp(check.matches, 'm').test(out);
      if (ok) return undefined;
      const lines = out.trimEnd().split('\n');
      const more = lines.length > SHOWN ? [`… (${lines.length - SHOWN} more lines)`] : [];
      return [`"${check.show}" printed:`, ...lines.slice(0, SHOWN).map((l) => `  ${l}`), ...more].join('\n');
    }
    if ('syslog' in check) {
      const tags = check.wire
        ? (await ctx.wire!.received(d)).syslog
        : recent(ctx.events(d)).map((e) => ({ ...e.syslog, severity: e.syslog.severity as number }));
      if (check.syslog.length > 1)
        return inOrder(check.syslog, tags) ? undefined : `did not log ${check.syslog.join(' → ')} in that order`;
      const n = tags.filter((t) => tagMatches(check.syslog[0]!, t)).length;
      return counted(n, check.count) ? undefined : `logged ${check.syslog[0]} ${countText(n)}`;
    }
    if ('trap' in check) {
      const traps = check.wire
        ? (await ctx.wire!.received(d)).traps
        : recent(ctx.events(d)).flatMap((e) => (e.trap ? [e.trap] : []));
      const n = traps.filter((t) => trapMatches(check.trap, t)).length;
      return counted(n, check.count) ? undefined : `sent ${check.trap} ${countText(n)}`;
    }
    if ('level' in check) {
      const running = d.view().bootLevel.current;
      if (running !== check.level) return `runs ${running}`;
      const phase = d.traditional()?.phase;
      return check.phase === undefined || phase === check.phase
        ? undefined
        : `its license is ${phase ?? 'not traditional'}`;
    }
    if ('feature' in check) {
      const licenses = d.traditional()?.licenses.filter((l) => l.feature === check.feature);
      if (licenses === undefined) return 'runs no traditional licensing';
      if (licenses.some((l) => l.status === check.status)) return undefined;
      return `its ${check.feature} licenses are ${licenses.map((l) => l.status).join(', ') || 'none'}`;
    }
    const instance = await ctx.cloud.instance(udiString(d.udi));
    const now =
      instance === undefined
        ? 'absent'
        : instance.lastAuthorization === 'OUT_OF_COMPLIANCE'
          ? 'out-of-compliance'
          : instance.lastAuthorization === 'AUTHORIZED'
            ? 'authorized'
            : 'registered';
    const holds =
      check.instance === 'registered' || check.instance === 'present' ? instance !== undefined : now === check.instance;
    return holds ? undefined : `the cloud holds it as ${now}`;
  });
}

export const expect: StepKind<ExpectStep> = {
  read: (value, at, reader) => {
    const { fail } = reader;
    const cloud = readCloudCheck(value, at, fail);
    if (cloud) return { kind: 'expect', cloud };
    const m = mapping(value, at, fail, KEYS, []);
    if (m.on === undefined)
      fail(at, `missing "on" (the devices); an expectation on the cloud as a whole is cloudEvent, pool or pak`);
    return { kind: 'expect', on: selector(m, at, reader), check: readDeviceCheck(m, at, fail) };
  },
  explain: (s) => {
    if ('cloud' in s) return explainCloudCheck(s.cloud);
    const { on, check } = s;
    if ('state' in check) return `expect ${on} to be ${check.state}`;
    if ('show' in check)
      return 'contains' in check
        ? `expect "${check.show}" on ${on} to contain "${check.contains}"`
        : `expect "${check.show}" on ${on} to match /${check.matches}/`;
    if ('syslog' in check)
      return check.syslog.length > 1
        ? `expect ${on} to have logged ${check.syslog.join(' → ')} in that order${check.within ? ` within the last ${check.within}` : ''}${check.wire ? ', as received over the wire' : ''}`
        : `expect ${on} to have logged ${check.syslog[0]} ${times(check)}`;
    if ('trap' in check) return `expect ${on} to have sent ${check.trap} ${times(check)}`;
    if ('level' in check)
      return `expect ${on} to run ${check.level}${check.phase ? ` on ${check.phase === 'expired' ? 'an' : 'a'} ${check.phase} license` : ''}`;
    if ('feature' in check) return `expect a ${check.feature} license on ${on} to be ${check.status}`;
    return `expect the cloud to hold ${on} as ${check.instance}`;
  },
  run: (s, ctx) => ('cloud' in s ? runCloudCheck(s.cloud, ctx) : checkDevice(s.check, ctx, s.on)),
};

/** Does the scenario need the wire (an expectation `via: wire`)? */
export const needsWire = (s: { kind: string; check?: object }): boolean =>
  s.kind === 'expect' && s.check !== undefined && 'wire' in s.check && s.check.wire === true;
