/**
 * A device's trusted storage on real disks (DirectoryBackend, SqliteBackend in temp dirs) against the real
 * cloud in process: what survives `reload` and a lab restart (a new VirtualDevice with the same serial on
 * the same storage, later in lab time), the timers re-armed from the stored absolute deadlines, damaged
 * records (each boots factory-fresh with one PLATFORM_ERROR and the bytes quarantined) and a disk that
 * fails underneath a running device.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  decodeRecord,
  DirectoryBackend,
  encodeRecord,
  SqliteBackend,
  type StorageBackend,
  type VirtualDevice,
} from '#devices';
import { udiString, DAY, MINUTE } from '#protocol';
import { EAST_TOKEN, openDeviceLab } from './support/device-lab.ts';
import type { LocalLab } from '#lab';

/** What device.ts stores (RECORD_KIND / RECORD_VERSION there). */
const KIND = 'license-lab.device';
const VERSION = 1;

interface StoredDevice {
  smart: { evalUsedMs: number; keyPem: string; identity?: { certificateSerial: string } };
  logSeq: number;
}

const disks = {
  directory: (dir: string): StorageBackend => new DirectoryBackend(join(dir, 'devices')),
  sqlite: (dir: string): StorageBackend => new SqliteBackend(join(dir, 'devices.sqlite')),
};

let lab: LocalLab;
let dir: string;
const opened: StorageBackend[] = [];

beforeEach(async () => {
  lab = await openDeviceLab();
  dir = mkdtempSync(join(tmpdir(), 'device-storage-'));
});
afterEach(async () => {
  await lab.close();
  for (const b of opened.splice(0)) b.close();
  rmSync(dir, { recursive: true, force: true });
});

const mnemonics = (d: VirtualDevice): string[] => d.events().map((e) => e.syslog.mnemonic);
const count = (d: VirtualDevice, m: string): number => mnemonics(d).filter((x) => x === m).length;
const lines = (d: VirtualDevice, m: string): string[] =>
  d
    .events()
    .filter((e) => e.syslog.mnemonic === m)
    .map((e) => e.line);

function stored(backend: StorageBackend, sn: string): StoredDevice {
  const r = decodeRecord(backend.read(sn), { kind: KIND, maxVersion: VERSION });
  if (!r.ok) throw new Error(`stored record of ${sn}: ${r.problem} (${r.detail})`);
  return r.record.payload as StoredDevice;
}

describe.each(Object.entries(disks))('on %s storage', (_name, disk) => {
  /** A backend as a freshly started lab process opens it. */
  const open = (): StorageBackend => {
    const b = disk(dir);
    opened.push(b);
    return b;
  };
  /** Powers the device off, closes its storage, lets `offFor` lab ms pass, and boots it again from disk. */
  async function restart(
    d: VirtualDevice,
    backend: StorageBackend,
    offFor: number,
  ): Promise<{ d: VirtualDevice; backend: StorageBackend }> {
    d.stop();
    backend.close();
    await lab.clock.advance(offFor);
    const again = open();
    return { d: lab.device({ sn: d.udi.sn, storage: again }), backend: again };
  }

  it('a lab restart keeps the registration and re-arms the renewals at their stored absolute deadlines', async () => {
    const backend = open();
    const first = lab.device({ storage: backend });
    first.exec(`license smart register idtoken ${EAST_TOKEN}`);
    await lab.clock.advance(MINUTE);
    const t0 = lab.clock.now() - MINUTE;
    const before = first.smart();
    const serial = stored(backend, first.udi.sn).smart.identity!.certificateSerial;
    expect(before.authorization.nextCommunicationAttempt).toBe(t0 + 30 * DAY);

    const { d, backend: disk2 } = await restart(first, backend, 10 * DAY);
    expect(d.udi).toEqual(first.udi);
    expect(d.smart().registration).toEqual(before.registration);
    expect(d.smart().authorization).toEqual(before.authorization);
    expect(stored(disk2, d.udi.sn).smart.identity!.certificateSerial).toBe(serial);
    expect(mnemonics(d)).toEqual(['AGENT_READY', 'AGENT_ENABLED']);
    expect(d.exec('show license status')).toContain(
      '  Status: REGISTERED\n  Smart Account: Lab Corp\n  Virtual Account: east\n',
    );

    await lab.clock.advanceTo(t0 + 30 * DAY - 1);
    expect(count(d, 'AUTH_RENEW_SUCCESS')).toBe(0);
    await lab.clock.advance(1);
    expect(count(d, 'AUTH_RENEW_SUCCESS')).toBe(1);
    expect(d.smart().authorization).toMatchObject({
      status: 'authorized',
      lastCommunicationAttempt: { ok: true, at: t0 + 30 * DAY },
      nextCommunicationAttempt: t0 + 60 * DAY,
    });

    await lab.clock.advanceTo(t0 + 180 * DAY - 1);
    expect(count(d, 'ID_CERT_RENEW_SUCCESS')).toBe(0);
    await lab.clock.advance(1);
    expect(count(d, 'ID_CERT_RENEW_SUCCESS')).toBe(1);
    expect(d.smart().registration.lastRenewalAttempt).toEqual({ ok: true, at: t0 + 180 * DAY });
    const renewed = stored(disk2, d.udi.sn).smart.identity!.certificateSerial;
    expect(renewed).not.toBe(serial);
    const instance = await lab.cloud.instance(udiString(d.udi));
    expect(instance).toMatchObject({ certSerial: renewed.toLowerCase() });
  });

  it('a deadline that passed while powered off fires at boot', async () => {
    const backend = open();
    const first = lab.device({ storage: backend });
    first.exec(`license smart register idtoken ${EAST_TOKEN}`);
    await lab.clock.advance(MINUTE);
    const t0 = lab.clock.now() - MINUTE;
    const { d } = await restart(first, backend, 40 * DAY);
    await lab.clock.advance(MINUTE);
    expect(count(d, 'AUTH_RENEW_SUCCESS')).toBe(1);
    expect(d.smart().authorization).toMatchObject({
      status: 'authorized',
      lastCommunicationAttempt: { ok: true, at: t0 + 40 * DAY + MINUTE },
    });
  });

  it('evaluation time survives reloads and restarts exactly, and counts nothing while powered off', async () => {
    const backend = open();
    const first = lab.device({ storage: backend, reloadMs: 3 * MINUTE });
    await lab.clock.advance(10 * DAY);
    first.exec('reload');
    await lab.clock.advance(3 * MINUTE);
    expect(first.smart().authorization.evaluationRemainingMs).toBe(80 * DAY);
    await lab.clock.advance(5 * DAY + 7 * MINUTE);
    const { d, backend: disk2 } = await restart(first, backend, 30 * DAY);
    expect(stored(disk2, d.udi.sn).smart.evalUsedMs).toBe(15 * DAY + 7 * MINUTE);
    expect(d.smart().authorization).toMatchObject({ status: 'eval', evaluationRemainingMs: 75 * DAY - 7 * MINUTE });
    expect(d.exec('show license status')).toContain(
      '  Evaluation Period Remaining: 74 days, 23 hours, 53 minutes, 0 seconds\n',
    );
    await lab.clock.advance(DAY);
    const { d: third } = await restart(d, disk2, DAY);
    expect(third.smart().authorization.evaluationRemainingMs).toBe(74 * DAY - 7 * MINUTE);
  });

  it('a saved boot level survives reload and restart, an unsaved one does not', async () => {
    const backend = open();
    const d = lab.device({ storage: backend, reloadMs: MINUTE });
    expect(d.view().bootLevel).toMatchObject({ current: 'network-advantage', currentAddon: 'dna-advantage' });
    d.exec('configure terminal');
    d.exec('license boot level network-essentials');
    d.exec('end');
    expect(d.exec('reload')).toBe(
      'System configuration has been modified. Save? [yes/no]: no\nProceed with reload? [confirm]\n',
    );
    await lab.clock.advance(MINUTE);
    expect(d.view().bootLevel).toMatchObject({ current: 'network-advantage', nextReload: 'network-advantage' });

    d.exec('configure terminal');
    d.exec('license boot level network-essentials');
    d.exec('end');
    expect(d.exec('write memory')).toBe('Building configuration...\n[OK]\n');
    expect(d.view().bootLevel).toMatchObject({ current: 'network-advantage', nextReload: 'network-essentials' });
    expect(d.exec('reload')).toBe('Proceed with reload? [confirm]\n');
    await lab.clock.advance(MINUTE);
    expect(d.view().bootLevel.current).toBe('network-essentials');

    const { d: again } = await restart(d, backend, DAY);
    expect(again.view().bootLevel).toEqual({ current: 'network-essentials', nextReload: 'network-essentials' });
    expect(again.smart().entitlements.map((e) => e.feature)).toEqual(['network-essentials']);
  });

  describe('a damaged record boots factory-fresh, logs one PLATFORM_ERROR naming the problem, and is kept aside', () => {
    const damage: [string, (good: Buffer) => Buffer, RegExp][] = [
      [
        'truncated',
        (b) => b.subarray(0, b.length - 10),
        /trusted storage truncated: stored record body has \d+ of \d+ bytes/,
      ],
      [
        'cut inside its header',
        (b) => b.subarray(0, 20),
        /trusted storage truncated: stored record ends inside its header after 20 bytes/,
      ],
      ['empty', () => Buffer.alloc(0), /trusted storage truncated: stored record is empty \(0 bytes\)/],
      [
        'a flipped byte',
        (b) => flip(b, b.length - 30),
        /trusted storage checksum: SHA-256 of the \d+-byte body does not match its header/,
      ],
      [
        'garbage',
        () => Buffer.from('\x00\xff not a record at all \n{}'),
        /trusted storage corrupt: bad storage header /,
      ],
      [
        'a future record version',
        (b) =>
          encodeRecord({
            kind: KIND,
            version: VERSION + 1,
            savedAt: 0,
            payload: JSON.parse(b.subarray(b.indexOf(0x0a) + 1).toString()).payload,
          }),
        /trusted storage version: "license-lab.device" record version 2 is newer than this build reads \(1\)/,
      ],
      [
        'a future storage format',
        (b) => Buffer.concat([Buffer.from('LICLAB-STORE 2'), b.subarray(14)]),
        /trusted storage version: storage format 2 is newer than this build reads \(1\)/,
      ],
      [
        'another kind',
        () => encodeRecord({ kind: 'license-lab.traditional', version: 1, savedAt: 0, payload: {} }),
        /trusted storage kind: stored record is of kind "license-lab.traditional"/,
      ],
      [
        'a checksummed record of the wrong shape',
        () => encodeRecord({ kind: KIND, version: VERSION, savedAt: 0, payload: { smart: 'nope' } }),
        /trusted storage corrupt: /,
      ],
      [
        'a checksummed record with a bad key',
        (b) => {
          const body = JSON.parse(b.subarray(b.indexOf(0x0a) + 1).toString()) as { payload: StoredDevice };
          return encodeRecord({
            kind: KIND,
            version: VERSION,
            savedAt: 0,
            payload: { ...body.payload, smart: { ...body.payload.smart, keyPem: 'not a key' } },
          });
        },
        /trusted storage corrupt: /,
      ],
    ];

    it.each(damage)('%s', async (_what, spoil, detail) => {
      const backend = open();
      const first = lab.device({ storage: backend });
      first.exec(`license smart register idtoken ${EAST_TOKEN}`);
      await lab.clock.advance(10 * DAY);
      const sn = first.udi.sn;
      first.stop();
      const bad = spoil(backend.read(sn)!);
      backend.write(sn, bad);
      backend.close();
      await lab.clock.advance(DAY);
      const again = open();
      const d = lab.device({ sn, storage: again });
      const at = lab.clock.now();

      expect(mnemonics(d)).toEqual([
        'PLATFORM_ERROR',
        'AGENT_READY',
        'AGENT_ENABLED',
        'EXPORT_CONTROLLED',
        'EVAL_START',
      ]);
      const line = lines(d, 'PLATFORM_ERROR')[0]!;
      expect(line).toMatch(
        /%SMART_LIC-2-PLATFORM_ERROR: Smart Licensing has encountered an internal software error\. Contact TAC: /,
      );
      expect(line).toMatch(detail);
      expect(line).toContain(`kept as ${sn}.corrupt-${at}, starting with factory licensing data`);
      expect(again.read(`${sn}.corrupt-${at}`)).toEqual(bad);
      expect(again.keys()).toEqual([sn, `${sn}.corrupt-${at}`]);
      expect(d.smart()).toMatchObject({
        registration: { status: 'unregistered' },
        authorization: { status: 'eval', evaluationRemainingMs: 90 * DAY },
      });
      expect(d.exec('show license status')).toContain('  Status: EVAL MODE\n');
      // The factory record is written at once: the next restart is clean.
      expect(stored(again, sn).smart.evalUsedMs).toBe(0);
      await lab.clock.advance(DAY);
      const { d: next } = await restart(d, again, 0);
      expect(mnemonics(next)).toEqual(['AGENT_READY', 'AGENT_ENABLED', 'EXPORT_CONTROLLED', 'EVAL_START']);
      expect(next.smart().authorization.evaluationRemainingMs).toBe(89 * DAY);
    });
  });
});

describe('a disk that fails under a running device', () => {
  it('SQLite closed underneath: one PLATFORM_ERROR, the agent runs on from memory, nothing throws', async () => {
    const backend = new SqliteBackend(join(dir, 'devices.sqlite'));
    const d = lab.device({ storage: backend, reloadMs: MINUTE });
    d.exec(`license smart register idtoken ${EAST_TOKEN}`);
    await lab.clock.advance(MINUTE);
    const t0 = lab.clock.now() - MINUTE;
    backend.close();
    // The 30-day renewal saves its result: the disk refuses, the renewal still counts.
    await lab.clock.advance(30 * DAY);
    expect(d.smart().authorization).toMatchObject({
      status: 'authorized',
      lastCommunicationAttempt: { ok: true, at: t0 + 30 * DAY },
    });
    expect(lines(d, 'PLATFORM_ERROR')).toEqual([
      expect.stringMatching(
        /%SMART_LIC-2-PLATFORM_ERROR: .*: trusted storage write failed: SQLite storage \S+devices\.sqlite is closed; running from memory until it can be written again$/,
      ),
    ]);
    await lab.clock.advance(60 * DAY);
    expect(count(d, 'AUTH_RENEW_SUCCESS')).toBe(4);
    expect(count(d, 'PLATFORM_ERROR')).toBe(1);
    expect(d.exec('write memory')).toBe('%Error writing nvram:startup-config (I/O error)\n');
    d.exec('reload');
    await lab.clock.advance(MINUTE);
    expect(d.state).toBe('running');
    expect(d.smart().registration.status).toBe('registered');
    expect(() => d.stop()).not.toThrow();
  });

  it('directory removed: logged once, and written again once the directory is back', async () => {
    const root = join(dir, 'devices');
    const backend = new DirectoryBackend(root);
    const d = lab.device({ storage: backend });
    await lab.clock.advance(DAY);
    rmSync(root, { recursive: true });
    expect(d.exec('write memory')).toBe('%Error writing nvram:startup-config (I/O error)\n');
    await lab.clock.advance(3 * DAY);
    expect(lines(d, 'PLATFORM_ERROR')).toEqual([
      expect.stringContaining(`trusted storage write failed: cannot write ${join(root, d.udi.sn)}: ENOENT`),
    ]);
    expect(d.smart().authorization).toMatchObject({ status: 'eval', evaluationRemainingMs: 86 * DAY });
    mkdirSync(root);
    expect(d.exec('write memory')).toBe('Building configuration...\n[OK]\n');
    await lab.clock.advance(DAY);
    d.stop();
    const again = lab.device({ sn: d.udi.sn, storage: new DirectoryBackend(root) });
    expect(count(again, 'PLATFORM_ERROR')).toBe(0);
    expect(again.smart().authorization.evaluationRemainingMs).toBe(85 * DAY);
  });
});

function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}
