/**
 * The management API over real HTTP on both stores: the OAuth2 token endpoints in every form, the Smart
 * Accounts and Licensing routes with Cisco's field names and envelopes, rate limits, the event log, and
 * lab control of users and API clients. Roles are in cloud-roles.test.ts, public clients in cloud-compat.test.ts.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySeed, CloudService, createCloudApp, parseSeed, serve, type CloudApp, type RunningServer } from '#cloud';
import { LabClock } from '#lab';
import { TEST_LAB_KEY } from './support/lab-key.ts';
import { openTestStore, storeKinds, type TestStore } from './support/test-stores.ts';
import { EXAMPLE_SEED } from './support/cloud-process.ts';
import { TestDevice } from './support/device.ts';
import { ADMIN, EAST, ManagementClient } from './support/management.ts';
import { DAY } from '#protocol';

const NW_E = 'regid.2017-05.com.cisco.essentialsk9-Nyquist-C9300,1.0_6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d02';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe.each(storeKinds)('management API on %s', (kind) => {
  let db: TestStore;
  let clock: LabClock;
  let app: CloudApp;
  let server: RunningServer;
  let api: ManagementClient;
  let admin: string;
  const logged: string[] = [];

  beforeAll(async () => {
    db = await openTestStore(kind);
    clock = LabClock.create({ mode: 'stepped', start: Date.parse('2026-03-13T08:09:24Z') });
    const service = await CloudService.open({ store: db.store, clock, policy: { secretHashCost: 1024 } });
    await applySeed(service, parseSeed(readFileSync(EXAMPLE_SEED, 'utf8')));
    app = createCloudApp({
      service,
      clock,
      clockControl: clock,
      labKey: TEST_LAB_KEY,
      log: (l) => logged.push(l),
      rateLimit: null,
    });
    server = await serve(app);
    api = new ManagementClient(server.url, service.ca.publicKey);
    admin = await api.token(ADMIN);
  });
  afterAll(async () => {
    await server?.close();
    clock?.dispose();
    await db?.cleanup();
    expect(logged.filter((l) => l.includes('internal error'))).toEqual([]);
  });

  describe('OAuth2 token endpoints', () => {
    it('client_credentials as a form body, query parameters, JSON (On-Prem paths) and HTTP Basic; expires_in 3599; no-store', async () => {
      const form = await api.tokenForm({ ...ADMIN, grant_type: 'client_credentials' });
      expect(form.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3599 });
      expect(form.headers['cache-control']).toBe('no-store');
      const query = await api.raw(
        'POST',
        `/as/token.oauth2?${new URLSearchParams({ ...ADMIN, grant_type: 'client_credentials' })}`,
        undefined,
        FORM,
      );
      expect(query.status).toBe(200);
      for (const path of ['/oauth/token', '/backend/oauth/token', '/oauth2/default/v1/token']) {
        const json = await api.raw('POST', path, JSON.stringify({ ...ADMIN, grant_type: 'client_credentials' }));
        expect(json.body.expires_in, path).toBe(3599);
      }
      const basic = await api.raw('POST', '/oauth2/default/v1/token', 'grant_type=client_credentials', {
        ...FORM,
        authorization: `Basic ${Buffer.from(`${ADMIN.client_id}:${ADMIN.client_secret}`).toString('base64')}`,
      });
      expect(basic.status).toBe(200);
      expect((await api.call(basic.body.access_token, 'GET', '/v2/accounts')).status).toBe(200);
    });

    it('the password grant acts as the named user and gives a refresh token that mints new access tokens', async () => {
      const pw = await api.tokenForm({
        ...EAST,
        grant_type: 'password',
        username: 'admin@example.com',
        password: 'lab-admin-password',
      });
      expect(pw.body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, refresh_token: expect.any(String) });
      // EAST's client, admin's roles.
      expect((await api.call(pw.body.access_token, 'GET', '/v2/accounts')).body.accounts[0].roles).toEqual([
        { role: 'Smart Account Administrator' },
      ]);
      const refreshed = await api.tokenForm({
        ...EAST,
        grant_type: 'refresh_token',
        refresh_token: pw.body.refresh_token,
      });
      expect(refreshed.status).toBe(200);
      const wrongClient = await api.tokenForm({
        ...ADMIN,
        grant_type: 'refresh_token',
        refresh_token: pw.body.refresh_token,
      });
      expect([wrongClient.status, wrongClient.body.error]).toEqual([400, 'invalid_grant']);
      // A refresh token is not a bearer token.
      expect((await api.call(pw.body.refresh_token, 'GET', '/v2/accounts')).body.error.code).toBe(
        'ACCESS_TOKEN_INVALID',
      );
    });

    it('refuses in RFC 6749 shape with the catalogue code: invalid_client (401), invalid_grant, unsupported_grant_type, invalid_request, 415', async () => {
      const badSecret = await api.tokenForm({
        ...ADMIN,
        client_secret: 'wrong-secret',
        grant_type: 'client_credentials',
      });
      expect([badSecret.status, badSecret.body.error, badSecret.body.code]).toEqual([
        401,
        'invalid_client',
        'OAUTH_INVALID_CLIENT',
      ]);
      expect(badSecret.body.error_description).toContain('lab-example-admin');
      expect(badSecret.body.error_description).not.toContain('wrong-secret');
      expect(badSecret.headers['www-authenticate']).toMatch(/^Basic/);
      expect(
        (await api.tokenForm({ client_id: 'nobody', client_secret: 'x', grant_type: 'client_credentials' })).status,
      ).toBe(401);
      const badPassword = await api.tokenForm({
        ...ADMIN,
        grant_type: 'password',
        username: 'admin@example.com',
        password: 'nope-nope',
      });
      expect([badPassword.status, badPassword.body.error]).toEqual([400, 'invalid_grant']);
      const noPassword = await api.tokenForm({
        ...ADMIN,
        grant_type: 'password',
        username: 'east-user@example.com',
        password: 'anything',
      });
      expect(noPassword.body.error).toBe('invalid_grant');
      const grant = await api.tokenForm({ ...ADMIN, grant_type: 'authorization_code' });
      expect([grant.status, grant.body.error]).toEqual([400, 'unsupported_grant_type']);
      expect(grant.body.error_description).toContain('client_credentials, password, refresh_token');
      const missing = await api.tokenForm({ ...ADMIN });
      expect([missing.body.error, missing.body.code]).toEqual(['invalid_request', 'SCHEMA_VIOLATION']);
      expect((await api.tokenForm({ grant_type: 'client_credentials' })).body.code).toBe('OAUTH_INVALID_CLIENT');
      expect((await api.raw('POST', '/as/token.oauth2', 'x', { 'content-type': 'text/plain' })).status).toBe(415);
      expect((await api.raw('POST', '/oauth/token', '[1]')).body.code).toBe('SCHEMA_VIOLATION');
    });

    it('access tokens expire 3599 s later by the lab clock', async () => {
      const token = await api.token(ADMIN);
      await clock.advance(3_598_000);
      expect((await api.call(token, 'GET', '/v2/accounts')).status).toBe(200);
      await clock.advance(1_000);
      const expired = await api.call(token, 'GET', '/v2/accounts');
      expect([expired.status, expired.body.status, expired.body.error.code]).toEqual([
        401,
        'ERROR',
        'ACCESS_TOKEN_INVALID',
      ]);
      expect(expired.headers['www-authenticate']).toContain('invalid_token');
      const none = await api.raw('GET', '/services/api/smart-accounts-and-licensing/v2/accounts');
      expect([none.status, none.body.error.code]).toEqual([401, 'ACCESS_TOKEN_MISSING']);
      admin = await api.token(ADMIN);
    });

    it('stores secrets and tokens only as hashes, and never writes a secret to the log or the event log', async () => {
      const token = await api.token(ADMIN);
      const rows = [
        ...(await db.query('SELECT doc FROM api_clients')),
        ...(await db.query('SELECT doc FROM users')),
        ...(await db.query('SELECT id, doc FROM access_tokens')),
      ].map((r) => JSON.stringify(r));
      const all = rows.join('\n');
      expect(all).toContain('scrypt$');
      for (const secret of [ADMIN.client_secret, EAST.client_secret, 'lab-admin-password', token])
        expect(all).not.toContain(secret);
      const events = JSON.stringify((await api.raw('GET', '/lab/events?limit=1000')).body);
      for (const secret of [ADMIN.client_secret, 'lab-admin-password', token])
        expect(events + logged.join('\n')).not.toContain(secret);
    });
  });

  describe('Smart Accounts and Licensing', () => {
    it('lists and searches smart accounts, with doubled prefixes and slashes as real clients send them', async () => {
      const list = await api.call(admin, 'GET', '/v2/accounts');
      expect(list.body).toEqual({
        accounts: [
          {
            accountName: 'Example Corp',
            accountDomain: 'example.com',
            accountStatus: 'Active',
            accountType: 'CUSTOMER',
            roles: [{ role: 'Smart Account Administrator' }],
          },
        ],
        statusMessage: '',
        status: 'SUCCESS',
      });
      const search = await api.call(
        admin,
        'GET',
        '/v1/accounts/search?domain=ample.co&type=CUSTOMER&limit=1000&offset=0',
      );
      expect(search.body).toMatchObject({
        totalRecords: 1,
        accounts: [
          { domain: 'example.com', name: 'Example Corp', id: expect.any(Number), type: 'CUSTOMER', status: 'Active' },
        ],
        status: 'SUCCESS',
      });
      expect((await api.call(admin, 'GET', '/v1/accounts/search?type=HOLDING')).body.totalRecords).toBe(0);
      const v2 = await api.raw(
        'GET',
        '/services/api/services/api/smart-accounts-and-licensing//v2/accounts/search?domain=example.com',
        undefined,
        { authorization: `Bearer ${admin}` },
      );
      expect(v2.body).toMatchObject({
        status: 'COMPLETE',
        message_code: '',
        accounts: [
          {
            account_id: expect.stringMatching(/^\d{6}$/),
            domain: 'example.com',
            virtual_accounts: [
              { default: true, name: 'DEFAULT' },
              { default: false, name: 'east' },
            ],
          },
        ],
      });
      expect(String(v2.body.accounts[0].account_id)).toBe(String(search.body.accounts[0].id));
      const none = await api.call(admin, 'GET', '/v2/accounts/search?domain=nothing.example');
      expect(none.body).toEqual({
        status: 'COMPLETE',
        message_code: 'NO DATA FOUND',
        message: 'No matching record found for given input',
      });
      expect((await api.call(admin, 'GET', '/v1/accounts/search?limit=lots')).body.error.code).toBe('SCHEMA_VIOLATION');
    });

    it('lists, creates and deletes virtual accounts (isDefault as a string); refusals in the ERROR envelope', async () => {
      const list = await api.call(admin, 'GET', '/v1/accounts/example.com/customer/virtual-accounts');
      expect(list.body.virtualAccounts).toEqual([
        { name: 'DEFAULT', description: 'Default virtual account', isDefault: 'Yes', commerceAccessLevel: 'PUBLIC' },
        { name: 'east', description: 'East region', isDefault: 'No', commerceAccessLevel: 'PUBLIC' },
      ]);
      expect(
        (await api.call(admin, 'GET', '/v1/accounts/example.com/virtual-accounts')).body.virtualAccounts,
      ).toHaveLength(2);
      const wrongType = await api.call(admin, 'GET', '/v1/accounts/example.com/holding/virtual-accounts');
      expect([wrongType.status, wrongType.body.statusMessage]).toEqual([
        400,
        'example.com is a CUSTOMER account, not HOLDING',
      ]);
      const created = await api.call(admin, 'POST', '/v1/accounts/example.com/CUSTOMER/virtual-accounts', {
        name: 'LAB 1 & (test)',
        description: 'lab',
        isDefault: 'false',
        commerceAccessLevel: 'PRIVATE',
      });
      expect(created.body).toEqual({
        virtualAccount: { name: 'LAB 1 & (test)', description: 'lab', isDefault: 'No', commerceAccessLevel: 'PRIVATE' },
        statusMessage: 'Virtual account LAB 1 & (test) created',
        status: 'SUCCESS',
      });
      const again = await api.call(admin, 'POST', '/v1/accounts/example.com/virtual-accounts', {
        name: 'LAB 1 & (test)',
      });
      expect(again.body).toMatchObject({
        status: 'ERROR',
        statusMessage: expect.stringContaining('already has'),
        error: { code: 'VIRTUAL_ACCOUNT_EXISTS' },
      });
      expect(again.status).toBe(409);
      expect(
        (await api.call(admin, 'POST', '/v1/accounts/example.com/virtual-accounts', { name: 'x', isDefault: 'true' }))
          .body.error.code,
      ).toBe('INVALID_VALUE');
      expect(
        (
          await api.call(
            admin,
            'POST',
            `/v1/accounts/example.com/virtual-accounts/${encodeURIComponent('LAB 1 & (test)')}/delete`,
          )
        ).body,
      ).toEqual({ statusMessage: 'Virtual account LAB 1 & (test) deleted', status: 'SUCCESS' });
      expect(
        (await api.call(admin, 'POST', '/v1/accounts/example.com/virtual-accounts/DEFAULT/delete')).body.error.code,
      ).toBe('VIRTUAL_ACCOUNT_NOT_EMPTY');
      expect(
        (await api.call(admin, 'POST', '/v1/accounts/example.com/virtual-accounts/east/delete')).body.error.code,
      ).toBe('VIRTUAL_ACCOUNT_NOT_EMPTY');
      const gone = await api.call(admin, 'POST', '/v1/accounts/example.com/virtual-accounts/nowhere/delete');
      expect([gone.status, gone.body.error.code]).toEqual([404, 'VIRTUAL_ACCOUNT_NOT_FOUND']);
    });

    it('creates, lists and revokes registration tokens; a device registers with one and not after the revocation', async () => {
      const created = await api.call(admin, 'POST', '/v1/accounts/example.com/virtual-accounts/east/tokens', {
        description: 'api token',
        expiresAfterDays: '365',
        exportControlled: 'Allowed',
        numberofUses: 2,
      });
      expect(created.body.tokenInfo).toMatchObject({
        description: 'api token',
        exportControlled: 'Allowed',
        usesAllowed: 2,
        uses: 0,
        createdBy: 'user:admin@example.com',
        status: 'ACTIVE',
        virtualAccount: 'east',
      });
      expect(Date.parse(created.body.tokenInfo.expirationDate) - clock.now()).toBeGreaterThan(364 * DAY);
      const token = created.body.tokenInfo.token as string;
      const list = await api.call(admin, 'GET', '/v1/accounts/example.com/virtual-accounts/east/tokens');
      expect(list.body.tokens[0].token).toBe(token);
      const device = new TestDevice({ now: () => clock.now() });
      const reg = await device.register(server.url, token);
      expect(reg.json).toMatchObject({ status: 'REGISTERED', virtualAccount: 'east', exportControlled: true });
      expect(
        (
          await api.call(admin, 'POST', '/v1/accounts/example.com/virtual-accounts/east/tokens/revoke', {
            tokens: [token],
          })
        ).body,
      ).toEqual({ tokens: [{ token, status: 'REVOKED' }], statusMessage: '1 token(s) revoked', status: 'SUCCESS' });
      expect((await new TestDevice({ now: () => clock.now() }).register(server.url, token)).json).toMatchObject({
        error: { code: 'TOKEN_REVOKED' },
      });
      expect(
        (await api.call(admin, 'GET', '/v1/accounts/example.com/virtual-accounts/east/tokens')).body.tokens.at(-1),
      ).toMatchObject({ token, status: 'REVOKED' });
      expect(
        (
          await api.call(admin, 'POST', '/v1/accounts/example.com/virtual-accounts/east/tokens/revoke', {
            tokens: ['NOT-A-TOKEN'],
          })
        ).body.error.code,
      ).toBe('TOKEN_NOT_FOUND');
      expect(
        (
          await api.call(admin, 'POST', '/v1/accounts/example.com/virtual-accounts/east/tokens', {
            expiresAfterDays: 0,
          })
        ).body.error.code,
      ).toBe('SCHEMA_VIOLATION');
      expect(
        (
          await api.call(admin, 'POST', '/v1/accounts/example.com/virtual-accounts/east/tokens', {
            expiresAfterDays: '400',
          })
        ).body.error.code,
      ).toBe('INVALID_VALUE');
      expect(
        (
          await api.call(admin, 'POST', '/v1/accounts/example.com/virtual-accounts/east/tokens', {
            exportControlled: true,
          })
        ).body.error.code,
      ).toBe('SCHEMA_VIOLATION');
      const defaults = await api.call(admin, 'POST', '/v1/accounts/example.com/virtual-accounts/DEFAULT/tokens', {});
      expect(defaults.body.tokenInfo).toMatchObject({ exportControlled: 'Not Allowed', usesAllowed: null });
    });

    it('answers license usage with Cisco fields, paging and inUse from devices; transfers licenses between VAs', async () => {
      const device = new TestDevice({ now: () => clock.now() });
      await device.register(server.url, 'LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D');
      await device.authorize(server.url, [{ tag: NW_E, count: 3 }]);
      const usage = await api.call(admin, 'POST', '/v1/accounts/example.com/licenses', {
        virtualAccounts: ['DEFAULT'],
        limit: 50,
        offset: 0,
      });
      const nwe = usage.body.licenses.find((l: { license: string }) => l.license === 'C9300 Network Essentials');
      expect(nwe).toEqual({
        license: 'C9300 Network Essentials',
        virtualAccount: 'DEFAULT',
        quantity: 10,
        inUse: 3,
        available: 7,
        status: 'In Compliance',
        billingType: 'PREPAID',
        ahaApps: false,
        pendingQuantity: 0,
        reserved: 0,
        isPortable: false,
        licenseSubstitutions: [],
        licenseDetails: [
          {
            licenseType: 'PERPETUAL',
            quantity: 10,
            startDate: '2026-03-13',
            endDate: null,
            subscriptionId: null,
            status: 'ACTIVE',
          },
        ],
      });
      const term = usage.body.licenses.find(
        (l: { licenseDetails: { licenseType: string }[] }) => l.licenseDetails[0]!.licenseType === 'TERM',
      );
      expect(term.licenseDetails[0].endDate).toMatch(/^2029-03-1\d$/);
      const all = await api.call(admin, 'POST', '/v1/accounts/example.com/licenses', { virtualAccounts: [] });
      expect(all.body.licenses.map((l: { virtualAccount: string }) => l.virtualAccount)).toContain('east');
      const paged = await api.call(admin, 'POST', '/v1/accounts/example.com/licenses', {
        virtualAccounts: [],
        limit: 2,
        offset: 2,
      });
      expect([paged.body.totalRecords, paged.body.licenses.length]).toEqual([all.body.totalRecords, 2]);
      expect(paged.body.licenses[0]).toEqual(all.body.licenses[2]);

      const transfer = await api.call(
        admin,
        'POST',
        '/v1/accounts/example.com/virtual-accounts/DEFAULT/licenses/transfer',
        {
          licenses: [
            {
              license: 'C9300 Network Essentials',
              licenseType: 'PERPETUAL',
              quantity: '4',
              targetVirtualAccount: 'east',
              precedence: 'LONGEST_TERM_FIRST',
            },
          ],
        },
      );
      expect(transfer.body).toEqual({ statusMessage: '4 license(s) transferred from DEFAULT', status: 'SUCCESS' });
      const east = await api.call(admin, 'POST', '/v1/accounts/example.com/licenses', { virtualAccounts: ['east'] });
      expect(
        east.body.licenses.find((l: { license: string }) => l.license === 'C9300 Network Essentials'),
      ).toMatchObject({ quantity: 4, inUse: 0, available: 4 });
      const tooMany = await api.call(
        admin,
        'POST',
        '/v1/accounts/example.com/virtual-accounts/DEFAULT/licenses/transfer',
        { licenses: [{ license: 'C9300 Network Essentials', quantity: 4, targetVirtualAccount: 'east' }] },
      );
      expect([tooMany.status, tooMany.body.status, tooMany.body.error.code]).toEqual([
        409,
        'ERROR',
        'INSUFFICIENT_LICENSES',
      ]);
      const unknown = await api.call(
        admin,
        'POST',
        '/v1/accounts/example.com/virtual-accounts/DEFAULT/licenses/transfer',
        { licenses: [{ license: 'Nope', quantity: 1, targetVirtualAccount: 'east' }] },
      );
      expect(unknown.body.statusMessage).toContain('C9300 Network Essentials');
      // Out of compliance shows in usage and alerts.
      await device.authorize(server.url, [{ tag: NW_E, count: 9 }]);
      const short = await api.call(admin, 'POST', '/v1/accounts/example.com/licenses', {
        virtualAccounts: ['DEFAULT'],
      });
      expect(
        short.body.licenses.find((l: { license: string }) => l.license === 'C9300 Network Essentials'),
      ).toMatchObject({ quantity: 6, inUse: 9, available: -3, status: 'Out Of Compliance' });
      const alerts = await api.call(admin, 'POST', '/v1/accounts/example.com/alerts', { virtualAccounts: ['DEFAULT'] });
      expect(alerts.body.alerts).toContainEqual(
        expect.objectContaining({
          severity: 'Major',
          messageType: 'Insufficient Licenses',
          virtualAccount: 'DEFAULT',
          source: 'C9300 Network Essentials',
        }),
      );
      await device.deregister(server.url);
    });

    it('lists, transfers and removes product instances; a removed device can no longer authorize and its licenses are released', async () => {
      const device = new TestDevice({ now: () => clock.now() });
      await device.register(server.url, 'LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D');
      await device.authorize(server.url, [{ tag: NW_E, count: 1 }]);
      const list = await api.call(admin, 'GET', '/v1/accounts/example.com/virtual-accounts/DEFAULT/devices');
      const mine = list.body.devices.find(
        (d: { sudi: { udiSerialNumber: string } }) => d.sudi.udiSerialNumber === device.udi.sn,
      );
      expect(mine).toMatchObject({
        licenseUsage: [{ license: 'C9300 Network Essentials', quantity: 1 }],
        hostName: device.hostname,
        sudi: {
          udiPid: device.udi.pid,
          udiSerialNumber: device.udi.sn,
          udiVid: null,
          uuid: null,
          suvi: null,
          hostIdentifier: null,
          macAddress: null,
        },
        displayName: `UDI_PID:${device.udi.pid}; UDI_SN:${device.udi.sn}; `,
        productTagName: expect.stringMatching(new RegExp(`^regid\\.2017-03\\.com\\.cisco\\.${device.udi.pid},1\\.0_`)),
        virtualAccount: 'DEFAULT',
        status: 'In Compliance',
        registrationDate: new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      });
      expect(list.body).toMatchObject({ totalRecords: list.body.devices.length, status: 'SUCCESS' });
      const sudi = {
        udiPid: device.udi.pid,
        udiSerialNumber: device.udi.sn,
        udiVid: null,
        uuid: '',
        suvi: null,
        hostIdentifier: null,
        macAddress: null,
      };
      const moved = await api.call(
        admin,
        'POST',
        '/v1/accounts/example.com/virtual-accounts/DEFAULT/devices/transfer',
        { productInstances: [{ sudi, productTagName: mine.productTagName, targetVirtualAccount: 'east' }] },
      );
      expect(moved.body).toMatchObject({
        productInstances: [{ targetVirtualAccount: 'east', status: 'SUCCESS' }],
        status: 'SUCCESS',
      });
      const inEast = await api.call(admin, 'POST', '/v1/accounts/example.com/devices', {
        virtualAccounts: ['east'],
        limit: 10,
        offset: 0,
      });
      expect(inEast.body.devices.map((d: { productTagName: string }) => d.productTagName)).toContain(
        mine.productTagName,
      );
      expect((await device.authorize(server.url, [{ tag: NW_E, count: 1 }])).status).toBe(200);
      const notThere = await api.call(
        admin,
        'POST',
        '/v2/accounts/example.com/virtual-accounts/DEFAULT/devices/remove',
        { productInstacesRemoveRequests: [{ sudi }] },
      );
      expect([notThere.status, notThere.body.error.code]).toEqual([404, 'INSTANCE_NOT_FOUND']);
      const removed = await api.call(admin, 'POST', '/v2/accounts/example.com/virtual-accounts/east/devices/remove', {
        productInstacesRemoveRequests: [
          { sudi, productTagName: mine.productTagName, returnCode: 'dST8Mh-GZn1io-hzmKLB-2Jvse4' },
        ],
      });
      expect(removed.body).toEqual({
        statusMessage: '1 product instance(s) removed from east; 1 license(s) released',
        status: 'SUCCESS',
      });
      expect((await device.authorize(server.url, [])).json).toMatchObject({ error: { code: 'CERTIFICATE_UNKNOWN' } });
      // The Cisco spelling is the only one accepted.
      expect(
        (
          await api.call(admin, 'POST', '/v2/accounts/example.com/virtual-accounts/east/devices/remove', {
            productInstancesRemoveRequests: [{ sudi }],
          })
        ).body.error.code,
      ).toBe('SCHEMA_VIOLATION');
    });

    it('serves the event log (what, who, when by the lab clock) and alerts', async () => {
      const events = await api.call(admin, 'GET', '/v1/accounts/example.com/events?limit=1000');
      const created = events.body.events.find(
        (e: { eventType: string; user: string }) =>
          e.eventType === 'token.created' && e.user === 'user:admin@example.com',
      );
      expect(created).toMatchObject({
        eventId: expect.any(Number),
        eventTime: expect.stringMatching(/^2026-03-1\dT\d\d:\d\d:\d\dZ$/),
        virtualAccount: 'east',
        message: expect.stringContaining('Registration token created'),
      });
      const east = await api.call(admin, 'GET', '/v1/accounts/example.com/events?virtualAccount=east&limit=1000');
      expect(east.body.events.every((e: { virtualAccount: string }) => e.virtualAccount === 'east')).toBe(true);
      const after = await api.call(admin, 'GET', `/v1/accounts/example.com/events?after=${created.eventId}&limit=2`);
      expect(after.body.events.map((e: { eventId: number }) => e.eventId)).toEqual(
        events.body.events
          .filter((e: { eventId: number }) => e.eventId > created.eventId)
          .slice(0, 2)
          .map((e: { eventId: number }) => e.eventId),
      );
      expect((await api.call(admin, 'GET', '/v1/accounts/example.com/events?limit=x')).body.error.code).toBe(
        'SCHEMA_VIOLATION',
      );
      const alerts = await api.call(admin, 'POST', '/v1/accounts/example.com/alerts', {});
      expect(alerts.body).toMatchObject({ totalRecords: alerts.body.alerts.length, status: 'SUCCESS' });
      expect(alerts.body.alerts.some((a: { messageType: string }) => a.messageType === 'Licenses Expiring')).toBe(true);
    });
  });

  describe('lab control of users and API clients', () => {
    it('adds users with roles and API clients (the secret answered once), lists them without secrets, refuses duplicates', async () => {
      const user = await api.raw(
        'POST',
        '/lab/users',
        JSON.stringify({
          username: 'bob@example.com',
          password: 'bob-password',
          roles: [{ account: 'example.com', role: 'Virtual Account Administrator', virtualAccount: 'east' }],
        }),
      );
      expect(user.body).toEqual({
        username: 'bob@example.com',
        hasPassword: true,
        roles: [{ account: 'example.com', role: 'Virtual Account Administrator', virtualAccount: 'east' }],
      });
      expect(
        (await api.raw('POST', '/lab/users', JSON.stringify({ username: 'bob@example.com', roles: [] }))).body.error
          .code,
      ).toBe('USER_EXISTS');
      expect(
        (
          await api.raw(
            'POST',
            '/lab/users',
            JSON.stringify({
              username: 'x@example.com',
              roles: [{ account: 'example.com', role: 'Virtual Account User' }],
            }),
          )
        ).body.error.code,
      ).toBe('INVALID_VALUE');
      expect(
        (
          await api.raw(
            'POST',
            '/lab/users',
            JSON.stringify({
              username: 'x@example.com',
              roles: [{ account: 'example.com', role: 'Smart Account User', virtualAccount: 'east' }],
            }),
          )
        ).body.error.code,
      ).toBe('INVALID_VALUE');
      expect(
        (
          await api.raw(
            'POST',
            '/lab/users',
            JSON.stringify({
              username: 'x@example.com',
              roles: [{ account: 'nope.example', role: 'Smart Account User' }],
            }),
          )
        ).body.error.code,
      ).toBe('ACCOUNT_NOT_FOUND');
      expect(
        (
          await api.raw(
            'POST',
            '/lab/users',
            JSON.stringify({ username: 'x@example.com', roles: [{ account: 'example.com', role: 'Owner' }] }),
          )
        ).body.error.code,
      ).toBe('SCHEMA_VIOLATION');
      const client = await api.raw('POST', '/lab/api-clients', JSON.stringify({ user: 'bob@example.com' }));
      expect(client.body).toMatchObject({
        clientId: expect.stringMatching(/^lab-[0-9a-f]{24}$/),
        clientSecret: expect.any(String),
        user: 'bob@example.com',
      });
      const bob = await api.token({ client_id: client.body.clientId, client_secret: client.body.clientSecret });
      expect((await api.call(bob, 'GET', '/v2/accounts')).body.accounts[0].roles).toEqual([
        { role: 'Virtual Account Administrator', virtualAccount: 'east' },
      ]);
      expect(
        (
          await api.raw(
            'POST',
            '/lab/api-clients',
            JSON.stringify({ user: 'bob@example.com', clientId: client.body.clientId }),
          )
        ).body.error.code,
      ).toBe('API_CLIENT_EXISTS');
      expect(
        (await api.raw('POST', '/lab/api-clients', JSON.stringify({ user: 'nobody@example.com' }))).body.error.code,
      ).toBe('USER_NOT_FOUND');
      const users = await api.raw('GET', '/lab/users');
      expect(users.body.users.map((u: { username: string }) => u.username)).toEqual([
        'admin@example.com',
        'bob@example.com',
        'east-user@example.com',
      ]);
      const clients = JSON.stringify((await api.raw('GET', '/lab/api-clients')).body);
      expect(clients).toContain(client.body.clientId);
      expect(clients).not.toContain(client.body.clientSecret);
    });
  });
});

describe('rate limits', () => {
  it('answer 429 with Retry-After (lab seconds) per API client, on the token endpoint and the API, and refill with the lab clock', async () => {
    const db = await openTestStore('sqlite');
    const clock = LabClock.create({ mode: 'stepped' });
    try {
      const service = await CloudService.open({ store: db.store, clock, policy: { secretHashCost: 1024 } });
      await applySeed(service, parseSeed(readFileSync(EXAMPLE_SEED, 'utf8')));
      const app = createCloudApp({
        service,
        clock,
        clockControl: clock,
        labKey: TEST_LAB_KEY,
        log: () => undefined,
        rateLimit: { perSecond: 0.5, burst: 3 },
      });
      const api = new ManagementClient(async (req) => {
        const res = await app.handle({
          method: req.method,
          path: req.path.split('?')[0]!,
          query: new URLSearchParams(req.path.split('?')[1] ?? ''),
          headers: req.headers,
          body: req.body ?? Buffer.alloc(0),
        });
        if (typeof res === 'symbol') throw new Error('dropped');
        return res;
      }, service.ca.publicKey);
      const token = await api.token(ADMIN);
      expect((await api.call(token, 'GET', '/v2/accounts')).status).toBe(200);
      expect((await api.call(token, 'GET', '/v2/accounts')).status).toBe(200);
      const limited = await api.call(token, 'GET', '/v2/accounts');
      expect([limited.status, limited.body.status, limited.body.error.code, limited.headers['retry-after']]).toEqual([
        429,
        'ERROR',
        'RATE_LIMITED',
        '2',
      ]);
      const tokenLimited = await api.tokenForm({ ...ADMIN, grant_type: 'client_credentials' });
      expect([tokenLimited.status, tokenLimited.body.error, tokenLimited.headers['retry-after']]).toEqual([
        429,
        'temporarily_unavailable',
        '2',
      ]);
      // Another client has its own budget.
      expect((await api.call(await api.token(EAST), 'GET', '/v2/accounts')).status).toBe(200);
      await clock.advance(2_000);
      expect((await api.call(token, 'GET', '/v2/accounts')).status).toBe(200);
    } finally {
      clock.dispose();
      await db.cleanup();
    }
  });
});
