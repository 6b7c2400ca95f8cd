/**
 * What step kinds read their YAML with: typed fields that fail at file:line:column naming what was
 * expected, and the topology's devices, so a selector that matches nothing is an error before anything runs.
 */
import { parseDuration } from '../fleet/duration.ts';
import { LICENSE_STATES, type LicenseState } from '../fleet/fleet-summary.ts';
import { parseSelector, selectNodes, SelectorError } from '../fleet/selector.ts';
import type { FleetNode } from '../fleet/topology.ts';
import type { Fail, Path } from '../fleet/yaml-source.ts';

export interface StepReader {
  fail: Fail;
  nodes: readonly FleetNode[];
  /** Names the scenario's fault steps so far gave their faults: a later `clear` must name one. */
  faultNames: Set<string>;
}

export type Fields = Record<string, unknown>;

/** A mapping with only `keys`, and every one of `required`. */
export function mapping(value: unknown, at: Path, fail: Fail, keys: readonly string[], required: readonly string[]) {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail(at, `expected a mapping with ${keys.join(', ')}`);
  const m = value as Fields;
  for (const key of Object.keys(m))
    if (!keys.includes(key)) fail([...at, key], `unknown key "${key}"; valid keys: ${keys.join(', ')}`, 'key');
  for (const key of required) if (m[key] === undefined) fail(at, `missing "${key}"`);
  return m;
}

export const text = (m: Fields, key: string, at: Path, fail: Fail): string => textAt(m[key], [...at, key], key, fail);

/** A non-empty string at `at`, called `name` in the error. */
export function textAt(value: unknown, at: Path, name: string, fail: Fail): string {
  if (typeof value !== 'string' || value === '')
    fail(at, `${name} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value as string;
}

export function optionalText(m: Fields, key: string, at: Path, fail: Fail): string | undefined {
  return m[key] === undefined ? undefined : text(m, key, at, fail);
}

export function wholeNumber(m: Fields, key: string, at: Path, fail: Fail, min = 0): number | undefined {
  const v = m[key];
  if (v !== undefined && !(Number.isInteger(v) && (v as number) >= min))
    fail([...at, key], `${key} must be a whole number ≥ ${min}, got ${JSON.stringify(v)}`);
  return v as number | undefined;
}

/** Past this a lab date no longer prints (and no licence lives so long). */
const MAX_DURATION_MS = 100 * 365 * 86_400_000;

export function duration(value: unknown, at: Path, fail: Fail): number {
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined || ms <= 0)
    fail(at, `expected a duration like 30d, 12h, 15m or 90s, got ${JSON.stringify(value)}`);
  if (ms! > MAX_DURATION_MS) fail(at, `a duration of at most 100 years (36500d), got ${JSON.stringify(value)}`);
  return ms!;
}

/** A selector (`all`, `site=lyon`, `lyo-sw-*`, `10%`) that must match at least one device of the topology. */
export function selectorAt(value: unknown, at: Path, reader: StepReader): string {
  if (typeof value !== 'string' || value === '')
    reader.fail(at, `expected devices: a hostname, a glob, key=value, N% or all; got ${JSON.stringify(value)}`);
  const on = value as string;
  try {
    if (
      selectNodes(
        reader.nodes.map((node) => ({ node })),
        parseSelector(on),
      ).length === 0
    )
      reader.fail(at, `"${on}" matches no device; devices: ${reader.nodes.map((n) => n.hostname).join(', ')}`);
  } catch (err) {
    if (!(err instanceof SelectorError)) throw err;
    reader.fail(at, err.message);
  }
  return on;
}

/** One device by its exact hostname (an RMA, a license locked to one UDI): not a selector. */
export function hostnameAt(value: unknown, at: Path, reader: StepReader): string {
  const hostname = textAt(value, at, 'the device', reader.fail);
  if (!reader.nodes.some((n) => n.hostname === hostname))
    reader.fail(at, `no device "${hostname}"; devices: ${reader.nodes.map((n) => n.hostname).join(', ')}`);
  return hostname;
}

/** The `on` field of a step: its devices. */
export const selector = (m: Fields, at: Path, reader: StepReader): string => selectorAt(m.on, [...at, 'on'], reader);

/** One of `choices`, called `name` in the error that lists them. */
export function oneOf<T extends string>(value: unknown, at: Path, fail: Fail, name: string, choices: readonly T[]): T {
  if (!choices.includes(value as T))
    fail(at, `${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

export const licenseState = (value: unknown, at: Path, fail: Fail): LicenseState =>
  oneOf(value, at, fail, 'state', LICENSE_STATES);

/** An optional true or false; absent is false. */
export function flag(m: Fields, key: string, at: Path, fail: Fail): boolean {
  if (m[key] !== undefined && typeof m[key] !== 'boolean')
    fail([...at, key], `${key} is true or false, got ${JSON.stringify(m[key])}`);
  return m[key] === true;
}

/**
 * A mapping whose one key names what it is (a step kind, a cloud or portal operation) in `table`, plus any
 * of `extra` keys beside it; the name and its value, or an error listing the valid names.
 */
export function keyedBy(
  value: unknown,
  at: Path,
  fail: Fail,
  table: object,
  what: { shape: string; one: string; many: string; extra?: readonly string[] },
): [string, unknown] {
  const names = Object.keys(table);
  const extra = what.extra ?? [];
  const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  const named = keys.filter((k) => !extra.includes(k));
  if (named.length !== 1) fail(at, `${what.shape}: ${names.join(', ')}`);
  const name = named[0]!;
  // Own keys only: `constructor` or `toString` is no step, whatever every object inherits.
  if (!Object.hasOwn(table, name))
    fail([...at, name], `unknown ${what.one} "${name}"; valid ${what.many}: ${names.join(', ')}`, 'key');
  return [name, (value as Record<string, unknown>)[name]];
}

/** A file on a device: `flash:` or `usbflash0:` and a file name. */
export const DEVICE_FILE = /^(flash|usbflash0):[^\s/]+$/;

export function deviceFile(m: Record<string, unknown>, key: string, at: Path, fail: Fail): string {
  const file = text(m, key, at, fail);
  if (!DEVICE_FILE.test(file))
    fail(
      [...at, key],
      `${key} is a file on the device, like flash:sec.lic or usbflash0:sec.lic; got ${JSON.stringify(file)}`,
    );
  return file;
}
