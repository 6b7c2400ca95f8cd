import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LabClock } from '#lab';
import { stringifySlpJson } from '#protocol';
import { testDevice, usageBody } from '#test-support/rum-reports.ts';
import { createCloudApp } from '../api/app.ts';
import { CloudService } from '../domain/index.ts';
import { applySeed, parseSeed } from '../seed/index.ts';
import { SqliteStore } from '../store/index.ts';
import { createOnPremApp, type OnPremApp } from './onprem-app.ts';

const SEED = `
accounts:
  - name: WORLD WIDE TECHNOLOGY INC
    domain: wwt.example.com
    virtualAccounts:
      - name: Campus
users:
  - username: admin@wwt.example.com
    roles: [{ account: wwt.example.com, role: Smart Account Administrator }]
apiClients:
  - clientId: onprem-client
    clientSecret: onprem-secret-0001
    user: admin@wwt.example.com
`;

let onprem: OnPremApp;
let service: CloudService;
let store: SqliteStore;

beforeEach(async () => {
  const clock = LabClock.create({ mode: 'stepped', start: Date.UTC(2026, 0, 5) });
  store = SqliteStore.open({ path: ':memory:' });
  service = await CloudService.open({
    store,
    clock,
    policy: { secretHashCost: 1024 },
  });
  await applySeed(service, parseSeed(SEED));
  const cloud = createCloudApp({ service, clock, clockControl: undefined, labKey: null, log: () => {} });
  onprem = createOnPremApp({ cloud, service, clock });
});

afterEach(async () => {
  onprem.close();
  await store.close();
});

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const answer = await onprem.handle({
    method,
    path,
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(body ?? ''),
  });
  if (typeof answer === 'symbol') throw new Error('dropped');
  return { status: answer.status, body: JSON.parse(answer.body.toString()) as Record<string, unknown> };
}

describe('SSM On-Prem paths', () => {
  it('lists its accounts by name and answers the v1 API with the account addressed by name', async () => {
    expect((await call('POST', '/api/v1/upstream_satellites/accounts', '{}')).body).toEqual({
      accounts: [{ name: 'WORLD WIDE TECHNOLOGY INC', domain: 'wwt.example.com' }],
    });
    const token = await call(
      'POST',
      '/backend/oauth/token',
      JSON.stringify({
        client_id: 'onprem-client',
        client_secret: 'onprem-secret-0001',
        grant_type: 'client_credentials',
      }),
    );
    expect(token.status).toBe(200);
    const bearer = { authorization: `Bearer ${token.body.access_token as string}` };
    for (const path of [
      '/api/v1/accounts/WORLD%20WIDE%20TECHNOLOGY%20INC/virtual-accounts',
      '/backend/api/v1/accounts/wwt.example.com/virtual-accounts',
    ]) {
      const vas = await call('GET', path, undefined, bearer);
      expect(vas.status, JSON.stringify(vas.body)).toBe(200);
      expect(JSON.stringify(vas.body)).toContain('"Campus"');
    }
    // An account this On-Prem does not serve reaches the server as named, which refuses it as the cloud does.
    expect((await call('GET', '/api/v1/accounts/NOBODY/virtual-accounts', undefined, bearer)).status).toBe(403);
  });

  it('takes classic devices on /SmartTransport and /Transportgateway into its own licensing server', async () => {
    for (const base of ['/SmartTransport', '/Transportgateway/services/DeviceRequestHandler']) {
      const answer = await call('POST', `${base}/registration`, '{"udi":');
      // The device route itself answered (its body is malformed), not "no such route".
      expect(answer.status, base).toBe(400);
      expect((answer.body.error as { code: string }).code, base).toBe('MALFORMED_JSON');
    }
  });

  it('relays the SLP usage of a virtual account at /cslu/v1/pi/<VA>-1, and refuses a VA it lacks', async () => {
    const sw1 = testDevice('FOC2144X0AB');
    const body = stringifySlpJson(usageBody(sw1.sudi, [sw1.report(1_767_600_000)]));
    const pushed = await call('POST', '/cslu/v1/pi/Campus-1/reportusage', body);
    expect(pushed).toMatchObject({ status: 202, body: { status: 'OK_POLL', action: 'acknowledgements' } });
    expect(onprem.relay('Campus')!.status().reports.RECEIVED).toBe(1);
    expect(onprem.relay('Lab')).toBeUndefined();
    // The relay's admin API answers beside its device path (shut here: no credentials configured).
    expect((await call('POST', '/cslu/v1/pi/Campus-1/usage/export')).status).toBe(403);
    expect(await call('POST', '/cslu/v1/pi/Lab-1/reportusage', body)).toEqual({
      status: 404,
      body: { status: 'FAILED', message: 'this On-Prem has no virtual account "Lab"' },
    });
  });
});
