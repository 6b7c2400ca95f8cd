/**
 * Deterministic fuzzing material: a seeded PRNG (mulberry32), hostile strings and JSON values, examples
 * built from a JSON schema (the OpenAPI request schemas) and one-field mutations of them.
 */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  '__proto__',
  'constructor',
  '../../etc/passwd',
  '%00',
  '%zz',
  '%',
  '\ud800',
  '\udfff\ud800',
  '😀'.repeat(20),
  'ü',
  '\u202e',
  'a\nb\r\nc',
  '<script>',
  "' OR 1=1 --",
  '${jndi:ldap://x}',
  '{{7*7}}',
  'PID:X,SN:Y',
  '2026-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00Z',
  '9999-99-99',
  'regid.2017-05.com.cisco.unknown,1.0_x',
  'C9300-24T',
];

export function randomString(rng: Rng): string {
  switch (rng.int(6)) {
    case 0:
      return rng.pick(NASTY_STRINGS);
    case 1:
      return Array.from({ length: rng.int(40) }, () => String.fromCharCode(32 + rng.int(95))).join('');
    case 2:
      return Array.from({ length: rng.int(20) }, () =>
        String.fromCodePoint(rng.chance(0.9) ? rng.int(0xd7ff) : 0x10000 + rng.int(0xfffff)),
      ).join('');
    case 3:
      return rng.bytes(rng.int(24)).toString('hex');
    case 4:
      return 'x'.repeat(rng.pick([63, 64, 65, 255, 256, 4096, 4097, 70_000]));
    default:
      return Array.from({ length: 1 + rng.int(12) }, () => String.fromCharCode(rng.int(0x80))).join('');
  }
}

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  255,
  256,
  65535,
  2 ** 31,
  2 ** 32,
  2 ** 53 - 1,
  2 ** 53 + 2,
  -(2 ** 53),
  1e15,
  8.64e15,
  1e21,
  1e300,
  -1e300,
  5e-324,
  1_000_000,
  1_000_001,
];

export function randomNumber(rng: Rng): number {
  return rng.chance(0.7) ? rng.pick(NUMBERS) : (rng.next() - 0.5) * 10 ** rng.int(20);
}

const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'udi', 'error', '', 'a'];

export function randomJson(rng: Rng, depth = rng.int(6)): unknown {
  const kind = depth <= 0 ? rng.int(4) : rng.int(6);
  switch (kind) {
    case 0:
      return rng.pick([null, true, false]);
    case 1:
      return randomNumber(rng);
    case 2:
    case 3:
      return randomString(rng);
    case 4:
      return Array.from({ length: rng.int(6) }, () => randomJson(rng, depth - 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(6); i > 0; i--)
        Object.defineProperty(o, rng.chance(0.4) ? rng.pick(KEYS) : randomString(rng), {
          value: randomJson(rng, depth - 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return o;
    }
  }
}

/** A value of a type other than the schema's (or a right-typed value at an edge). */
export function wrongValue(rng: Rng, schema: Schema | undefined): unknown {
  const byType: Record<string, unknown[]> = {
    string: [null, 0, true, [], {}, ['x'], { s: 'x' }, 1e300],
    integer: [null, '1', true, [], {}, 1.5, -1, 1e300, -1e300, 2 ** 53 + 2, 8.64e15, '0x10'],
    number: [null, '1', true, [], {}],
    boolean: [null, 'true', 0, 1, [], {}],
    array: [null, 'x', 0, {}, [null], [[]], Array.from({ length: 300 }, () => ({}))],
    object: [null, 'x', 0, [], [{}], { '': null }],
  };
  const list = schema?.type ? (byType[schema.type] ?? []) : [];
  return list.length && rng.chance(0.7) ? rng.pick(list) : rng.chance(0.5) ? randomString(rng) : randomJson(rng, 2);
}

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
}

/**
 * A value that satisfies `schema` (close enough for the cloud's schemas), sometimes at the edges.
 * `full`: every optional property present and every array of one item (for field-by-field mutation).
 */
export function exampleOf(
  schema: Schema,
  rng: Rng,
  hints: Record<string, (schema: Schema) => unknown> = {},
  name = '',
  full = false,
): unknown {
  if (hints[name]) return hints[name](schema);
  if (schema.const !== undefined) return schema.const;
  if (schema.anyOf) return exampleOf(full ? schema.anyOf[0]! : rng.pick(schema.anyOf), rng, hints, name, full);
  switch (schema.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(schema.properties ?? {}))
        if (full || schema.required?.includes(k) || rng.chance(0.5)) o[k] = exampleOf(s, rng, hints, k, full);
      return o;
    }
    case 'array':
      return Array.from({ length: full ? 1 : rng.int(4) }, () => exampleOf(schema.items ?? {}, rng, hints, name, full));
    case 'integer': {
      const lo = schema.minimum ?? 0;
      const hi = schema.maximum ?? lo + 1_000;
      return rng.chance(0.2) ? rng.pick([lo, hi]) : lo + rng.int(Math.min(hi - lo, 1_000_000) + 1);
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'string': {
      if (schema.format === 'date-time') return new Date(Date.UTC(2026, rng.int(12), 1 + rng.int(28))).toISOString();
      const len = Math.max(
        schema.minLength ?? 1,
        Math.min(schema.maxLength ?? 12, rng.chance(0.2) ? (schema.maxLength ?? 12) : 8 + rng.int(5)),
      );
      return schema.pattern?.includes('0-9]{1')
        ? String(rng.int(10_000))
        : `A${rng.bytes(len).toString('hex')}`.slice(0, len);
    }
    default:
      return randomJson(rng, 2);
  }
}

/** Changes one randomly chosen field of `value` (in a copy): wrong type, removed, or an extra field beside it. */
export function mutate(value: unknown, schema: Schema, rng: Rng): unknown {
  const copy = structuredClone(value);
  const path: { parent: Record<string, unknown> | unknown[]; key: string | number; schema: Schema | undefined }[] = [];
  const walk = (v: unknown, s: Schema | undefined) => {
    if (Array.isArray(v))
      v.forEach((item, i) => (path.push({ parent: v, key: i, schema: s?.items }), walk(item, s?.items)));
    else if (v && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        const sub = s?.properties?.[k] ?? s?.anyOf?.find((a) => a.properties?.[k])?.properties?.[k];
        path.push({ parent: v as Record<string, unknown>, key: k, schema: sub });
        walk(item, sub);
      }
    }
  };
  walk(copy, schema);
  if (path.length === 0 || rng.chance(0.05)) return wrongValue(rng, schema);
  const at = rng.pick(path);
  const r = rng.int(10);
  if (r < 7) (at.parent as Record<string | number, unknown>)[at.key] = wrongValue(rng, at.schema);
  else if (r < 9) {
    if (Array.isArray(at.parent)) at.parent.splice(at.key as number, 1);
    else delete at.parent[at.key as string];
  } else if (!Array.isArray(at.parent)) {
    const key = rng.chance(0.5) ? '__proto__' : randomString(rng);
    Object.defineProperty(at.parent, key, {
      value: randomJson(rng, 2),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/** `depth` nested arrays or objects, as JSON text. */
export function deepJson(depth: number, kind: 'array' | 'object' | 'mixed', rng: Rng): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    const arr = kind === 'array' || (kind === 'mixed' && rng.chance(0.5));
    open += arr ? '[' : '{"a":';
    close = (arr ? ']' : '}') + close;
  }
  return `${open}1${close}`;
}

/** Values of another JSON type than the one named (integers also get a fraction). */
export const WRONG_TYPES: Record<string, unknown[]> = {
  string: [0, true, null, [], {}],
  integer: ['1', 1.5, true, null, [], {}],
  number: ['1', true, null, [], {}],
  boolean: ['true', 0, null, []],
  array: [{}, 'x', 0, null],
  object: [[], 'x', 0, null],
};

type Path = (string | number)[];

/** Every field of a JSON value (depth first), with its JSON type. */
export function fieldPaths(value: unknown, at: Path = []): { path: Path; type: string }[] {
  const type = Array.isArray(value)
    ? 'array'
    : value === null
      ? 'null'
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? 'integer'
          : 'number'
        : typeof value;
  const here = at.length ? [{ path: at, type }] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => fieldPaths(v, [...at, i]))];
  if (value && typeof value === 'object')
    return [...here, ...Object.entries(value).flatMap(([k, v]) => fieldPaths(v, [...at, k]))];
  return here;
}

export function setAt<T>(root: T, path: Path, value: unknown): T {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return root;
}

const enc = (s: string) => encodeURIComponent(s.toWellFormed());

/** Fills `{param}` segments with hostile values. */
export function fillParams(path: string, rng: Rng): string {
  return path.replace(/\{[^}]+\}/g, () =>
    rng.chance(0.3) ? rng.pick(['%zz', '%', '..', '%2F', '%00', '']) : enc(randomString(rng)),
  );
}

/** A path near the real ones: extra segments, doubled or dot segments, bad escapes, query strings. */
export function randomPath(rng: Rng, known: string[]): string {
  const base = rng.pick([...known, '/', '/lab', '/licservice', '/LAB/health', '/openapi.json/x', '/lab/faults/a/b']);
  switch (rng.int(5)) {
    case 0:
      return `/${Array.from({ length: rng.int(6) }, () => enc(randomString(rng))).join('/')}`;
    case 1:
      return `/${base}/`.replace(/\{[^}]+\}/g, 'x');
    case 2:
      return `${base.replace(/\{[^}]+\}/g, rng.pick(['%zz', '%E0%A4%A', '..%2F..']))}?${enc(randomString(rng))}=${enc(randomString(rng))}`;
    case 3:
      return base.replace(/\//g, () => rng.pick(['/', '//', '/./', '/../']));
    default:
      return `${base}${rng.pick(['.json', '%20', ';x', '#frag', '/..', '/%2e%2e'])}`;
  }
}

/** The schema of the field at `path` (through objects, arrays and anyOf). */
export function schemaAt(schema: Schema, path: Path): Schema | undefined {
  let at: Schema | undefined = schema;
  for (const key of path) {
    if (!at) return undefined;
    const options: Schema[] = at.anyOf ?? [at];
    at =
      typeof key === 'number'
        ? options.find((o) => o.items)?.items
        : options.find((o) => o.properties?.[key])?.properties?.[key];
  }
  return at;
}

/** Does the schema (or one of its anyOf alternatives) take a value of this one's JSON type? */
export function acceptsTypeOf(schema: Schema, value: unknown): boolean {
  const type = Array.isArray(value)
    ? 'array'
    : value === null
      ? 'null'
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? 'integer'
          : 'number'
        : typeof value;
  return (schema.anyOf ?? [schema]).some(
    (o) =>
      o.type === type ||
      (o.type === 'number' && type === 'integer') ||
      (type === 'boolean' && typeof o.const === 'boolean'),
  );
}
