/**
 * Fuzzing the cloud's HTTP surface: a seeded PRNG (FUZZ_SEED=<n> to replay another run) throws hostile
 * requests at every route of the cloud's own /openapi.json and at random paths, in-process through
 * app.handle() and over real HTTP. Whatever comes in, the cloud answers a signed JSON body, never a 5xx,
 * errors carry a catalogue code with the catalogue's status, it logs no internal error and stays up.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySeed, parseSeed, serve, type CloudApp, type RunningServer } from '#cloud';
import {
  buildDeviceRequest,
  devicePaths,
  entitlementCatalogue,
  headers as h,
  MAX_BODY_BYTES,
  type DeviceOperation,
  MINUTE,
  HOUR,
  DAY,
} from '#protocol';
import { openTestStore } from './support/test-stores.ts';
import { EXAMPLE_SEED } from './support/cloud-process.ts';
import { TestDevice, type WireRequest, type WireResponse } from './support/device.ts';
import { answerProblem, catalogueError, newFuzzLab, type Lab } from './support/fuzz-lab.ts';
import { httpSend, rawExchange } from './support/http-client.ts';
import { labKeyHeader } from './support/lab-key.ts';
import {
  acceptsTypeOf,
  deepJson,
  exampleOf,
  fieldPaths,
  fillParams,
  mutate,
  randomJson,
  randomNumber,
  randomPath,
  randomString,
  Rng,
  schemaAt,
  setAt,
  WRONG_TYPES,
  type Schema,
} from './support/fuzz.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 0x1ab5eed);
const IN_PROCESS_CASES = Number(process.env.FUZZ_CASES ?? 8_000);
const HTTP_CASES = 300;
const PG_CASES = Number(process.env.FUZZ_PG_CASES ?? 600);
const TOKEN = 'LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D';
const TAGS = entitlementCatalogue.map((e) => e.tag);
const OPS = Object.fromEntries(Object.entries(devicePaths).map(([op, path]) => [path, op as DeviceOperation]));
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'BREW'];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/problem+json',
  'text/plain',
  'application/yaml',
  'text/yaml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '',
  ';',
  'json',
];

interface Route {
  method: string;
  path: string;
  schema: Schema | undefined;
}

const seedDoc = parseSeed(readFileSync(EXAMPLE_SEED, 'utf8'));
const SLA = '/services/api/smart-accounts-and-licensing';
const ADMIN = { client_id: 'lab-example-admin', client_secret: 'lab-example-admin-secret' };
const EAST = { client_id: 'lab-example-east', client_secret: 'lab-example-east-secret' };
/** Bearer tokens of the seeded admin and east VA user, and a spare registration token management cases may revoke. */
const bearer = { admin: '', east: '', spareToken: '' };
const newLab = (logged: string[] = []) => newFuzzLab(seedDoc, logged);

/** The fuzzed cloud; replaced by a fresh one when a case leaves it broken, so later cases still find other bugs. */
let lab: Lab;
const retired: Lab[] = [];
const mainLog: string[] = [];
let routes: Route[];
let devices: TestDevice[] = [];
const inProcess = (req: WireRequest) => lab.send(req);

/** Accounts, a token and three registered devices: what signed cases act as. Run again after a lab reset. */
async function fixture(): Promise<void> {
  await applySeed(lab.service, seedDoc);
  devices = [0, 1, 2].map(() => new TestDevice({ now: () => lab.clock.now() }));
  for (const d of devices) {
    const answer = await d.register(inProcess, TOKEN);
    if (answer.status !== 200) throw new Error(`registration answered ${answer.status} ${JSON.stringify(answer.json)}`);
  }
  bearer.admin = await accessToken(ADMIN);
  bearer.east = await accessToken(EAST);
  const spare = await inProcess(
    authed(
      json('POST', `${SLA}/v1/accounts/example.com/virtual-accounts/DEFAULT/tokens`, { description: 'fuzz spare' }),
      bearer.admin,
    ),
  );
  bearer.spareToken = (JSON.parse(spare.body.toString()) as { tokenInfo: { token: string } }).tokenInfo.token;
}

async function accessToken(client: typeof ADMIN): Promise<string> {
  const res = await inProcess(json('POST', '/oauth/token', { ...client, grant_type: 'client_credentials' }));
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status} ${res.body.toString()}`);
  return (JSON.parse(res.body.toString()) as { access_token: string }).access_token;
}

/** A management request as `token`, with the account headers swapi's SLP routes read (cssm-api.md §1.3.11). */
function authed(req: WireRequest, token: string): WireRequest {
  const account = {
    'x-csw-smart-account-id': 'example.com',
    'x-csw-virtual-account-id': 'DEFAULT',
    'x-csw-requesting-system': '{"display_name":"fuzz"}',
  };
  return { ...req, headers: { ...req.headers, ...account, authorization: `Bearer ${token}` } };
}

beforeAll(async () => {
  lab = await newLab(mainLog);
  const doc = JSON.parse((await inProcess({ method: 'GET', path: '/openapi.json', headers: {} })).body.toString()) as {
    paths: Record<string, Record<string, { requestBody?: { content: { 'application/json': { schema: Schema } } } }>>;
  };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([m, op]) => ({
      method: m.toUpperCase(),
      path,
      schema: op.requestBody?.content['application/json'].schema,
    })),
  );
  expect(routes.length).toBeGreaterThanOrEqual(15);
  await fixture();
});

afterAll(async () => {
  for (const l of [lab, ...retired]) await l.close();
});

/**
 * After a 5xx: is the cloud still up, can devices still register? If not, the problem is recorded and a fresh cloud
 * takes over.
 */
let replacing: Promise<void> | undefined;
async function survive(what: string, problems: Map<string, string>): Promise<void> {
  const health = await lab.send({ method: 'GET', path: '/lab/health', headers: {} }).catch(() => undefined);
  const broken =
    health?.status !== 200
      ? `GET /lab/health answers ${health?.status}: ${health?.body.toString().slice(0, 100)}`
      : await fixture().then(
          () => undefined,
          (e: Error) => `a device cannot register: ${e.message.slice(0, 200)}`,
        );
  if (!broken) return;
  problems.set(`broken by ${what}`, `${what} left the cloud broken (${broken})`);
  replacing ??= (async () => {
    retired.push(lab);
    lab = await newLab(mainLog);
    await fixture();
  })().finally(() => (replacing = undefined));
  await replacing;
}

// ------------------------------------------------------------------------------------------ cases

interface Case {
  kind: string;
  route: Route | undefined;
  req: WireRequest;
  device?: TestDevice;
}

/** Hints that make examples pass the first checks, so mutations reach deeper code. */
function hints(rng: Rng, device: TestDevice | undefined): Record<string, () => unknown> {
  return {
    udi: () =>
      device && rng.chance(0.9)
        ? device.udi
        : { pid: 'C9300-24T', sn: `FZ${rng.bytes(4).toString('hex').toUpperCase()}` },
    timestamp: () =>
      rng.chance(0.85)
        ? lab.clock.now()
        : rng.chance(0.5)
          ? randomNumber(rng)
          : lab.clock.now() + rng.pick([-1, 1]) * 25 * HOUR,
    idToken: () => (rng.chance(0.7) ? TOKEN : randomString(rng)),
    publicKey: () =>
      device && rng.chance(0.9)
        ? device.publicKeyB64
        : rng.chance(0.5)
          ? rng.bytes(91).toString('base64')
          : randomString(rng),
    tag: () => (rng.chance(0.7) ? rng.pick(TAGS) : randomString(rng)),
    hostname: () => (rng.chance(0.5) ? 'sw1' : randomString(rng) || 'h'),
    to: () =>
      rng.chance(0.5)
        ? new Date(Math.min(lab.clock.now() + rng.int(10 * DAY), 8.64e15)).toISOString()
        : randomString(rng),
    advanceMs: () => (rng.chance(0.8) ? rng.int(3 * DAY) : randomNumber(rng)),
    path: () => (rng.chance(0.3) ? '/nothing/matches/*' : randomString(rng)),
    grant_type: () =>
      rng.chance(0.8) ? rng.pick(['client_credentials', 'password', 'refresh_token']) : randomString(rng),
    client_id: () => (rng.chance(0.7) ? ADMIN.client_id : randomString(rng)),
    client_secret: () => (rng.chance(0.7) ? ADMIN.client_secret : randomString(rng)),
    username: () => (rng.chance(0.6) ? 'admin@example.com' : randomString(rng)),
    password: () => (rng.chance(0.6) ? 'lab-admin-password' : randomString(rng)),
    virtualAccounts: () =>
      rng.chance(0.7) ? rng.pick([[], ['DEFAULT'], ['east'], ['DEFAULT', 'east']]) : [randomString(rng)],
    targetVirtualAccount: () => (rng.chance(0.8) ? rng.pick(['DEFAULT', 'east']) : randomString(rng)),
    license: () =>
      rng.chance(0.7) ? rng.pick(['C9300 Network Essentials', 'C9300-48 DNA Essentials']) : randomString(rng),
    quantity: () => (rng.chance(0.7) ? 1 + rng.int(3) : randomNumber(rng)),
    tokens: () => [rng.chance(0.5) ? bearer.spareToken : randomString(rng)],
    sudi: () => {
      const d = rng.chance(0.8) ? rng.pick(devices).udi : { pid: 'C9300-24T', sn: 'NOPE' };
      return { udiPid: d.pid, udiSerialNumber: d.sn, udiVid: null };
    },
    account: () => (rng.chance(0.7) ? 'example.com' : randomString(rng)),
    virtualAccount: () => (rng.chance(0.7) ? 'east' : randomString(rng)),
    user: () => (rng.chance(0.7) ? 'admin@example.com' : randomString(rng)),
  };
}

/** Management paths mostly name the seeded account and its VAs, so cases reach the roles and the domain. */
function fillManagementParams(path: string, rng: Rng): string {
  if (rng.chance(0.3)) return fillParams(path, rng);
  const values: Record<string, () => string> = {
    domain: () => rng.pick(['example.com', 'example.com', 'partner.example.net', 'nope.example']),
    accountType: () => rng.pick(['customer', 'CUSTOMER', 'holding', 'bogus']),
    va: () => rng.pick(['DEFAULT', 'east', 'west', 'no%20such']),
  };
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => values[name]?.() ?? 'x');
}

/** Who a management case acts as: mostly the admin, sometimes the east VA user, a bad or no token. */
function authorization(rng: Rng): Record<string, string> {
  const r = rng.next();
  if (r < 0.6) return { authorization: `Bearer ${bearer.admin}` };
  if (r < 0.8) return { authorization: `Bearer ${bearer.east}` };
  if (r < 0.9)
    return {
      authorization: rng.pick([
        'Bearer',
        'Bearer nope',
        `Basic ${Buffer.from('a:b').toString('base64')}`,
        randomString(rng),
      ]),
    };
  return {};
}

function bodyFor(route: Route | undefined, rng: Rng, device?: TestDevice): unknown {
  if (route?.path === '/lab/seed') {
    const doc = structuredClone(seedDoc) as { accounts: { domain: string }[] };
    for (const a of doc.accounts) a.domain = `${rng.bytes(3).toString('hex')}.${a.domain}`;
    return rng.chance(0.8) ? mutate(doc, {}, rng) : doc;
  }
  if (!route?.schema) return randomJson(rng);
  const example = exampleOf(route.schema, rng, hints(rng, device));
  return rng.chance(0.75) ? mutate(example, route.schema, rng) : example;
}

function randomHeaders(rng: Rng): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = rng.int(4); i > 0; i--) {
    const name = rng.pick([
      h.signature,
      h.certificateSerial,
      'content-type',
      'x-lab-key-id',
      'content-encoding',
      'x-forwarded-for',
      `x-fuzz-${i}`,
    ]);
    const serial = (devices.length ? rng.pick(devices).certificateSerial : undefined) ?? 'ab';
    out[name] = rng.pick([
      randomString(rng),
      rng.bytes(rng.int(80)).toString('base64'),
      serial,
      serial.toUpperCase(),
      `${serial}00`,
      'gzip',
      '',
      'A'.repeat(8_000),
    ]);
  }
  return out;
}

function buildCase(rng: Rng): Case {
  const route = rng.pick(routes);
  const kind = rng.pick([
    'json',
    'json',
    'mutation',
    'mutation',
    'mutation',
    'signed',
    'signed',
    'signed',
    'garbage',
    'deep',
    'huge',
    'dup-keys',
    'proto',
    'content-type',
    'path',
    'path',
  ]);
  const method = rng.chance(0.9) ? route.method : rng.pick(METHODS);
  const ct = { 'content-type': rng.chance(0.9) ? 'application/json' : rng.pick(CONTENT_TYPES) };
  const management = route.path.startsWith(SLA);
  const auth = management ? authorization(rng) : {};
  const req = (
    body: Buffer | string,
    headers: Record<string, string> = ct,
    path = management ? fillManagementParams(route.path, rng) : fillParams(route.path, rng),
  ): WireRequest => ({
    method,
    path,
    headers: { ...auth, ...(rng.chance(0.3) ? { ...headers, ...randomHeaders(rng) } : headers) },
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
  });
  const json = (v: unknown) => JSON.stringify(v) ?? 'null';
  switch (kind) {
    case 'json':
      return { kind, route, req: req(json(randomJson(rng))) };
    case 'mutation':
      return { kind, route, req: req(json(bodyFor(route, rng))) };
    case 'signed': {
      const devPath = rng.pick(Object.values(devicePaths));
      const devRoute = routes.find((r) => r.path === devPath)!;
      const op = OPS[devRoute.path]!;
      const device = rng.pick(devices);
      const body = bodyFor(devRoute, rng, device) as object;
      const serial = rng.chance(0.9) ? device.certificateSerial : randomString(rng);
      const signed = buildDeviceRequest(op, body, device.privateKey, serial);
      if (rng.chance(0.1))
        signed.headers[h.signature] = rng.pick([
          rng.bytes(70).toString('base64'),
          '',
          '!!',
          signed.headers[h.signature]!.slice(4),
        ]);
      return {
        kind,
        route: devRoute,
        device,
        req: { ...signed, ...(rng.chance(0.2) ? { headers: { ...signed.headers, ...randomHeaders(rng) } } : {}) },
      };
    }
    case 'garbage': {
      const bytes = rng.pick([
        () => rng.bytes(rng.int(300)),
        () =>
          Buffer.concat([
            Buffer.from('{"udi":"'),
            Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80]),
            Buffer.from('"}'),
          ]),
        () => Buffer.from(json(bodyFor(route, rng)).slice(0, -1 - rng.int(5))),
        () =>
          Buffer.from(
            rng.pick([
              '',
              ' ',
              'null',
              '"x"',
              '1',
              '[]',
              '{}',
              'NaN',
              "{'a':1}",
              '{"a":1,}',
              '\ufeff{}',
              '{"a":1}{"a":2}',
              'a: [b',
              '- - -\n: :',
              '!!js/function x',
              '&a [*a, *a]',
            ]),
          ),
      ])();
      return { kind, route, req: req(bytes) };
    }
    case 'deep':
      return {
        kind,
        route,
        req: req(deepJson(rng.pick([1_000, 10_000, 100_000]), rng.pick(['array', 'object', 'mixed'] as const), rng)),
      };
    case 'huge': {
      const size = rng.pick([100_000, 500_000, MAX_BODY_BYTES - 100]);
      return {
        kind,
        route,
        req: req(
          json({
            ...(bodyFor(route, rng) as object),
            [rng.pick(['idToken', 'hostname', 'nonce', 'path', 'to'])]: 'x'.repeat(size),
            sn: '\u00e9'.repeat(1_000),
          }),
        ),
      };
    }
    case 'dup-keys': {
      const text = json(bodyFor(route, rng));
      return {
        kind,
        route,
        req: req(
          text.startsWith('{"')
            ? `{"udi":${json(randomJson(rng, 2))},"timestamp":"x",${text.slice(1, -1)},"udi":{"pid":"A","sn":"B"},"udi":null}`
            : text,
        ),
      };
    }
    case 'proto': {
      const text = json(bodyFor(route, rng));
      const inject = rng.pick([
        '"__proto__":{"polluted":true}',
        '"constructor":{"prototype":{"polluted":true}}',
        '"__proto__":null',
        '"__proto__":[1]',
      ]);
      return {
        kind,
        route,
        req: req(text.startsWith('{') && text.length > 2 ? `{${inject},${text.slice(1)}` : `{${inject}}`),
      };
    }
    case 'content-type':
      return {
        kind,
        route,
        req: req(json(bodyFor(route, rng)), {
          'content-type': rng.chance(0.8) ? rng.pick(CONTENT_TYPES) : randomString(rng),
        }),
      };
    default:
      return {
        kind,
        route: undefined,
        req: req(
          rng.chance(0.5) ? '' : json(randomJson(rng, 2)),
          ct,
          randomPath(
            rng,
            routes.map((r) => r.path),
          ),
        ),
      };
  }
}

// ------------------------------------------------------------------------------------------ checks

const codes = new Map<string, number>();
const problemWith = (res: WireResponse, method: string, on: Lab = lab) => answerProblem(res, method, on, codes);

/** Keeps the fixture usable: signed cases change serials, deregister devices and reset the lab. */
async function afterCase(c: Case, res: WireResponse): Promise<void> {
  if (res.status !== 200) return;
  const body = JSON.parse(res.body.toString()) as {
    udi?: { sn?: string };
    certificateSerial?: string;
    status?: string;
  };
  if (c.req.path === '/lab/reset') return fixture();
  const d = c.device;
  if (!d) return;
  if (body.certificateSerial && (body.udi === undefined || body.udi.sn === d.udi.sn))
    d.certificateSerial = body.certificateSerial;
  if (body.status === 'DEREGISTERED') await d.register(inProcess, TOKEN);
}

async function runCases(
  n: number,
  rng: Rng,
  send: (req: WireRequest) => Promise<WireResponse>,
  concurrency = 1,
): Promise<{ problems: string[]; hits: Map<string, number> }> {
  const problems = new Map<string, string>();
  const hits = new Map<string, number>();
  let next = 0;
  async function lane(): Promise<void> {
    while (next < n) {
      const i = next++;
      lab.app.context.faults.clear();
      const c = buildCase(rng);
      if (c.route)
        hits.set(`${c.route.method} ${c.route.path}`, (hits.get(`${c.route.method} ${c.route.path}`) ?? 0) + 1);
      let problem: string | undefined;
      let res: WireResponse | undefined;
      try {
        res = await send(c.req);
        problem = problemWith(res, c.req.method);
      } catch (err) {
        problem = `threw ${(err as Error).message}`;
      }
      if (problem) {
        const key = `${problem} ${c.req.method} ${c.route?.path ?? 'random'}`;
        const body = res ? res.body.toString('utf8').slice(0, 300) : '';
        if (!problems.has(key))
          problems.set(
            key,
            `case ${i} (${c.kind}) ${c.req.method} ${c.req.path.slice(0, 120)}: ${problem}; request ${c.req.body?.toString('utf8').slice(0, 200)}; answer ${body}`,
          );
        if (!res || res.status >= 500) await survive(`case ${i}`, problems);
      } else if (res && concurrency === 1) await afterCase(c, res).catch(() => survive(`case ${i}`, problems));
      if (i % 250 === 249 && concurrency === 1) await survive(`cases up to ${i}`, problems);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { problems: [...problems.values()], hits };
}

/** Up, nothing logged as a defect since `mark`, no prototype polluted. */
async function expectHealthy(on: Lab, mark: number): Promise<void> {
  expect((await on.send({ method: 'GET', path: '/lab/health', headers: {} })).status).toBe(200);
  const defects = on.logged
    .slice(mark)
    .filter((l) => l.includes('[cloud] internal error') || l.includes('failed to answer'));
  expect([...new Set(defects.map((l) => l.split('\n', 1)[0]))]).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

const json = (req: WireRequest['method'], path: string, body: unknown): WireRequest => ({
  method: req,
  path,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify(body)),
});

describe(`fuzzing the cloud (FUZZ_SEED=${SEED})`, () => {
  it(
    `in-process: ${IN_PROCESS_CASES} hostile requests at every OpenAPI route and random paths`,
    { timeout: MINUTE },
    async () => {
      const mark = mainLog.length;
      const { problems, hits } = await runCases(IN_PROCESS_CASES, new Rng(SEED), inProcess);
      expect.soft(problems).toEqual([]);
      for (const r of routes)
        expect(hits.get(`${r.method} ${r.path}`) ?? 0, `${r.method} ${r.path} was hardly fuzzed`).toBeGreaterThan(20);
      // The fuzzer reached past parsing into authentication and the domain.
      for (const code of [
        'MALFORMED_JSON',
        'SCHEMA_VIOLATION',
        'UNSUPPORTED_MEDIA_TYPE',
        'ROUTE_NOT_FOUND',
        'METHOD_NOT_ALLOWED',
        'SIGNATURE_MISSING',
        'SIGNATURE_INVALID',
        'CERTIFICATE_UNKNOWN',
        'IDENTITY_MISMATCH',
        'CLOCK_SKEW',
        'TOKEN_UNKNOWN',
        'KEY_INVALID',
        'PROOF_OF_POSSESSION_FAILED',
        'SEED_INVALID',
        'INVALID_VALUE',
        'ACCESS_TOKEN_MISSING',
        'ACCESS_TOKEN_INVALID',
        'ACCESS_DENIED',
        'OAUTH_INVALID_CLIENT',
        'OAUTH_UNSUPPORTED_GRANT_TYPE',
        'VIRTUAL_ACCOUNT_NOT_FOUND',
      ]) {
        expect(codes.get(code) ?? 0, `no case reached ${code}`).toBeGreaterThan(0);
      }
      await expectHealthy(lab, mark);
    },
  );

  it(`in-process on PostgreSQL: ${PG_CASES} hostile requests at every route`, { timeout: MINUTE }, async () => {
    const pg = await openTestStore('postgres');
    const sqliteLab = lab;
    lab = await newFuzzLab(seedDoc, mainLog, pg.store);
    const mark = mainLog.length;
    try {
      await fixture();
      const { problems } = await runCases(PG_CASES, new Rng(SEED + 4), inProcess);
      expect.soft(problems).toEqual([]);
      await expectHealthy(lab, mark);
    } finally {
      lab.clock.dispose();
      await pg.cleanup();
      lab = sqliteLab;
      await fixture();
    }
  });

  it('every field of every request schema (and of the seed), given a value of another JSON type, is refused with 400', async () => {
    const rng = new Rng(SEED + 3);
    const wrong: string[] = [];
    let cases = 0;
    // Not /lab/reset: its valid example would wipe the fixture (test/abuse.test.ts refuses its wrong bodies).
    for (const route of routes.filter((r) => (r.schema || r.path === '/lab/seed') && r.path !== '/lab/reset')) {
      const device = devices[0]!;
      const valid = {
        udi: () => device.udi,
        timestamp: () => lab.clock.now(),
        publicKey: () => device.publicKeyB64,
        tag: () => TAGS[0],
        idToken: () => TOKEN,
        hostname: () => 'sw1',
        to: () => new Date(lab.clock.now() + 1_000).toISOString(),
        advanceMs: () => 1_000,
        path: () => '/nothing/*',
        virtualAccounts: () => ['DEFAULT'],
        targetVirtualAccount: () => 'east',
        license: () => 'C9300 Network Essentials',
        tokens: () => [bearer.spareToken],
        account: () => 'example.com',
        role: () => 'Smart Account User',
        user: () => 'admin@example.com',
        // The management API's camelCase sudi, or swapi's snake_case one (SLP bodies).
        sudi: (s: Schema) =>
          s.properties?.udi_pid
            ? { udi_pid: device.udi.pid, udi_serial_number: device.udi.sn }
            : { udiPid: device.udi.pid, udiSerialNumber: device.udi.sn },
        grant_type: () => 'client_credentials',
        username: () => `u${rng.int(1e9)}@example.com`,
        name: () => `va${rng.int(1e9)}`,
        clientId: () => `client-${rng.int(1e9)}`,
      };
      // The seed route checks its (YAML or JSON) document itself, answering SEED_INVALID.
      const schema = route.path === '/lab/seed' ? undefined : route.schema;
      const example = schema ? exampleOf(schema, rng, valid, '', true) : structuredClone(seedDoc);
      const expected = schema ? 'SCHEMA_VIOLATION' : 'SEED_INVALID';
      const op = OPS[route.path];
      const path = route.path
        .replace('{domain}', 'example.com')
        .replace('{accountType}', 'customer')
        .replace('{va}', 'DEFAULT');
      const request = (body: unknown) => {
        if (op) return buildDeviceRequest(op, body as object, device.privateKey, device.certificateSerial);
        const req = json(route.method, path, body);
        return path.startsWith(SLA) ? authed(req, bearer.admin) : req;
      };
      // The unchanged example passes the schema (so each refusal below is about the one changed field).
      const base = await inProcess(
        op ? { ...request(example), headers: { 'content-type': 'application/json' } } : request(example),
      );
      const codeOf = (res: WireResponse) =>
        (catalogueError(JSON.parse(res.body.toString())) as { code?: unknown }).code;
      expect(codeOf(base), `${route.path}: ${base.body.toString()}`).not.toBe(expected);
      for (const { path, type } of fieldPaths(example)) {
        // A field that takes several types (`"expiresAfterDays": 30` or `"30"`) is tested with the others only.
        const field = schema ? schemaAt(schema, path) : undefined;
        // A poll id is read as its digits whether sent as a string or as swapi's bare integer (parseSlpJson).
        const pollId = path.at(-1) === 'poll_id';
        const wrongValues = (WRONG_TYPES[type] ?? []).filter(
          (v) => (!field || !acceptsTypeOf(field, v)) && !(pollId && Number.isSafeInteger(v) && (v as number) >= 0),
        );
        for (const value of wrongValues) {
          lab.app.context.faults.clear();
          cases += 1;
          const res = await inProcess(request(setAt(structuredClone(example), path, value)));
          const code = codeOf(res);
          if (res.status !== 400 || code !== expected || problemWith(res, 'POST'))
            wrong.push(
              `${route.path} ${path.join('.')}=${JSON.stringify(value)}: ${res.status} ${res.body.toString().slice(0, 150)}`,
            );
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(cases).toBeGreaterThan(300);
  });

  describe('over HTTP', () => {
    let server: RunningServer;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    beforeAll(async () => {
      // Through `lab`, so a replacement cloud is served too.
      const current: CloudApp = {
        get routes() {
          return lab.app.routes;
        },
        get context() {
          return lab.app.context;
        },
        handle: (req) => lab.app.handle(req),
        sign: (res) => lab.app.sign(res),
      };
      server = await serve(current, { port: 0 });
    });
    afterAll(async () => {
      agent.destroy();
      await server.close();
    });

    it(`${HTTP_CASES} hostile requests through node:http, 8 at a time`, { timeout: 30_000 }, async () => {
      const mark = mainLog.length;
      const { problems } = await runCases(
        HTTP_CASES,
        new Rng(SEED + 1),
        (req) => httpSend(server.url, req, { agent }),
        8,
      );
      expect(problems).toEqual([]);
      await expectHealthy(lab, mark);
    });

    it(
      'bodies just over 1 MiB get a signed 413 BODY_TOO_LARGE on every route, declared or chunked; 1 MiB exactly is read',
      { timeout: 30_000 },
      async () => {
        const mark = mainLog.length;
        const rng = new Rng(SEED + 2);
        for (const route of routes) {
          for (const chunked of [false, true]) {
            const over = Buffer.alloc(MAX_BODY_BYTES + 1 + rng.int(1_000), 0x20);
            const where = `${route.method} ${route.path} chunked=${chunked}`;
            const res = await httpSend(
              server.url,
              {
                method: route.method,
                path: fillParams(route.path, rng),
                headers: { 'content-type': 'application/json' },
                body: over,
              },
              { chunked },
            ).catch((e: Error) => {
              throw new Error(`${where}: ${e.message}`);
            });
            expect(res.status, where).toBe(413);
            expect(problemWith(res, route.method), where).toBeUndefined();
            expect(JSON.parse(res.body.toString()), where).toMatchObject({ error: { code: 'BODY_TOO_LARGE' } });
          }
        }
        const exact = Buffer.alloc(MAX_BODY_BYTES, 0x20);
        exact.write('{}');
        const res = await httpSend(
          server.url,
          {
            method: 'POST',
            path: '/lab/clock',
            headers: { 'content-type': 'application/json', ...labKeyHeader },
            body: exact,
          },
          { chunked: true },
        );
        expect(JSON.parse(res.body.toString())).toMatchObject({ error: { code: 'INVALID_VALUE' } });
        await expectHealthy(lab, mark);
      },
    );

    it('what node:http itself refuses (unknown method, 20 KiB of headers, broken chunking) still gets a signed catalogue error', async () => {
      for (const bytes of [
        'BREW /lab/health HTTP/1.1\r\nHost: x\r\n\r\n',
        `GET /lab/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        'POST /lab/clock HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      ]) {
        const res = await rawExchange(server.url, bytes);
        expect(res.status, bytes.slice(0, 40)).toBeGreaterThanOrEqual(400);
        expect(
          problemWith(res, 'GET'),
          `${bytes.slice(0, 40)} answered ${res.status} ${JSON.stringify(res.headers)} ${res.body.toString()}`,
        ).toBeUndefined();
      }
    });
  });

  // Edge values the schemas let through, found by this fuzzer; each runs on its own cloud since a
  // failure may leave that cloud broken.
  describe('schema-valid edge values answer 4xx, not 500', () => {
    /** Runs `check` on a cloud of its own (a failure may leave that cloud broken), then checks it is healthy. */
    const onOwnCloud = (check: (own: Lab, device: TestDevice) => Promise<void>) => async () => {
      const own = await newLab();
      try {
        await check(own, new TestDevice({ now: () => own.clock.now() }));
        await expectHealthy(own, 0);
      } finally {
        await own.close();
      }
    };

    it(
      'a signed device request with a timestamp past year 9999 is refused by the schema, not a 500',
      onOwnCloud(async (own, device) => {
        expect((await device.register((r) => own.send(r), TOKEN)).status).toBe(200);
        for (const timestamp of [1e300, 8.64e15 + 1, 2 ** 53 + 2]) {
          const res = await own.send(
            buildDeviceRequest(
              'authorize',
              { udi: device.udi, timestamp, nonce: 'n0nce-123', entitlements: [] },
              device.privateKey,
              device.certificateSerial,
            ),
          );
          expect(problemWith(res, 'POST', own), `timestamp ${timestamp}: ${res.body.toString()}`).toBeUndefined();
          expect(JSON.parse(res.body.toString()).error.code).toBe('SCHEMA_VIOLATION');
          expect(JSON.parse(res.body.toString()).error.message).toContain('/timestamp');
        }
      }),
    );

    it(
      'a registration whose hostname holds a lone surrogate ("\\ud800", valid JSON) is refused with 400',
      onOwnCloud(async (own, device) => {
        const body = {
          udi: device.udi,
          timestamp: own.clock.now(),
          nonce: 'n0nce-123',
          idToken: TOKEN,
          hostname: 'sw\ud800',
          publicKey: device.publicKeyB64,
        };
        const res = await own.send(buildDeviceRequest('register', body, device.privateKey));
        expect(problemWith(res, 'POST', own), res.body.toString()).toBeUndefined();
        expect(res.status).toBe(400);
      }),
    );

    it(
      'a lab clock set to year 9999 (a valid ISO time) does not turn registrations into 500s',
      onOwnCloud(async (own, device) => {
        const set = await own.send(json('POST', '/lab/clock', { to: '9999-06-01T00:00:00.000Z' }));
        expect(problemWith(set, 'POST', own)).toBeUndefined();
        // A token made now (the seeded one expired in 2027).
        const token = { value: 'LAB-FAR-FUTURE-TOKEN', expiresAfterDays: 30 };
        const seeded = await own.send(
          json('POST', '/lab/seed', {
            accounts: [{ name: 'Far', domain: 'far.example', virtualAccounts: [{ name: 'DEFAULT', tokens: [token] }] }],
          }),
        );
        expect(seeded.status, seeded.body.toString()).toBe(200);
        const reg = await device.register((r) => own.send(r), token.value);
        // Either the clock refused a time the CA cannot certify, or registration answers a catalogue error.
        expect(
          set.status === 400 || reg.status < 500,
          `clock ${set.status}, registration ${reg.status} ${JSON.stringify(reg.json)}`,
        ).toBe(true);
      }),
    );

    it(
      'POST /lab/clock {advanceMs: 1e300} is refused with 400 and leaves the clock (and the cloud) working',
      onOwnCloud(async (own) => {
        const before = own.clock.now();
        for (const advanceMs of [1e300, 8.64e15]) {
          const res = await own.send(json('POST', '/lab/clock', { advanceMs }));
          expect(problemWith(res, 'POST', own), `advanceMs ${advanceMs}: ${res.body.toString()}`).toBeUndefined();
          expect(res.status).toBe(400);
        }
        expect(own.clock.now()).toBe(before);
      }),
    );
  });
});
