/**
 * SSM On-Prem synchronizes with CSSM (issue 12): online, the product instances it serves appear in the CSSM
 * VA of the same name (their usage counted there) and its own pools take CSSM's licenses; offline, the same
 * by a synchronization file carried to CSSM and CSSM's answer file imported back. Conflicts, VAs CSSM lacks
 * and bad files are reported and change nothing. The lab's cloud and the lab's On-Prem in virtual time.
 */
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { createLab, type InProcessCloud, type LocalLab } from '#lab';
import { udiString, type Udi } from '#protocol';
import { generateKeyPairSync } from 'node:crypto';
import { createInProcessTransport, SmartCloudClient } from '#devices';

const SEED = readFileSync(new URL('../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
const CSSM = { account: 'example.com', clientId: 'lab-example-admin', clientSecret: 'lab-example-admin-secret' };
const ONPREM_TOKEN = 'ONPREM-CAMPUS-TOKEN';
const ONPREM_SEED = `
accounts:
  - name: Example Corp
    domain: example.com
    virtualAccounts:
      - name: DEFAULT
        tokens: [{ value: ${ONPREM_TOKEN}, expiresAfterDays: 365 }]
      - name: lab-only
`;
const VA = { account: 'example.com', virtualAccount: 'DEFAULT' };
const SWITCH: Udi = { pid: 'C9300-24P', sn: 'FOC2401X0AA' };

let lab: LocalLab;
afterEach(() => lab.close());

async function open(connected: boolean) {
  lab = await createLab({
    clock: { mode: 'stepped', start: Date.parse('2026-06-01T08:00:00Z') },
    cloud: { seed: SEED },
    onprem: { seed: ONPREM_SEED, satellite: 'campus-onprem', ...(connected ? { cssm: CSSM } : {}) },
  });
  return lab.onprem!;
}

/**
 * A classic switch registered with `server` (the On-Prem's licensing server, or CSSM) over the device
 * protocol, asking to authorize one C9300 Network Advantage license; the answer's status.
 */
async function servedSwitch(server: InProcessCloud, udi = SWITCH, token = ONPREM_TOKEN) {
  const { privateKey: key, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const client = new SmartCloudClient({
    transport: createInProcessTransport((r) => server.app.handle(r)),
    trustAnchorPem: server.caPem,
    now: () => lab.clock.now(),
    transportType: 'Smart',
  });
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const reg = await client.register({
    udi,
    idToken: token,
    hostname: 'campus-sw',
    key,
    publicKeySpkiB64: spki,
    force: true,
  });
  if (!reg.ok) throw new Error(`registration refused: ${reg.reason}`);
  const tag = (await lab.cloud.pools(VA)).find((p) => p.licenseName === 'C9300 Network Advantage')!.tag;
  const auth = await client.authorize({ udi, key, certificateSerial: reg.body.certificateSerial }, [{ tag, count: 1 }]);
  if (!auth.ok) throw new Error(`authorization refused: ${auth.reason}`);
  return { tag, status: auth.body.status };
}

const poolOf = async (pools: Promise<{ tag: string; purchased: number; inUse: number }[]>, tag: string) =>
  (await pools).find((p) => p.tag === tag);

it('online: On-Prem takes CSSM licenses of the VA, CSSM counts what On-Prem serves; a VA CSSM lacks is reported', async () => {
  const onprem = await open(true);
  const { tag, status } = await servedSwitch(onprem.server);
  expect(status).toBe('OUT_OF_COMPLIANCE');
  const before = await poolOf(lab.cloud.pools(VA), tag);

  const outcomes = await onprem.app.sync.online();
  expect(outcomes.map((o) => [o.virtualAccount, o.ok])).toEqual([
    ['DEFAULT', true],
    ['lab-only', false],
  ]);
  expect(outcomes[1]).toMatchObject({ reason: expect.stringContaining('HTTP 404') });
  expect(await poolOf(onprem.server.pools(VA), tag)).toMatchObject({ purchased: before!.purchased, inUse: 1 });
  expect(await poolOf(lab.cloud.pools(VA), tag)).toMatchObject({ inUse: before!.inUse + 1 });
  expect(await lab.cloud.instance(udiString(SWITCH))).toMatchObject({
    satellite: 'campus-onprem',
    hostname: expect.any(String),
  });
  expect((await lab.cloud.events()).filter((e) => e.kind === 'satellite.synced')).toHaveLength(1);
  // The next authorization on On-Prem is in compliance.
  expect((await servedSwitch(onprem.server)).status).toBe('AUTHORIZED');

  // A UDI CSSM holds directly is a conflict, left alone; an instance On-Prem no longer serves leaves CSSM.
  const other: Udi = { pid: 'C9300-24P', sn: 'FOC2401X0BB' };
  await servedSwitch(lab.inProcess!, other, 'LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D');
  await servedSwitch(onprem.server, other);
  await onprem.server.removeInstance(udiString(SWITCH));
  const again = await onprem.app.sync.online();
  expect(again[0]).toMatchObject({ ok: true, conflicts: [udiString(other)] });
  expect(await lab.cloud.instance(udiString(SWITCH))).toBeUndefined();
  expect((await lab.cloud.instance(udiString(other)))!.satellite).toBeUndefined();
});

it('offline: the synchronization file to CSSM, its answer file back; bad files change nothing', async () => {
  const onprem = await open(false);
  const { tag } = await servedSwitch(onprem.server);
  await expect(onprem.app.sync.online()).rejects.toThrow(/not connected to CSSM/);
  const file = await onprem.app.sync.exportFile();
  expect(JSON.parse(file)).toMatchObject({ kind: 'SSM On-Prem synchronization', satellite: 'campus-onprem' });

  const eventsBefore = (await lab.cloud.events()).length;
  await expect(lab.cloud.slp.satelliteSyncFile('example.com', file.slice(0, 40))).rejects.toThrow(
    /synchronization file/,
  );
  expect((await lab.cloud.events()).length).toBe(eventsBefore);
  // The lab-only VA is not in CSSM: the whole file is refused, nothing recorded.
  await expect(lab.cloud.slp.satelliteSyncFile('example.com', file)).rejects.toThrow(/lab-only/);
  expect(await lab.cloud.instance(udiString(SWITCH))).toBeUndefined();
  const defaultOnly = JSON.stringify({
    ...JSON.parse(file),
    virtualAccounts: JSON.parse(file).virtualAccounts.slice(0, 1),
  });
  const answer = await lab.cloud.slp.satelliteSyncFile('example.com', defaultOnly);
  expect(await lab.cloud.instance(udiString(SWITCH))).toMatchObject({ satellite: 'campus-onprem' });

  const pools = JSON.stringify(await onprem.server.pools(VA));
  expect(await onprem.app.sync.importFile('{"kind":"CSSM synchronization answer","answers":[{}]}')).toMatchObject({
    ok: false,
    reason: expect.stringContaining('not a CSSM synchronization answer'),
  });
  expect(JSON.stringify(await onprem.server.pools(VA))).toBe(pools);
  const imported = await onprem.app.sync.importFile(answer);
  expect(imported).toMatchObject({ ok: true, outcomes: [{ virtualAccount: 'DEFAULT', ok: true }] });
  expect((await poolOf(onprem.server.pools(VA), tag))!.purchased).toBeGreaterThan(0);
});

it('the admin routes need the admin credentials', async () => {
  lab = await createLab({
    clock: { mode: 'stepped', start: Date.parse('2026-06-01T08:00:00Z') },
    cloud: { seed: SEED },
    onprem: { seed: ONPREM_SEED, cssm: CSSM },
  });
  const call = (authorization?: string) =>
    lab.onprem!.app.handle({
      method: 'GET',
      path: '/admin/v1/sync/export',
      query: new URLSearchParams(),
      headers: authorization ? { authorization } : {},
      body: Buffer.alloc(0),
    });
  expect(await call()).toMatchObject({ status: 403 });
});
