/**
 * SSM On-Prem as devices and its API clients meet it (cssm-api.md §3, smart-licensing.md §9.6): a licensing
 * server of its own (a cloud app on its own store: accounts, tokens, pools, classic registrations) under
 * On-Prem's paths, and, for SLP devices, one CSLU-style relay per virtual account at
 * `/cslu/v1/pi/<VA>-1` that sends their usage on to CSSM (or to an export file when On-Prem is disconnected).
 *
 * Paths, as public clients use them:
 * - `/api/v1/…` and `/backend/api/v1/…`: the cloud's v1 management API, accounts addressed by **name**
 *   (`/api/v1/accounts/WORLD%20WIDE%20TECHNOLOGY%20INC/…`, the cloud's own domain also accepted);
 * - `POST /api/v1/upstream_satellites/accounts`: the accounts this On-Prem serves;
 * - `/oauth/token`, `/backend/oauth/token`: as the cloud (JSON body);
 * - `/SmartTransport/…` (v7/v8) and `/Transportgateway/services/DeviceRequestHandler/…` (v6): the classic
 *   device protocol.
 * The relay's admin API (export, import, status) answers beside its device path: `/cslu/v1/pi/<VA>-1/usage/export`.
 * Synchronization with CSSM (onprem-sync.ts), behind the same admin credentials: `POST /admin/v1/sync` (online),
 * `GET /admin/v1/sync/export` (the file for CSSM), `POST /admin/v1/sync/import` (CSSM's answer file).
 * Every other path is the licensing server's own.
 */
import { CSLU_PI_BASE, DEVICE_BASE, SLP_OPERATION_SUFFIX, type Clock } from '#protocol';
import type { CloudApp } from '../api/app.ts';
import type { LabRequest, LabResponse, LabResult } from '../api/http-types.ts';
import { SLA_BASE } from '../api/management-access.ts';
import { json } from '../api/respond.ts';
import type { CloudService } from '../domain/index.ts';
import { adminRefusal, createCsluApp, type CsluApp, type CsluAppOptions } from '../cslu/cslu-app.ts';
import { CsluService } from '../cslu/cslu-service.ts';
import type { CsluStore } from '../cslu/cslu-store.ts';
import type { SlpUpstream } from '../cslu/cslu-upstream.ts';
import { OnPremSync } from './onprem-sync.ts';

export interface OnPremAppOptions {
  /** The On-Prem's own licensing server. */
  cloud: CloudApp;
  service: CloudService;
  clock: Clock;
  /** CSSM, for a virtual account's relay; absent: On-Prem is disconnected (usage leaves by export file). */
  upstream?: (virtualAccount: string) => SlpUpstream;
  /** Where a virtual account's relay keeps its reports; default in memory. */
  relayStore?: (virtualAccount: string) => CsluStore;
  /** HTTP Basic credentials of the relays' admin API and of synchronization. */
  admin?: CsluAppOptions['admin'];
  /** How it names itself to CSSM when it synchronizes (default `SSM On-Prem`). */
  satellite?: string;
  log?: (line: string) => void;
}

export interface OnPremApp {
  handle(req: LabRequest): Promise<LabResult>;
  sign(res: LabResponse): LabResponse;
  context: { log(line: string): void };
  /** The relay of a virtual account On-Prem has, made at its first device request. */
  relay(virtualAccount: string): CsluService | undefined;
  /** Synchronization of its virtual accounts' licenses and product instances with CSSM. */
  readonly sync: OnPremSync;
  close(): void;
}

const DEVICE_PREFIXES = ['/SmartTransport', '/Transportgateway/services/DeviceRequestHandler'];
const API_PREFIXES = ['/backend/api/v1', '/api/v1'];
const RELAY_RE = new RegExp(`^${CSLU_PI_BASE}/([^/]+)-1(/.+)$`);
const DEVICE_OPERATIONS = new Set(Object.values(SLP_OPERATION_SUFFIX));

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function createOnPremApp(options: OnPremAppOptions): OnPremApp {
  const { cloud, service, clock } = options;
  const log = options.log ?? (() => {});
  const relays = new Map<string, { service: CsluService; app: CsluApp }>();
  const sync = new OnPremSync({
    service,
    clock,
    satellite: options.satellite ?? 'SSM On-Prem',
    ...(options.upstream ? { upstream: options.upstream } : {}),
  });

  /** `/admin/v1/sync…`, or undefined for another path. */
  async function syncRoute(req: LabRequest, path: string): Promise<LabResponse | undefined> {
    const routes: Record<string, () => Promise<LabResponse>> = {
      'POST /admin/v1/sync': async () =>
        sync.connected
          ? json(200, { outcomes: await sync.online() })
          : json(409, { status: 'FAILED', message: 'this On-Prem is not connected to CSSM; export the file instead' }),
      'GET /admin/v1/sync/export': async () => ({
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: Buffer.from(await sync.exportFile()),
      }),
      'POST /admin/v1/sync/import': async () => {
        const imported = await sync.importFile(req.body);
        return imported.ok
          ? json(200, { outcomes: imported.outcomes })
          : json(400, { status: 'FAILED', message: imported.reason });
      },
    };
    const route = routes[`${req.method} ${path}`];
    if (!route) return undefined;
    return adminRefusal(req, options.admin, 'SSM On-Prem') ?? route();
  }

  /** The relay of a virtual account's SLP devices (`/cslu/v1/pi/<VA>-1`); undefined for a VA On-Prem lacks. */
  async function relayFor(va: string): Promise<CsluApp | undefined> {
    const known = relays.get(va);
    if (known) return known.app;
    const vas = await service.run('onprem:relay', (tx) => tx.list('virtualAccounts', { name: va }));
    if (vas.length === 0 || relays.has(va)) return relays.get(va)?.app;
    const relay = new CsluService({
      clock,
      ...(options.relayStore ? { store: options.relayStore(va) } : {}),
      ...(options.upstream ? { upstream: options.upstream(va) } : {}),
      log,
    });
    const app = createCsluApp(relay, { ...(options.admin ? { admin: options.admin } : {}), log });
    relays.set(va, { service: relay, app });
    return app;
  }

  /** The local account's domain for the name (or domain) an On-Prem client puts in a path. */
  async function domainOf(nameOrDomain: string): Promise<string | undefined> {
    const accounts = await service.run('onprem:accounts', (tx) => tx.list('smartAccounts'));
    return (accounts.find((a) => a.name === nameOrDomain) ?? accounts.find((a) => a.domain === nameOrDomain))?.domain;
  }

  async function listAccounts(): Promise<LabResponse> {
    const accounts = await service.run('onprem:accounts', (tx) => tx.list('smartAccounts'));
    return json(200, { accounts: accounts.map((a) => ({ name: a.name, domain: a.domain })) });
  }

  /** The cloud path an On-Prem API path stands for, or undefined. */
  async function apiPath(path: string): Promise<string | undefined> {
    const prefix = API_PREFIXES.find((p) => path === p || path.startsWith(`${p}/`));
    if (!prefix) return undefined;
    const rest = path.slice(prefix.length);
    const m = /^\/accounts\/([^/]+)(\/.*)?$/.exec(rest);
    if (!m) return `${SLA_BASE}/v1${rest}`;
    const name = decoded(m[1]!);
    const domain = name === undefined ? undefined : await domainOf(name);
    // An account On-Prem does not serve goes through as given: the cloud answers its own "not found".
    return `${SLA_BASE}/v1/accounts/${encodeURIComponent(domain ?? name ?? m[1]!)}${m[2] ?? ''}`;
  }

  return {
    context: cloud.context,
    sign: (res) => cloud.sign(res),
    relay: (va) => relays.get(va)?.service,
    sync,
    close: () => {
      for (const r of relays.values()) r.service.close();
      relays.clear();
    },
    async handle(req) {
      const path = req.path.replace(/\/{2,}/g, '/');
      const relay = RELAY_RE.exec(path);
      if (relay) {
        const va = decoded(relay[1]!);
        const app = va === undefined ? undefined : await relayFor(va);
        if (!app)
          return json(404, { status: 'FAILED', message: `this On-Prem has no virtual account "${va ?? relay[1]}"` });
        // The device operations, and the relay's admin API beside them (`…/<VA>-1/usage/export`).
        const rest = relay[2]!;
        return app.handle({
          ...req,
          path: DEVICE_OPERATIONS.has(rest as never) ? `${CSLU_PI_BASE}${rest}` : `/cslu/v1${rest}`,
        });
      }
      const synced = await syncRoute(req, path);
      if (synced) return synced;
      if (req.method === 'POST' && API_PREFIXES.some((p) => path === `${p}/upstream_satellites/accounts`))
        return listAccounts();
      const device = DEVICE_PREFIXES.find((p) => path.startsWith(`${p}/`));
      if (device) return cloud.handle({ ...req, path: `${DEVICE_BASE}${path.slice(device.length)}` });
      const api = await apiPath(path);
      return cloud.handle(api ? { ...req, path: api } : req);
    },
  };
}
