/**
 * Roles of the management API (seed 002, "User Roles"): the role matrix, action by action, for the five
 * CSSM roles; another smart account's valid credentials against every management route; and every
 * denial a 403 in Cisco's envelope, written to the event log of the account it was aimed at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySeed, CloudService, createCloudApp, parseSeed, SqliteStore, type CloudApp } from '#cloud';
import { LabClock } from '#lab';
import { TEST_LAB_KEY } from './support/lab-key.ts';
import { TestDevice, type WireRequest } from './support/device.ts';
import { ManagementClient, SLA, type Reply } from './support/management.ts';

const ROLES = {
  'sa-admin': { account: 'example.com', role: 'Smart Account Administrator' },
  'sa-user': { account: 'example.com', role: 'Smart Account User' },
  approver: { account: 'example.com', role: 'Smart Account Approver' },
  'east-admin': { account: 'example.com', role: 'Virtual Account Administrator', virtualAccount: 'east' },
  'east-user': { account: 'example.com', role: 'Virtual Account User', virtualAccount: 'east' },
  'other-admin': { account: 'other.example', role: 'Smart Account Administrator' },
} as const;
type Who = keyof typeof ROLES;
const EXAMPLE_ROLES = Object.keys(ROLES).filter((w) => w !== 'other-admin') as Who[];

const va = (name: string) => ({
  name,
  licenses: [{ sku: 'C9300-NW-E-24', quantity: 20 }],
  tokens: [{ value: `${name.toUpperCase()}-REGISTRATION-TOKEN`, expiresAfterDays: 365 }],
});
const seed = parseSeed(
  JSON.stringify({
    accounts: [
      { name: 'Example Corp', domain: 'example.com', virtualAccounts: [va('east'), va('west')] },
      { name: 'Other Corp', domain: 'other.example', virtualAccounts: [va('DEFAULT')] },
    ],
    users: Object.entries(ROLES).map(([who, role]) => ({ username: `${who}@lab.example`, roles: [role] })),
    apiClients: Object.keys(ROLES).map((who) => ({
      user: `${who}@lab.example`,
      clientId: `${who}-client`,
      clientSecret: `${who}-secret`,
    })),
  }),
);

let clock: LabClock;
let service: CloudService;
let app: CloudApp;
let api: ManagementClient;
const tokens = {} as Record<Who, string>;

async function inProcess(req: WireRequest) {
  const [path, query = ''] = req.path.split(/\?(.*)/s);
  const res = await app.handle({
    method: req.method,
    path: path!,
    query: new URLSearchParams(query),
    headers: req.headers,
    body: req.body ?? Buffer.alloc(0),
  });
  if (typeof res === 'symbol') throw new Error('dropped');
  return res;
}

/** A device registered in `vaName` now. */
async function device(vaName: string): Promise<TestDevice> {
  const d = new TestDevice({ now: () => clock.now() });
  expect((await d.register(inProcess, `${vaName.toUpperCase()}-REGISTRATION-TOKEN`)).status).toBe(200);
  return d;
}

const sudi = (d: TestDevice) => ({ udiPid: d.udi.pid, udiSerialNumber: d.udi.sn });

async function denials(afterSeq: number) {
  return service
    .run('test', (tx) => tx.events({ afterSeq, limit: 1000 }))
    .then((es) => es.filter((e) => e.kind === 'access.denied'));
}

async function lastSeq(): Promise<number> {
  const all = await service.run('test', (tx) => tx.events({ limit: 100_000 }));
  return all.at(-1)?.seq ?? 0;
}

beforeAll(async () => {
  clock = LabClock.create({ mode: 'stepped' });
  service = await CloudService.open({
    store: SqliteStore.open({ path: ':memory:' }),
    clock,
    policy: { secretHashCost: 1024 },
  });
  await applySeed(service, seed);
  app = createCloudApp({
    service,
    clock,
    clockControl: clock,
    labKey: TEST_LAB_KEY,
    log: () => undefined,
    rateLimit: null,
  });
  api = new ManagementClient(inProcess, service.ca.publicKey);
  for (const who of Object.keys(ROLES) as Who[])
    tokens[who] = await api.token({ client_id: `${who}-client`, client_secret: `${who}-secret` });
});
afterAll(async () => {
  clock.dispose();
  await service.store.close();
});

/** One action of the matrix: run as `who`, with whatever it needs made fresh first. */
interface Action {
  name: string;
  allowed: Who[];
  run(who: Who): Promise<Reply>;
}

const SA_WIDE: Who[] = ['sa-admin', 'sa-user'];
const EAST_LICENSING: Who[] = ['sa-admin', 'sa-user', 'east-admin', 'east-user'];
let counter = 0;
const call = (who: Who, method: string, path: string, body?: unknown) => api.call(tokens[who], method, path, body);
const freshToken = async (vaName: string) =>
  (await call('sa-admin', 'POST', `/v1/accounts/example.com/virtual-accounts/${vaName}/tokens`, {})).body.tokenInfo
    .token as string;

const actions: Action[] = [
  {
    name: 'list virtual accounts',
    allowed: EXAMPLE_ROLES,
    run: (w) => call(w, 'GET', '/v1/accounts/example.com/customer/virtual-accounts'),
  },
  {
    name: 'create a virtual account',
    allowed: ['sa-admin'],
    run: (w) => call(w, 'POST', '/v1/accounts/example.com/CUSTOMER/virtual-accounts', { name: `va-${++counter}` }),
  },
  {
    name: 'delete a virtual account',
    allowed: ['sa-admin'],
    async run(w) {
      const name = `doomed-${++counter}`;
      await call('sa-admin', 'POST', '/v1/accounts/example.com/virtual-accounts', { name });
      return call(w, 'POST', `/v1/accounts/example.com/virtual-accounts/${name}/delete`);
    },
  },
  {
    name: 'list east tokens',
    allowed: EAST_LICENSING,
    run: (w) => call(w, 'GET', '/v1/accounts/example.com/virtual-accounts/east/tokens'),
  },
  {
    name: 'list west tokens',
    allowed: SA_WIDE,
    run: (w) => call(w, 'GET', '/v1/accounts/example.com/virtual-accounts/west/tokens'),
  },
  {
    name: 'create an east token',
    allowed: EAST_LICENSING,
    run: (w) => call(w, 'POST', '/v1/accounts/example.com/virtual-accounts/east/tokens', { description: w }),
  },
  {
    name: 'create a west token',
    allowed: SA_WIDE,
    run: (w) => call(w, 'POST', '/v1/accounts/example.com/virtual-accounts/west/tokens', { description: w }),
  },
  {
    name: 'revoke an east token',
    allowed: EAST_LICENSING,
    run: async (w) =>
      call(w, 'POST', '/v1/accounts/example.com/virtual-accounts/east/tokens/revoke', {
        tokens: [await freshToken('east')],
      }),
  },
  {
    name: 'revoke a west token',
    allowed: SA_WIDE,
    run: async (w) =>
      call(w, 'POST', '/v1/accounts/example.com/virtual-accounts/west/tokens/revoke', {
        tokens: [await freshToken('west')],
      }),
  },
  {
    name: 'read east license usage',
    allowed: EAST_LICENSING,
    run: (w) => call(w, 'POST', '/v1/accounts/example.com/licenses', { virtualAccounts: ['east'] }),
  },
  {
    name: 'read west license usage',
    allowed: SA_WIDE,
    run: (w) => call(w, 'POST', '/v1/accounts/example.com/licenses', { virtualAccounts: ['west'] }),
  },
  {
    name: 'transfer licenses east -> west',
    allowed: SA_WIDE,
    run: (w) =>
      call(w, 'POST', '/v1/accounts/example.com/virtual-accounts/east/licenses/transfer', {
        licenses: [{ license: 'C9300 Network Essentials', quantity: 1, targetVirtualAccount: 'west' }],
      }),
  },
  {
    name: 'transfer licenses west -> east',
    allowed: SA_WIDE,
    run: (w) =>
      call(w, 'POST', '/v1/accounts/example.com/virtual-accounts/west/licenses/transfer', {
        licenses: [{ license: 'C9300 Network Essentials', quantity: 1, targetVirtualAccount: 'east' }],
      }),
  },
  {
    name: 'list east devices',
    allowed: EAST_LICENSING,
    run: (w) => call(w, 'GET', '/v1/accounts/example.com/virtual-accounts/east/devices'),
  },
  {
    name: 'list west devices',
    allowed: SA_WIDE,
    run: (w) => call(w, 'POST', '/v1/accounts/example.com/devices', { virtualAccounts: ['west'] }),
  },
  {
    name: 'remove an east device',
    allowed: EAST_LICENSING,
    run: async (w) =>
      call(w, 'POST', '/v2/accounts/example.com/virtual-accounts/east/devices/remove', {
        productInstacesRemoveRequests: [{ sudi: sudi(await device('east')) }],
      }),
  },
  {
    name: 'remove a west device',
    allowed: SA_WIDE,
    run: async (w) =>
      call(w, 'POST', '/v2/accounts/example.com/virtual-accounts/west/devices/remove', {
        productInstacesRemoveRequests: [{ sudi: sudi(await device('west')) }],
      }),
  },
  {
    name: 'transfer an east device to west',
    allowed: SA_WIDE,
    run: async (w) =>
      call(w, 'POST', '/v1/accounts/example.com/virtual-accounts/east/devices/transfer', {
        productInstances: [{ sudi: sudi(await device('east')), targetVirtualAccount: 'west' }],
      }),
  },
  // A VA administrator reads the events of their VAs (the cloud-mock README's role table).
  {
    name: 'read the event log',
    allowed: ['sa-admin', 'approver', 'east-admin'],
    run: (w) => call(w, 'GET', '/v1/accounts/example.com/events'),
  },
  {
    name: 'read the east event log',
    allowed: ['sa-admin', 'approver', 'east-admin'],
    run: (w) => call(w, 'GET', '/v1/accounts/example.com/events?virtualAccount=east'),
  },
  {
    name: 'read the west event log',
    allowed: ['sa-admin', 'approver'],
    run: (w) => call(w, 'GET', '/v1/accounts/example.com/events?virtualAccount=west'),
  },
  {
    name: 'read east alerts',
    allowed: EXAMPLE_ROLES,
    run: (w) => call(w, 'POST', '/v1/accounts/example.com/alerts', { virtualAccounts: ['east'] }),
  },
  {
    name: 'read west alerts',
    allowed: ['sa-admin', 'sa-user', 'approver'],
    run: (w) => call(w, 'POST', '/v1/accounts/example.com/alerts', { virtualAccounts: ['west'] }),
  },
];

describe('the role matrix', () => {
  it.each(actions.map((a) => [a.name, a] as const))('%s', async (_, action) => {
    const outcome: string[] = [];
    for (const who of Object.keys(ROLES) as Who[]) {
      const mark = await lastSeq();
      const r = await action.run(who);
      const allowed = action.allowed.includes(who);
      if (allowed) {
        if (r.status !== 200) outcome.push(`${who}: expected 200, got ${r.status} ${JSON.stringify(r.body)}`);
        continue;
      }
      if (r.status !== 403 || r.body.status !== 'ERROR' || r.body.error?.code !== 'ACCESS_DENIED')
        outcome.push(`${who}: expected 403 ACCESS_DENIED, got ${r.status} ${JSON.stringify(r.body)}`);
      const logged = await denials(mark);
      if (logged.length !== 1 || logged[0]!.actor !== `user:${who}@lab.example`)
        outcome.push(`${who}: the denial was logged ${logged.length} times`);
    }
    expect(outcome).toEqual([]);
  });

  it('VA-scoped users see only their VAs in lists; an empty VA list means the VAs they may see', async () => {
    const vas = await call('east-user', 'GET', '/v1/accounts/example.com/virtual-accounts');
    expect(vas.body.virtualAccounts.map((v: { name: string }) => v.name)).toEqual(['east']);
    const licenses = await call('east-user', 'POST', '/v1/accounts/example.com/licenses', { virtualAccounts: [] });
    expect(new Set(licenses.body.licenses.map((l: { virtualAccount: string }) => l.virtualAccount))).toEqual(
      new Set(['east']),
    );
    expect(
      (await call('east-user', 'GET', '/v2/accounts/search?domain=example.com')).body.accounts[0].virtual_accounts.map(
        (v: { name: string }) => v.name,
      ),
    ).toEqual(['east']);
    expect(
      (await call('east-admin', 'GET', '/v1/accounts/example.com/events')).body.events.every(
        (e: { virtualAccount: string | null }) => e.virtualAccount === 'east',
      ),
    ).toBe(true);
    expect(
      (await call('sa-user', 'GET', '/v1/accounts/example.com/virtual-accounts')).body.virtualAccounts.length,
    ).toBeGreaterThan(2);
    // A VA that does not exist: 404 for smart-account roles, 403 (no probing) for VA roles.
    expect((await call('sa-user', 'GET', '/v1/accounts/example.com/virtual-accounts/north/tokens')).status).toBe(404);
    expect((await call('east-user', 'GET', '/v1/accounts/example.com/virtual-accounts/north/tokens')).status).toBe(403);
    const roles = (await call('east-admin', 'GET', '/v2/accounts')).body.accounts[0].roles;
    expect(roles).toEqual([{ role: 'Virtual Account Administrator', virtualAccount: 'east' }]);
  });

  it('the denial names the user, what was refused and the roles held', async () => {
    const r = await call('east-user', 'POST', '/v1/accounts/example.com/virtual-accounts/west/tokens', {});
    expect(r.body.statusMessage).toBe(
      'east-user@lab.example may not manage licenses, tokens and devices on virtual account west of example.com; roles held there: Virtual Account User (east)',
    );
    const t = await call('approver', 'GET', '/v1/accounts/example.com/virtual-accounts/east/tokens');
    expect(t.body.statusMessage).toBe(
      'approver@lab.example may not read licenses, tokens and devices on virtual account east of example.com; roles held there: Smart Account Approver',
    );
    const absent = await call('east-user', 'GET', '/v1/accounts/example.com/virtual-accounts/north/tokens');
    expect(absent.body.statusMessage).toBe(
      'east-user@lab.example has no role on a virtual account "north" of example.com',
    );
    const none = await call('approver', 'POST', '/v1/accounts/example.com/licenses', { virtualAccounts: [] });
    expect([none.status, none.body.statusMessage]).toEqual([
      403,
      'approver@lab.example may not read licenses, tokens and devices on smart account example.com; roles held there: Smart Account Approver',
    ]);
  });
});

describe('another smart account', () => {
  it("with valid credentials of other.example, every management route naming example.com answers 403, and each denial is in example.com's event log", async () => {
    const routes = app.routes.filter((r) => r.tag === 'management');
    expect(routes.length).toBeGreaterThanOrEqual(18);
    const mark = await lastSeq();
    const wrong: string[] = [];
    let named = 0;
    for (const r of routes) {
      const path = r.path.replace(':domain', 'example.com').replace(':accountType', 'customer').replace(':va', 'east');
      const body = r.method === 'GET' ? undefined : '{}';
      const reply = await api.raw(r.method, path, body, { authorization: `Bearer ${tokens['other-admin']}` });
      if (r.path.includes(':domain')) {
        named += 1;
        if (reply.status !== 403 || reply.body.error?.code !== 'ACCESS_DENIED' || reply.body.status !== 'ERROR')
          wrong.push(`${r.method} ${r.path}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
      } else if (JSON.stringify(reply.body).includes('example.com') || reply.status !== 200)
        wrong.push(`${r.method} ${r.path} leaks example.com or fails: ${JSON.stringify(reply.body).slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
    const example = (await service.run('t', (tx) => tx.findOne('smartAccounts', { domain: 'example.com' })))!;
    const logged = await denials(mark);
    expect(logged.length).toBe(named);
    expect(logged.every((e) => e.accountId === example.id && e.actor === 'user:other-admin@lab.example')).toBe(true);
    // The example.com admin reads them in the event log.
    const events = await call('sa-admin', 'GET', `/v1/accounts/example.com/events?after=${mark}&limit=1000`);
    expect(events.body.events.filter((e: { eventType: string }) => e.eventType === 'access.denied')).toHaveLength(
      named,
    );
  });

  it('a domain that does not exist is refused like one that does (no probing), and the holder of neither sees its own account only', async () => {
    const absent = await call('other-admin', 'GET', '/v1/accounts/nowhere.example/customer/virtual-accounts');
    const present = await call('other-admin', 'GET', '/v1/accounts/example.com/customer/virtual-accounts');
    expect([absent.status, present.status]).toEqual([403, 403]);
    expect(absent.body.statusMessage.replace('nowhere.example', 'X')).toBe(
      present.body.statusMessage.replace('example.com', 'X'),
    );
    expect(
      (await call('other-admin', 'GET', '/v2/accounts')).body.accounts.map(
        (a: { accountDomain: string }) => a.accountDomain,
      ),
    ).toEqual(['other.example']);
    expect(
      (await call('other-admin', 'GET', '/v1/accounts/search?domain=example')).body.accounts.map(
        (a: { domain: string }) => a.domain,
      ),
    ).toEqual(['other.example']);
    // Its own account works.
    expect(
      (await call('other-admin', 'POST', '/v1/accounts/other.example/licenses', { virtualAccounts: [] })).body
        .totalRecords,
    ).toBe(1);
  });

  it('requests without or with a bad bearer token are 401 on every management route', async () => {
    const wrong: string[] = [];
    for (const r of app.routes.filter((x) => x.tag === 'management')) {
      const path = r.path.replace(':domain', 'example.com').replace(':accountType', 'customer').replace(':va', 'east');
      for (const headers of [{}, { authorization: 'Bearer not-a-token' }] as Record<string, string>[]) {
        const reply = await api.raw(r.method, path, r.method === 'GET' ? undefined : '{}', headers);
        if (reply.status !== 401) wrong.push(`${r.method} ${r.path} ${JSON.stringify(headers)}: ${reply.status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(SLA).toBe('/services/api/smart-accounts-and-licensing');
  });
});
