import { describe, expect, it } from 'vitest';
import { DeviceStorage } from './device-storage.ts';
import { MemoryBackend } from './memory-backend.ts';
import { encodeRecord } from './storage-codec.ts';
import { StorageError } from './storage-error.ts';
import { HOUR } from '#protocol';

const SERIAL = 'FOC2041X0AB';
const PAYLOAD = { enabled: true, evalUsedMs: HOUR, counters: { syslogSeq: 17 } };

function storage(): { backend: MemoryBackend; device: DeviceStorage } {
  const backend = new MemoryBackend();
  return { backend, device: new DeviceStorage(backend, SERIAL) };
}

describe('DeviceStorage', () => {
  it('saves under the device key and loads it back', () => {
    const { backend, device } = storage();
    device.save('smart', 2, PAYLOAD, 1_767_225_600_000);
    expect(backend.keys()).toEqual([SERIAL]);
    expect(device.load('smart', 2)).toEqual({
      ok: true,
      record: { kind: 'smart', version: 2, savedAt: 1_767_225_600_000, payload: PAYLOAD },
    });
  });

  it('reports a missing record, another kind and a newer version without throwing', () => {
    const { device } = storage();
    expect(device.load('smart', 2)).toEqual({ ok: false, problem: 'missing', detail: 'no stored record' });
    device.save('smart', 3, PAYLOAD, 0);
    expect(device.load('smart', 2)).toMatchObject({ ok: false, problem: 'version' });
    expect(device.load('traditional', 9)).toMatchObject({ ok: false, problem: 'kind' });
  });

  it('quarantines a bad record under <key>.corrupt-<time>, keeping its bytes, so the device boots clean', () => {
    const { backend, device } = storage();
    const torn = encodeRecord({ kind: 'smart', version: 2, savedAt: 5, payload: PAYLOAD }).subarray(0, 100);
    backend.write(SERIAL, torn);
    expect(device.load('smart', 2)).toMatchObject({ ok: false, problem: 'truncated' });
    expect(device.quarantine(1_767_225_600_123)).toBe(`${SERIAL}.corrupt-1767225600123`);
    expect(backend.read(`${SERIAL}.corrupt-1767225600123`)).toEqual(torn);
    expect(device.load('smart', 2)).toMatchObject({ ok: false, problem: 'missing' });
    device.save('smart', 2, PAYLOAD, 6);
    expect(device.load('smart', 2)).toMatchObject({ ok: true });
  });

  it('never overwrites earlier evidence quarantined at the same time', () => {
    const { backend, device } = storage();
    for (const bytes of ['first', 'second', 'third']) {
      backend.write(SERIAL, Buffer.from(bytes));
      device.quarantine(9.7);
    }
    expect(backend.keys()).toEqual([`${SERIAL}.corrupt-9`, `${SERIAL}.corrupt-9-2`, `${SERIAL}.corrupt-9-3`]);
    expect(backend.read(`${SERIAL}.corrupt-9-3`)?.toString()).toBe('third');
  });

  it('has nothing to quarantine when nothing is stored', () => {
    const { backend, device } = storage();
    expect(device.quarantine(1)).toBeUndefined();
    expect(backend.keys()).toEqual([]);
  });

  it('refuses a bad key, a bad quarantine time and an unencodable record; passes disk errors through', () => {
    const backend = new MemoryBackend();
    expect(() => new DeviceStorage(backend, '../FOC2041X0AB')).toThrow(StorageError);
    const device = new DeviceStorage(backend, SERIAL);
    expect(() => device.quarantine(Number.NaN)).toThrow(
      new RangeError('quarantine time NaN must be a finite number (epoch ms)'),
    );
    expect(() => device.save('smart', -1, PAYLOAD, 0)).toThrow(RangeError);
    backend.close();
    expect(() => device.save('smart', 1, PAYLOAD, 0)).toThrow(new StorageError('memory storage is closed'));
    expect(() => device.load('smart', 1)).toThrow(StorageError);
  });
});
