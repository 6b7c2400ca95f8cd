/**
 * Fixtures of the SLP route suites: the cloud app on real HTTP over a store of either kind (example.com with
 * VA east and its tokens), and SLP devices with real P-256 keys that sign requests and RUM reports.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import {
  createLicenseTrust,
  decodeSmartLicense,
  headers,
  openDocument,
  parseSlpJson,
  signBytes,
  type PayloadOf,
  type RumPayload,
  type RumReport,
  type Sudi,
} from '#protocol';
import { openTestCloud, type TestCloud } from '../domain/test-cloud.test-support.ts';
import type { StoreKind } from '#test-support/test-stores.ts';
import type { CloudPolicy } from '../domain/index.ts';
import { applySeed, parseSeed } from '../seed/index.ts';
import { serve, type RunningServer } from '../server.ts';
import { createCloudApp, type CloudApp } from './app.ts';
import { SLA_BASE } from './management-access.ts';

export const TOKEN = 'SLP-EAST-TOKEN-0001';
export const EXPORT_TOKEN = 'SLP-EAST-EXPORT-0001';
export const DEFAULT_TOKEN = 'SLP-DEFAULT-TOKEN-01';
/** C9300 Network Advantage (protocol/entitlements.ts). */
/** ISR 4000 HSECK9: export-controlled, needs a SLAC. */
export const HSEC = 'regid.2015-09.com.cisco.ISR_4400_HSEC,1.0_8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c0c';
export const TAG = 'regid.2017-05.com.cisco.advantagek9-Nyquist-C9300,1.0_6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d01';

const USERS = {
  admin: { account: 'example.com', role: 'Smart Account Administrator' },
  east: { account: 'example.com', role: 'Virtual Account User', virtualAccount: 'east' },
  other: { account: 'other.example', role: 'Smart Account Administrator' },
} as const;
export type Who = keyof typeof USERS;

export interface Reply {
  status: number;
  body: Record<string, unknown> & { status?: string; message_code?: string; poll_id?: string };
  text: string;
}

export interface SlpCloud {
  opened: TestCloud;
  app: CloudApp;
  /** Closes the store and the server, and serves a new app over the reopened store (a cloud restart). */
  restart(): Promise<void>;
  /** POSTs `body` (string as is, else JSON) with these headers; the answer read with parseSlpJson. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** A management API call (under SLA_BASE) as `who`, with a client-credentials bearer token. */
  api(who: Who, method: 'GET' | 'POST', path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** Opens a `smart_license` of `kind` with the served license key. */
  open<K extends Parameters<typeof openDocument>[1]>(smartLicense: unknown, kind: K): PayloadOf<K>;
  close(): Promise<void>;
}

export async function openSlpCloud(kind: StoreKind, policy?: Partial<CloudPolicy>): Promise<SlpCloud> {
  const opened = await openTestCloud(kind, { secretHashCost: 1024, ...policy });
  await applySeed(
    opened.cloud,
    parseSeed(
      JSON.stringify({
        accounts: [
          {
            name: 'Example Corp',
            domain: 'example.com',
            virtualAccounts: [
              {
                name: 'east',
                licenses: [
                  { tag: TAG, quantity: 2, licenseType: 'PERPETUAL' },
                  { tag: HSEC, quantity: 2, licenseType: 'PERPETUAL' },
                ],
                tokens: [
                  { value: TOKEN, maxUses: 50 },
                  { value: EXPORT_TOKEN, exportControlled: true },
                ],
              },
              { name: 'DEFAULT', tokens: [{ value: DEFAULT_TOKEN }] },
              {
                name: 'secure',
                exportControlled: true,
                plrAllowed: true,
                licenses: [
                  { tag: HSEC, quantity: 1, licenseType: 'PERPETUAL' },
                  { tag: TAG, quantity: 3, licenseType: 'PERPETUAL' },
                ],
              },
            ],
          },
          { name: 'Other Corp', domain: 'other.example' },
        ],
        users: Object.entries(USERS).map(([who, role]) => ({ username: `${who}@lab.example`, roles: [role] })),
        apiClients: Object.keys(USERS).map((who) => ({
          user: `${who}@lab.example`,
          clientId: `${who}-client`,
          clientSecret: `${who}-secret`,
        })),
      }),
    ),
  );
  const newApp = () =>
    createCloudApp({
      service: opened.cloud,
      clock: opened.clock,
      clockControl: opened.clock,
      labKey: null,
      log: () => undefined,
      rateLimit: null,
    });
  const app = newApp();
  let server: RunningServer = await serve(app);
  const trust = createLicenseTrust([opened.cloud.licenseKey.publicKey]);
  const handle: SlpCloud = {
    opened,
    app,
    async restart() {
      await server.close();
      await opened.reopen();
      handle.app = newApp();
      server = await serve(handle.app);
    },
    async post(path, body, extra = {}) {
      const res = await fetch(server.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...extra },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: parseSlpJson(text) as Reply['body'], text };
    },
    async api(who, method, path, body, extra = {}) {
      const token = await handle.post('/oauth/token', {
        grant_type: 'client_credentials',
        client_id: `${who}-client`,
        client_secret: `${who}-secret`,
      });
      const res = await fetch(server.url + SLA_BASE + path, {
        method,
        headers: {
          authorization: `Bearer ${String(token.body.access_token)}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...extra,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: parseSlpJson(text) as Reply['body'], text };
    },
    open(smartLicense, kind) {
      const opened = openDocument(decodeSmartLicense(String(smartLicense)), kind, trust);
      if (!opened.ok) throw new Error(`[test] ${kind} does not open: ${opened.reason}`);
      return opened.value;
    },
    async close() {
      await server.close();
      await opened.cleanup();
    },
  };
  return handle;
}

export interface ReportSpec {
  reportId: number;
  tag?: string;
  count?: number;
  /** Epoch seconds of the measurement's end. */
  endTime?: number;
}

/** A virtual SLP device: a UDI, a P-256 key, requests signed over their bytes, RUM reports signed over payload. */
export class SlpDevice {
  readonly sudi: Sudi;
  readonly privateKey: KeyObject;
  readonly publicKey: string;
  private readonly cloud: SlpCloud;

  constructor(cloud: SlpCloud, sn: string) {
    this.cloud = cloud;
    this.sudi = { udi_pid: 'C9300-24T', udi_serial_number: sn };
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  }

  /** `{data: {timestamp, nonce, …fields}}` signed with `key` (the device's by default). */
  body(
    fields: object,
    opts: { timestamp?: number; key?: KeyObject | null } = {},
  ): { text: string; headers: Record<string, string> } {
    const text = JSON.stringify({
      data: {
        timestamp: opts.timestamp ?? this.cloud.opened.clock.now(),
        nonce: randomBytes(8).toString('hex'),
        ...fields,
      },
    });
    const key = opts.key === undefined ? this.privateKey : opts.key;
    return { text, headers: key ? { [headers.signature]: signBytes(text, key) } : {} };
  }

  send(path: string, fields: object, opts: { timestamp?: number; key?: KeyObject | null } = {}): Promise<Reply> {
    const { text, headers: h } = this.body(fields, opts);
    return this.cloud.post(path, text, h);
  }

  trustFields(idToken = TOKEN, force = false) {
    return {
      sudi: this.sudi,
      hostname: `sw-${this.sudi.udi_serial_number.toLowerCase()}`,
      id_token: idToken,
      public_key: this.publicKey,
      force,
    };
  }

  payload(spec: ReportSpec, sudi: Sudi = this.sudi): RumPayload {
    const end = spec.endTime ?? Math.floor(this.cloud.opened.clock.now() / 1000);
    return {
      version: '2.0',
      asset_identification: {
        report_id: spec.reportId,
        asset: { name: 'regid.2017-03.com.cisco.C9300' },
        instance: { sudi },
      },
      meta: { entitlement_tag: spec.tag ?? TAG, software_version: '17.9.4', ha_udi: [] },
      measurements: [
        {
          log_time: end,
          metric_name: 'ENTITLEMENT',
          start_time: end - 900,
          end_time: end,
          sample_interval: 900,
          num_samples: 1,
          meta: { termination_reason: 'CurrUsageRequest' },
          value: { type: 'COUNT', value: String(spec.count ?? 1) },
        },
      ],
    };
  }

  /** A RUM report signed with this device's key (or `key`, then naming its public half). */
  report(
    spec: ReportSpec,
    opts: { payload?: RumPayload; key?: { privateKey: KeyObject; publicKey: string } } = {},
  ): RumReport {
    const text = JSON.stringify(opts.payload ?? this.payload(spec));
    const key = opts.key ?? this;
    return {
      payload: text,
      signature: {
        sudi: this.sudi,
        signing_type: 'builtin',
        key: key.publicKey,
        value: signBytes(text, key.privateKey),
      },
    };
  }

  usage(reports: RumReport[]) {
    return { reports: [{ sudi: this.sudi, hostname: 'sw1', usage: reports }] };
  }
}

export function newKey(): { privateKey: KeyObject; publicKey: string } {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey: pair.privateKey,
    publicKey: pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}
