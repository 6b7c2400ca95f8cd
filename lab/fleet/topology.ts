/**
 * Topology files (`scenarios/topologies/*.topology.yaml`): the fleet a lab runs, containerlab style.
 * Settings inherit `defaults → kinds → groups/nodes` (labels, timers and cloud merge key by key), a group
 * has a `count` and a hostname template, and each device gets an arrival time for its registration.
 * Every error names file:line:column, what was expected and the valid choices (TopologyError).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseSeed } from '#cloud';
import {
  checkBootLevel,
  checkLoggingConfig,
  checkSnmpConfig,
  findPlatform,
  findRelease,
  smartTimerTable,
  type LicensingMode,
  type LoggingConfig,
  type SlpConfig,
  type SnmpConfig,
  type PlatformModel,
} from '#devices';
import { checkFaultSpec } from '../faults/fault-schedule.ts';
import type { LabCsluOptions } from '../lab-cslu.ts';
import type { LabOnPremOptions } from '../lab-onprem.ts';
import type { FaultSpec } from '../faults/fault-spec.ts';
import { parseDuration } from './duration.ts';
import { seededUnit } from './seeded-unit.ts';
import { TopologySchema, type SettingsDocument, type TopologyDocument } from './topology-schema.ts';
import { checkSchema, readYaml, SourceError, type Fail, type Path } from './yaml-source.ts';

export interface FleetNode {
  hostname: string;
  kind: string | undefined;
  group: string | undefined;
  pid: string;
  release: string | undefined;
  licensing: LicensingMode;
  /** SLP devices' factory `license smart transport|url|usage interval`. */
  slp?: SlpConfig;
  bootLevel: string | undefined;
  addon: string | undefined;
  /** Merged labels, plus `group` for a group's devices. */
  labels: Record<string, string>;
  cloud: { account?: string; virtualAccount?: string; token?: string };
  /** Smart licensing timer overrides, ms. */
  timers: Record<string, number>;
  /** Lab ms after the lab's first start when the device is told to register. */
  arrivalMs: number;
  /** Factory `logging …` configuration (a device's saved one wins). */
  logging?: LoggingConfig;
  /** Factory `snmp-server …` configuration. */
  snmp?: SnmpConfig;
  /** 1-based, in fleet order: groups in file order, each 1..count, then nodes. */
  serialSequence: number;
}

export interface Topology {
  name: string;
  file: string;
  start: number | undefined;
  speed: number | undefined;
  seed: { text: string; source: string } | undefined;
  nodes: FleetNode[];
  /** Faults over time; each `at` counts from the lab's first start. */
  faults: FaultSpec[];
  /** The lab's own CSLU. */
  cslu: LabCsluOptions | undefined;
  /** The lab's own SSM On-Prem. */
  onprem: LabOnPremOptions | undefined;
}

export class TopologyError extends SourceError {
  override readonly name = 'TopologyError';
}

type Env = Record<string, string | undefined>;

/** Default arrival window of waves and jitter: a fleet that comes up over ten minutes. */
const DEFAULT_WINDOW_MS = 10 * 60_000;
const DEFAULT_WAVES = 4;
const HOSTNAME = /^[A-Za-z][A-Za-z0-9-]{0,62}$/;

export function loadTopology(file: string, env: Env = process.env): Topology {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TopologyError(file, 1, 1, `cannot read the topology (${code === 'ENOENT' ? 'no such file' : code})`);
  }
  return parseTopology(text, resolve(file), env);
}

export function parseTopology(text: string, file: string, env: Env = process.env): Topology {
  const { value, fail } = readYaml(text, (line, column, what) => new TopologyError(file, line, column, what));
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail([], 'a topology is a mapping with name, defaults, kinds, groups and nodes');
  checkSchema(TopologySchema, value, fail);
  return expand(value as TopologyDocument, file, env, fail);
}

/** Resolved settings of one group or node, with the path each value came from (for errors). */
interface Resolved {
  values: SettingsDocument & { labels: Record<string, string>; timers: Record<string, string | number> };
  from: Record<string, Path>;
}

function merge(into: Resolved, settings: SettingsDocument | undefined, at: Path): void {
  if (!settings) return;
  for (const [key, v] of Object.entries(settings)) {
    if (v === undefined) continue;
    if (key === 'labels' || key === 'timers') {
      Object.assign(into.values[key], v);
      for (const k of Object.keys(v as object)) into.from[`${key}.${k}`] = [...at, key, k];
    } else if (key === 'cloud') {
      into.values.cloud = { ...into.values.cloud, ...(v as object) };
      for (const k of Object.keys(v as object)) into.from[`cloud.${k}`] = [...at, key, k];
    } else {
      (into.values as Record<string, unknown>)[key] = v;
      into.from[key] = [...at, key];
    }
  }
}

function expand(doc: TopologyDocument, file: string, env: Env, fail: Fail): Topology {
  const start = doc.start === undefined ? undefined : Date.parse(doc.start);
  if (start !== undefined && !Number.isFinite(start))
    fail(['start'], `start must be an ISO 8601 time like 2026-01-01T00:00:00Z, got "${doc.start}"`);
  const kinds = doc.kinds ?? {};
  const entities = [
    ...Object.entries(doc.groups ?? {}).map(([name, g]) => ({ name, doc: g, at: ['groups', name], group: true })),
    ...Object.entries(doc.nodes ?? {}).map(([name, n]) => ({ name, doc: n, at: ['nodes', name], group: false })),
  ];
  if (entities.length === 0) fail([], 'a topology needs at least one entry under groups or nodes');
  const nodes: FleetNode[] = [];
  const hostnames = new Map<string, string>();
  for (const entity of entities) {
    const {
      kind,
      count = 1,
      name: template,
      ...own
    } = entity.doc as SettingsDocument & {
      kind?: string;
      count?: number;
      name?: string;
    };
    if (kind !== undefined && !(kind in kinds))
      fail(
        [...entity.at, 'kind'],
        `unknown kind "${kind}"; kinds in this file: ${Object.keys(kinds).join(', ') || 'none'}`,
      );
    const r: Resolved = { values: { labels: {}, timers: {} }, from: {} };
    merge(r, doc.defaults, ['defaults']);
    if (kind !== undefined) merge(r, kinds[kind], ['kinds', kind]);
    merge(r, own, entity.at);
    const device = checkDevice(r, entity.at, fail);
    const token = r.values.cloud?.token;
    const cloud = {
      ...r.values.cloud,
      ...(token !== undefined ? { token: interpolate(token, env, r.from['cloud.token']!, fail) } : {}),
    };
    const timers = checkTimers(r, fail);
    const logging = checkLogging(r, fail);
    const snmp = checkSnmp(r, fail);
    const slp = checkSlp(r, device.licensing, fail);
    const arrivals = arrivalOffsets(r, entity.group ? count : 1, fail);
    for (let i = 0; i < (entity.group ? count : 1); i++) {
      const labels = { ...r.values.labels, ...(entity.group ? { group: entity.name } : {}) };
      const hostname = entity.group
        ? hostnameOf(template ?? `${entity.name}-{n}`, { n: i + 1, group: entity.name, kind, labels }, entity.at, fail)
        : entity.name;
      const where = entity.at.join('.');
      if (!HOSTNAME.test(hostname))
        fail(
          entity.group ? [...entity.at, template === undefined ? 'count' : 'name'] : entity.at,
          `hostname "${hostname}" is not a valid IOS hostname (a letter, then letters, digits, hyphens; 63 at most)`,
          entity.group ? 'value' : 'key',
        );
      const clash = hostnames.get(hostname);
      if (clash !== undefined) fail(entity.at, `hostname "${hostname}" is also given by ${clash}`, 'key');
      hostnames.set(hostname, where);
      nodes.push({
        hostname,
        kind,
        group: entity.group ? entity.name : undefined,
        ...device,
        labels,
        cloud,
        timers,
        ...(logging ? { logging } : {}),
        ...(snmp ? { snmp } : {}),
        ...(slp ? { slp } : {}),
        arrivalMs: arrivals(i, hostname),
        serialSequence: nodes.length + 1,
      });
    }
  }
  return {
    name: doc.name,
    file,
    start,
    speed: doc.speed,
    seed: doc.cloud === undefined ? undefined : readSeed(doc.cloud.seed, file, fail),
    nodes,
    cslu: doc.cslu,
    onprem: doc.onprem && {
      seed: readSeed(doc.onprem.seed, file, fail, ['onprem', 'seed']).text,
      ...(doc.onprem.cssm ? { cssm: doc.onprem.cssm } : {}),
      ...(doc.onprem.satellite !== undefined ? { satellite: doc.onprem.satellite } : {}),
    },
    faults: (doc.faults ?? []).map((spec, i) => {
      try {
        return checkFaultSpec(spec);
      } catch (err) {
        return fail(['faults', i], (err as Error).message);
      }
    }),
  };
}

function checkDevice(r: Resolved, at: Path, fail: Fail) {
  const v = r.values;
  if (v.pid === undefined)
    return fail(at, 'no pid for these devices: set pid here, in their kind or in defaults', 'key');
  let model: PlatformModel;
  try {
    model = findPlatform(v.pid);
  } catch (err) {
    return fail(r.from.pid!, (err as Error).message);
  }
  let modes: readonly LicensingMode[];
  try {
    modes = findRelease(model, v.release).modes;
  } catch (err) {
    return fail(r.from.release!, (err as Error).message);
  }
  const licensing: LicensingMode =
    v.licensing ?? (modes.includes('smart') ? 'smart' : modes.includes('slp') ? 'slp' : 'traditional');
  if (!modes.includes(licensing)) {
    const able = model.releases.filter((rel) => rel.modes.includes(licensing)).map((rel) => rel.version);
    fail(
      r.from.licensing ?? r.from.release ?? r.from.pid!,
      `${model.pid} ${v.release ?? model.defaultRelease} has no ${licensing} licensing; ` +
        (able.length ? `releases with it: ${able.join(', ')}` : `no ${model.pid} release has it`),
    );
  }
  if (v.bootLevel !== undefined || v.addon !== undefined) {
    const check = checkBootLevel(model, v.bootLevel ?? model.defaultLevel, v.addon);
    if (!check.ok) fail(r.from.bootLevel ?? r.from.addon!, check.error.replace(/^% ?/, ''));
  }
  return { pid: model.pid, release: v.release, licensing, bootLevel: v.bootLevel, addon: v.addon };
}

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** `slp:` as the device's configuration; only for devices whose release runs SLP. */
function checkSlp(r: Resolved, licensing: LicensingMode, fail: Fail): SlpConfig | undefined {
  const slp = r.values.slp;
  if (slp === undefined) return undefined;
  if (licensing !== 'slp')
    fail(
      r.from.slp!,
      `slp settings are for devices running Smart Licensing Using Policy (17.x releases), not ${licensing}`,
    );
  for (const key of ['csluUrl', 'smartUrl'] as const) {
    const url = slp[key];
    if (url !== undefined && !isHttpUrl(url))
      fail([...r.from.slp!, key], `${key} must be an http(s) URL like http://cslu.lab:8182/cslu/v1/pi, got "${url}"`);
  }
  // The 17.x factory transport is CSLU (devices/licensing/slp-config.ts).
  return {
    transport: slp.transport ?? 'cslu',
    ...(slp.csluUrl !== undefined ? { csluUrl: slp.csluUrl } : {}),
    ...(slp.smartUrl !== undefined ? { smartUrl: slp.smartUrl } : {}),
    ...(slp.usageInterval !== undefined ? { usageIntervalDays: slp.usageInterval } : {}),
  };
}

function checkLogging(r: Resolved, fail: Fail): LoggingConfig | undefined {
  const logging = r.values.logging;
  if (logging === undefined) return undefined;
  try {
    return checkLoggingConfig(logging);
  } catch (err) {
    return fail(r.from.logging!, (err as Error).message);
  }
}

function checkSnmp(r: Resolved, fail: Fail): SnmpConfig | undefined {
  const snmp = r.values.snmp;
  if (snmp === undefined) return undefined;
  try {
    return checkSnmpConfig(snmp);
  } catch (err) {
    return fail(r.from.snmp!, (err as Error).message);
  }
}

function checkTimers(r: Resolved, fail: Fail): Record<string, number> {
  const timers: Record<string, number> = {};
  for (const [name, value] of Object.entries(r.values.timers)) {
    if (!(name in smartTimerTable))
      fail(
        r.from[`timers.${name}`]!,
        `unknown timer "${name}"; valid timers: ${Object.keys(smartTimerTable).join(', ')}`,
        'key',
      );
    timers[name] = typeof value === 'number' ? value : parseDuration(value)!;
  }
  return timers;
}

function interpolate(text: string, env: Env, at: Path, fail: Fail): string {
  // ${NAME} or, as in shells, ${NAME:-fallback} when NAME is unset or empty.
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    return fail(at, `the token needs environment variable ${name}, which is not set (or write \${${name}:-default})`);
  });
}

/** Each device's offset: one instant, equal waves over the window, or a seeded spread across it. */
function arrivalOffsets(r: Resolved, count: number, fail: Fail): (i: number, hostname: string) => number {
  const arrival = r.values.arrival ?? { shape: 'all-at-once' as const };
  const ms = (v: string | number | undefined, fallback: number) =>
    v === undefined ? fallback : typeof v === 'number' ? v : parseDuration(v)!;
  const at = ms(arrival.at, 0);
  const window = ms(arrival.window, arrival.shape === 'all-at-once' ? 0 : DEFAULT_WINDOW_MS);
  if (arrival.waves !== undefined && arrival.shape !== 'waves')
    fail([...r.from.arrival!, 'waves'], `waves belongs to shape waves, not ${arrival.shape}`, 'key');
  if (arrival.shape === 'all-at-once') return () => at + window;
  if (arrival.shape === 'waves') {
    const waves = Math.min(arrival.waves ?? DEFAULT_WAVES, count);
    return (i) => at + Math.floor((i * waves) / count) * Math.floor(window / waves);
  }
  return (_, hostname) => at + Math.floor(seededUnit(hostname) * window);
}

function hostnameOf(
  template: string,
  values: { n: number; group: string; kind: string | undefined; labels: Record<string, string> },
  at: Path,
  fail: Fail,
): string {
  return template.replace(/\{([a-z]+)(?::(\d+))?\}/g, (whole, name: string, width: string | undefined) => {
    if (name === 'n') return String(values.n).padStart(width === undefined ? 0 : Number(width), '0');
    const text = name === 'group' ? values.group : name === 'kind' ? values.kind : values.labels[name];
    if (text === undefined || width !== undefined)
      return fail(
        [...at, 'name'],
        `name template ${whole}: valid placeholders are {n}, {n:03}, {group}, {kind} and labels (${Object.keys(values.labels).join(', ') || 'none set'})`,
      );
    return text;
  });
}

/** A seed given as a path (relative to `file`) or inline; its errors fail at `at` (default `cloud.seed`). */
export function readSeed(
  seed: string | object,
  file: string,
  fail: Fail,
  at: Path = ['cloud', 'seed'],
): { text: string; source: string } {
  let text: string;
  let source: string;
  if (typeof seed === 'string') {
    source = resolve(dirname(file), seed);
    try {
      text = readFileSync(source, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return fail(at, `cannot read seed file ${source} (${code === 'ENOENT' ? 'no such file' : code})`);
    }
  } else {
    text = JSON.stringify(seed);
    source = `${file} (${at.join('.')})`;
  }
  try {
    parseSeed(text, source);
  } catch (err) {
    fail(at, (err as Error).message);
  }
  return { text, source };
}
