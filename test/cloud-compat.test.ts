/**
 * The API driven exactly as the public clients in cssm-api.md drive Cisco's (same paths, headers, bodies,
 * and the same checks on the answers), over HTTP on both stores. "Done" for the management API: an
 * unmodified client creates a token, lists licenses and removes a device.
 * Clients replayed: darrenparkinson/smartaccounts (Go), abhaskar2907/cisco-smart-license (Ansible),
 * CiscoDevNet/smart-license-app resources/tokens.py, the IOS-XR SLR-return script, SSM On-Prem token scripts,
 * the gve-sw Postman collection (doubled prefix).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySeed, CloudService, createCloudApp, parseSeed, serve, type RunningServer } from '#cloud';
import { LabClock } from '#lab';
import { TEST_LAB_KEY } from './support/lab-key.ts';
import { openTestStore, storeKinds, type TestStore } from './support/test-stores.ts';
import { EXAMPLE_SEED } from './support/cloud-process.ts';
import { TestDevice } from './support/device.ts';

const NW_E = 'regid.2017-05.com.cisco.essentialsk9-Nyquist-C9300,1.0_6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d02';

describe.each(storeKinds)('public clients against the lab on %s', (kind) => {
  let db: TestStore;
  let clock: LabClock;
  let server: RunningServer;
  /** What the clients call their host: `https://swapi.cisco.com` and friends, here the lab. */
  let host: string;

  beforeAll(async () => {
    db = await openTestStore(kind);
    clock = LabClock.create({ mode: 'stepped', start: Date.parse('2026-05-10T09:00:00Z') });
    const service = await CloudService.open({ store: db.store, clock, policy: { secretHashCost: 1024 } });
    await applySeed(service, parseSeed(readFileSync(EXAMPLE_SEED, 'utf8')));
    server = await serve(
      createCloudApp({ service, clock, clockControl: clock, labKey: TEST_LAB_KEY, log: () => undefined }),
    );
    host = server.url;
  });
  afterAll(async () => {
    await server?.close();
    clock?.dispose();
    await db?.cleanup();
  });

  it('Go smartaccounts: password grant (form), then GET v2/accounts, search, customer/virtual-accounts and the licenses paging loop', async () => {
    // getToken(): the exact body string it builds.
    const pl = `client_id=${'lab-example-admin'}&client_secret=${'lab-example-admin-secret'}&username=${'admin@example.com'}&password=${'lab-admin-password'}&grant_type=password`;
    const tokenRes = await fetch(`${host}/as/token.oauth2`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: pl,
    });
    const t = (await tokenRes.json()) as { access_token: string; token_type: string; expires_in: number };
    expect([t.token_type, t.expires_in]).toEqual(['Bearer', 3599]);
    // makeRequest(): Authorization, Accept, Content-Type; anything but 200 is an error.
    const get = async (url: string, method = 'GET', body?: string) => {
      const res = await fetch(url, {
        method,
        headers: {
          Authorization: `Bearer ${t.access_token}`,
          Accept: 'application/json',
          'Content-Type': 'application/json',
        },
        ...(body ? { body } : {}),
      });
      expect(res.status, url).toBe(200);
      return (await res.json()) as any;
    };
    const sar = await get(`${host}/services/api/smart-accounts-and-licensing/v2/accounts`);
    const sa = sar.accounts[0];
    expect([sa.accountDomain, sa.accountName, sa.accountType, sa.accountStatus, sar.status]).toEqual([
      'example.com',
      'Example Corp',
      'CUSTOMER',
      'Active',
      'SUCCESS',
    ]);
    expect(sa.roles.map((r: { role: string }) => r.role)).toEqual(['Smart Account Administrator']);
    const sr = await get(
      `${host}/services/api/smart-accounts-and-licensing/v1/accounts/search?domain=${sa.accountDomain}&type=CUSTOMER&limit=1000&offset=0`,
    );
    expect(Number.isInteger(sr.accounts[0].id)).toBe(true);
    const varesp = await get(
      `${host}/services/api/smart-accounts-and-licensing/v1/accounts/${sa.accountDomain}/customer/virtual-accounts`,
    );
    for (const va of varesp.virtualAccounts)
      expect(Object.keys(va).sort()).toEqual(['commerceAccessLevel', 'description', 'isDefault', 'name']);
    // GetSmartLicenseUsage(): per VA, offset/limit 100 until a page is short.
    const licenses = [];
    for (const va of varesp.virtualAccounts) {
      let offset = 0;
      const limit = 100;
      for (;;) {
        const lr = await get(
          `${host}/services/api/smart-accounts-and-licensing/v1/accounts/${sa.accountDomain}/licenses`,
          'POST',
          JSON.stringify({ virtualAccounts: [va.name], limit, offset }),
        );
        licenses.push(...lr.licenses);
        if (lr.totalRecords < limit) break;
        offset += limit;
        if (offset > lr.totalRecords) break;
      }
    }
    expect(licenses.length).toBeGreaterThanOrEqual(4);
    for (const l of licenses) {
      expect(typeof l.quantity + typeof l.inUse + typeof l.available + typeof l.isPortable + typeof l.ahaApps).toBe(
        'numbernumbernumberbooleanboolean',
      );
      expect(['PREPAID', 'USAGE']).toContain(l.billingType);
      for (const d of l.licenseDetails) expect(['TERM', 'PERPETUAL', 'DEMO', 'STANDARD']).toContain(d.licenseType);
    }
  });

  it('Ansible cisco-smart-license: client_credentials form token, fetch-or-create a token, license usage, device transfer, with api_v2 = //services/api', async () => {
    // cloud_auth.yml: body_format form-urlencoded.
    const auth = await fetch(`${host}/as/token.oauth2`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: 'lab-example-admin',
        client_secret: 'lab-example-admin-secret',
        grant_type: 'client_credentials',
      }),
    });
    const accessToken = ((await auth.json()) as { access_token: string }).access_token;
    const api = `${host}/services/api/smart-accounts-and-licensing/v1`;
    const uri = async (url: string, method = 'GET', body?: unknown) => {
      const res = await fetch(url, {
        method,
        headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      expect(res.status, `${method} ${url}`).toBe(200);
      return (await res.json()) as any;
    };
    // token.yml: a fresh VA has no tokens, so the playbook creates one with token_create, then takes tokens[*].token |
    // first.
    await uri(`${api}/accounts/example.com/CUSTOMER/virtual-accounts`, 'POST', {
      name: 'CSLA Sandbox VA3',
      description: 'automation',
    });
    const vaName = 'CSLA Sandbox VA3'.replace(/ /g, '%20');
    const getToken = await uri(`${api}/accounts/example.com/virtual-accounts/${vaName}/tokens`);
    expect(getToken.tokens).toHaveLength(0);
    await uri(`${api}/accounts/example.com/virtual-accounts/${vaName}/tokens`, 'POST', {
      expiresAfterDays: 5,
      description: 'license migration token from automation',
      exportControlled: 'Allowed',
    });
    const slToken = (await uri(`${api}/accounts/example.com/virtual-accounts/${vaName}/tokens`)).tokens.map(
      (x: { token: string }) => x.token,
    )[0] as string;
    const device = new TestDevice({ now: () => clock.now() });
    expect((await device.register(host, slToken)).json).toMatchObject({
      status: 'REGISTERED',
      virtualAccount: 'CSLA Sandbox VA3',
      exportControlled: true,
    });
    // cloud_license.yml: {virtualAccounts: [name]} only; json.licenses[?status==`Out Of Compliance`].
    const usage = await uri(`${api}/accounts/example.com/licenses`, 'POST', { virtualAccounts: ['DEFAULT'] });
    expect(usage.licenses.filter((l: { status: string }) => l.status === 'Out Of Compliance')).toEqual([]);
    // transfer/cloud.yml: devices listed from api (and api_v2's double slash), matched by productTagName.
    const from = await uri(
      `${host}//services/api/smart-accounts-and-licensing/v1/accounts/example.com/virtual-accounts/${vaName}/devices`,
    );
    const tag = from.devices[0].productTagName as string;
    const productInstances = [
      {
        sudi: {
          suvi: null,
          uuid: '',
          hostIdentifier: null,
          udiPid: device.udi.pid,
          udiSerialNumber: device.udi.sn,
          udiVid: null,
          macAddress: null,
        },
        productTagName: tag,
        targetVirtualAccount: 'east',
      },
    ];
    expect(from.devices.map((d: { productTagName: string }) => d.productTagName)).toContain(
      productInstances[0]!.productTagName,
    );
    await uri(`${api}/accounts/example.com/virtual-accounts/${vaName}/devices/transfer`, 'POST', { productInstances });
    const to = await uri(`${api}/accounts/example.com/virtual-accounts/east/devices`);
    expect(to.devices.map((d: { productTagName: string }) => d.productTagName)).toContain(tag);
  });

  it('smart-license-app tokens.py: GET tokens (tokens[0].token), else POST its literal payload (tokenInfo.token), Cache-Control no-cache', async () => {
    const t = await fetch(`${host}/oauth2/default/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=lab-example-admin&client_secret=lab-example-admin-secret',
    });
    const oauthToken = `Bearer ${((await t.json()) as { access_token: string }).access_token}`;
    const headers = { Authorization: oauthToken, 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' };
    const url = `${host}/services/api/smart-accounts-and-licensing/v1/accounts/example.com/virtual-accounts/DEFAULT/tokens`;
    const listed = (await (await fetch(url, { headers })).json()) as { tokens: { token: string; status: string }[] };
    expect(listed.tokens[0]!.status).toBe('ACTIVE');
    const payload = '{"description": "SL Token Automation","expiresAfterDays": 30,"exportControlled": "Not Allowed"}';
    const created = (await (await fetch(url, { method: 'POST', headers, body: payload })).json()) as {
      tokenInfo: { token: string };
    };
    expect(
      (await new TestDevice({ now: () => clock.now() }).register(host, created.tokenInfo.token)).json,
    ).toMatchObject({ status: 'REGISTERED', exportControlled: false });
  });

  it('done when: an unmodified client creates a token, lists licenses and removes a device (IOS-XR query-parameter token, SLR-return remove)', async () => {
    // IOS-XR scripts: requests.post(url, params=...) puts the fields in the query string.
    const tokenUrl = `${host}/as/token.oauth2?${new URLSearchParams({ client_id: 'lab-example-admin', client_secret: 'lab-example-admin-secret', grant_type: 'client_credentials' })}`;
    const access = ((await (await fetch(tokenUrl, { method: 'POST' })).json()) as { access_token: string })
      .access_token;
    const headers = { Authorization: `Bearer ${access}`, 'Content-Type': 'application/json' };
    const base = `${host}/services/api/smart-accounts-and-licensing`;
    const created = (await (
      await fetch(`${base}/v1/accounts/example.com/virtual-accounts/DEFAULT/tokens`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ description: 'xr', expiresAfterDays: 1, exportControlled: 'Allowed' }),
      })
    ).json()) as any;
    const device = new TestDevice({ now: () => clock.now() });
    expect((await device.register(host, created.tokenInfo.token)).status).toBe(200);
    expect((await device.authorize(host, [{ tag: NW_E, count: 2 }])).json).toMatchObject({ status: 'AUTHORIZED' });
    const inUse = async () => {
      const res = (await (
        await fetch(`${base}/v1/accounts/example.com/licenses`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ virtualAccounts: ['DEFAULT'], limit: 50, offset: 0 }),
        })
      ).json()) as any;
      return res.licenses.find((l: { license: string }) => l.license === 'C9300 Network Essentials').inUse as number;
    };
    expect(await inUse()).toBe(2);
    // The SLR-return script's body, with Cisco's spelling; success is {"status": "SUCCESS"}.
    const remove = await fetch(`${base}/v2/accounts/example.com/virtual-accounts/DEFAULT/devices/remove`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        productInstacesRemoveRequests: [
          {
            sudi: { udiPid: device.udi.pid, udiSerialNumber: device.udi.sn },
            productTagName: `regid.2017-03.com.cisco.${device.udi.pid}`,
            returnCode: 'dST8Mh-GZn1io-hzmKLB-2Jvse4',
          },
        ],
      }),
    });
    expect(((await remove.json()) as { status: string }).status).toBe('SUCCESS');
    expect(await inUse()).toBe(0);
    expect((await device.authorize(host, [])).json).toMatchObject({ error: { code: 'CERTIFICATE_UNKNOWN' } });
  });

  it('SSM On-Prem token scripts (JSON body on /oauth/token and /backend/oauth/token) and the Postman doubled prefix', async () => {
    for (const path of ['/oauth/token', '/backend/oauth/token']) {
      const res = await fetch(`${host}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          client_id: 'lab-example-east',
          client_secret: 'lab-example-east-secret',
          grant_type: 'client_credentials',
        }),
      });
      const body = (await res.json()) as { access_token: string; expires_in: number };
      expect([res.status, body.expires_in]).toEqual([200, 3599]);
      const search = await fetch(
        `${host}/services/api/services/api/smart-accounts-and-licensing/v2/accounts/search?domain=example.com`,
        { headers: { Authorization: `Bearer ${body.access_token}` } },
      );
      expect(((await search.json()) as any).accounts[0].virtual_accounts.map((v: { name: string }) => v.name)).toEqual([
        'east',
      ]);
    }
    // Unauthenticated: the gateway's 401 (On-Prem answers 403; both are refusals the scripts report).
    expect((await fetch(`${host}/services/api/smart-accounts-and-licensing/v2/accounts`)).status).toBe(401);
  });
});
