/**
 * An in-process cloud for the portal route suites: example.com (with VA east) and other.example, a smart-account
 * admin, an east VA user and the other account's admin (each with a password for call-home and an API
 * client), and helpers that mint PAKs and read license files with the served signing key.
 */
import { expect } from 'vitest';
import {
  callHomePaths,
  createLicenseTrust,
  parseLicenseFile,
  type LicenseLine,
  type LicenseTrust,
  type Udi,
} from '#protocol';
import { LabClock } from '#lab';
import { ManagementClient, type Reply } from '#test-support/management.ts';
import { TEST_LAB_KEY } from '#test-support/lab-key.ts';
import type { WireRequest } from '#test-support/device.ts';
import { CloudService } from '../domain/index.ts';
import { applySeed, parseSeed } from '../seed/index.ts';
import { SqliteStore } from '../store/index.ts';
import { createCloudApp, type CloudApp } from './app.ts';

const USERS = {
  admin: { account: 'example.com', role: 'Smart Account Administrator' },
  east: { account: 'example.com', role: 'Virtual Account User', virtualAccount: 'east' },
  other: { account: 'other.example', role: 'Smart Account Administrator' },
} as const;
export type Who = keyof typeof USERS;

export const G2: Udi = { pid: 'CISCO2911/K9', sn: 'FTX1524ABCD' };
export const g2 = (n: number): Udi => ({ pid: 'CISCO2911/K9', sn: `FTX1524${String(n).padStart(4, '0')}` });
/** The Cisco.com login a device sends on call-home. */
export const login = (who: Who, password = `${who}-password`) => ({ username: `${who}@lab.example`, password });

export interface PortalApp {
  app: CloudApp;
  service: CloudService;
  api: ManagementClient;
  tokens: Record<Who, string>;
  /** The served signing key, as a device would trust it. */
  trust: LicenseTrust;
  /** A management call (SLA base path) as `who`. */
  call(who: Who, method: string, path: string, body?: unknown): Promise<Reply>;
  /** A POST with the lab key and no bearer (lab and call-home routes). */
  post(path: string, body: unknown): Promise<Reply>;
  /** The lines of a license file, verified with the key GET signing-key serves. */
  linesOf(file: string): LicenseLine[];
  /** A new PAK (fixed key LAB00000001, …) of `account` with these items. */
  newPak(items: { sku: string; quantity: number }[], account?: string): Promise<string>;
  close(): Promise<void>;
}

export async function openPortalApp(): Promise<PortalApp> {
  const clock = LabClock.create({ mode: 'stepped' });
  const service = await CloudService.open({
    store: SqliteStore.open({ path: ':memory:' }),
    clock,
    policy: { secretHashCost: 1024 },
  });
  await applySeed(
    service,
    parseSeed(
      JSON.stringify({
        accounts: [
          { name: 'Example Corp', domain: 'example.com', virtualAccounts: [{ name: 'east' }] },
          { name: 'Other Corp', domain: 'other.example' },
        ],
        users: Object.entries(USERS).map(([who, role]) => ({
          username: `${who}@lab.example`,
          password: `${who}-password`,
          roles: [role],
        })),
        apiClients: Object.keys(USERS).map((who) => ({
          user: `${who}@lab.example`,
          clientId: `${who}-client`,
          clientSecret: `${who}-secret`,
        })),
      }),
    ),
  );
  const app = createCloudApp({
    service,
    clock,
    clockControl: clock,
    labKey: TEST_LAB_KEY,
    log: () => undefined,
    rateLimit: null,
  });
  const inProcess = async (req: WireRequest) => {
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
  };
  const api = new ManagementClient(inProcess, service.ca.publicKey);
  const tokens = {} as Record<Who, string>;
  for (const who of Object.keys(USERS) as Who[])
    tokens[who] = await api.token({ client_id: `${who}-client`, client_secret: `${who}-secret` });
  const key = await api.raw('GET', callHomePaths.signingKey);
  expect(key.body).toMatchObject({ algorithm: 'Ed25519', keyId: service.licenseKey.keyId });
  const trust: LicenseTrust = createLicenseTrust([key.body.publicKey]);
  const post = (path: string, body: unknown) => api.raw('POST', path, JSON.stringify(body));
  let paks = 0;
  return {
    app,
    service,
    api,
    tokens,
    trust,
    call: (who, method, path, body) => api.call(tokens[who], method, path, body),
    post,
    linesOf(file) {
      const f = parseLicenseFile(file, trust);
      if (!f.ok) throw new Error(f.error.message);
      return f.value.lines;
    },
    async newPak(items, account = 'example.com') {
      const pak = `LAB${String(++paks).padStart(8, '0')}`;
      const r = await post('/lab/paks', { account, pak, items });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return pak;
    },
    async close() {
      clock.dispose();
      await service.store.close();
    },
  };
}
