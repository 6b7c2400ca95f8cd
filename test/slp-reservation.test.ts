/**
 * Specific and Permanent License Reservation on 17.x (Smart Licensing Using Policy) end to end, in virtual
 * time against the real cloud mock, for a C9300, an ISR 4451 and an ASR 1001-X: the device prints a request
 * code, the cloud reserves licenses against it (they leave the VA's pool), the device installs the
 * authorization code, keeps it through a reload without reporting, and its return code gives the licenses
 * back. Codes for another UDI, tampered or cut short change nothing in storage, byte for byte. A 16.x
 * device reserved under classic Smart Licensing keeps its reservation when it boots a 17.x image.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryBackend, type VirtualDevice } from '#devices';
import { createLab, type LocalLab } from '#lab';
import { DAY, FILE_ELEMENTS, formatSlpFile, MINUTE, reservationRequestCode, udiString } from '#protocol';

const EXAMPLE = readFileSync(new URL('../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
/** The example seed, its DEFAULT virtual account allowed PLR. */
const SEED = EXAMPLE.replace('      - name: DEFAULT\n', '      - name: DEFAULT\n        plrAllowed: true\n');
const VA = { account: 'example.com', virtualAccount: 'DEFAULT' };
/** Each at a level whose licenses are in use; `classic` is the 16.x release it is upgraded from. */
const MODELS = [
  { pid: 'C9300-24P', release: '17.9.4', classic: '16.12.4' },
  { pid: 'ISR4451-X/K9', release: '17.12.4', classic: '16.12.5', bootLevel: 'appxk9' },
  { pid: 'ASR1001-X', release: '17.9.4a', classic: '16.12.5' },
];

const labs: LocalLab[] = [];
afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.close();
});

async function newLab(): Promise<LocalLab> {
  expect(SEED).toContain('plrAllowed: true');
  const lab = await createLab({ cloud: { seed: SEED, seedSource: 'cloud-seed.example.yaml' } });
  labs.push(lab);
  return lab;
}

function configure(d: VirtualDevice, ...lines: string[]): void {
  for (const line of ['configure terminal', ...lines, 'end']) expect(d.exec(line), line).not.toMatch(/^%/m);
}

const lastLine = (output: string): string => output.trim().split('\n').at(-1)!;
const requestCode = (d: VirtualDevice): string => {
  const out = d.exec('license smart reservation request local');
  expect(out).toMatch(/^Enter this request code in the Cisco Smart Software Manager portal:\n/);
  return lastLine(out);
};
const asFile = (code: unknown): string => formatSlpFile([{ element: FILE_ELEMENTS.RESERVATION, value: code }]);
const bytes = (storage: MemoryBackend): string[] => storage.keys().map((k) => storage.read(k)!.toString('base64'));

/** The device's licenses put in the VA (5 of each), and how many of each the pool holds back. */
async function stocked(lab: LocalLab, tags: readonly string[]) {
  for (const tag of tags) await lab.cloud.depositLicenses({ ...VA, tag, quantity: 5 });
  return async () => {
    const pools = await lab.cloud.pools(VA);
    return tags.map((t) => pools.find((p) => p.tag === t)!).map((p) => ({ reserved: p.reserved, balance: p.balance }));
  };
}

describe.each(MODELS)('$pid on $release', (model) => {
  const device = (lab: LocalLab, storage = new MemoryBackend()) => {
    const { classic: _, ...spec } = model;
    const d = lab.device({ ...spec, storage });
    configure(d, 'license smart transport off', 'license smart reservation');
    return d;
  };

  it('SLR: reserved in the VA, installed, kept through a reload without reporting, returned', async () => {
    const lab = await newLab();
    const d = device(lab);
    const tags = d
      .slp()!
      .licenses.filter((l) => l.inUse)
      .map((l) => l.tag);
    expect(tags.length).toBeGreaterThan(0);
    const pool = await stocked(lab, tags);
    const before = await pool();
    expect(before.map((p) => p.reserved)).toEqual(tags.map(() => 0));

    const request = requestCode(d);
    expect(request.startsWith(`${model.pid}:${d.udi.sn}-`)).toBe(true);
    const [code] = await lab.cloud.slp.reserve(VA, [
      {
        reservationCode: request,
        reservationType: 'SPECIFIC',
        licenses: tags.map((entitlementTag) => ({ entitlementTag, quantity: 1 })),
      },
    ]);
    expect(await pool()).toEqual(before.map((p) => ({ reserved: 1, balance: p.balance - 1 })));

    d.putFile('flash:slr.txt', asFile(code));
    expect(d.exec('license smart reservation install file flash:slr.txt')).toBe(
      'Reservation install file successful\n',
    );
    expect(lab.events({ device: d, mnemonic: 'RESERVED_INSTALLED' })).toHaveLength(1);
    expect(d.slp()!.states).toMatchObject({ reservation: 'installed.specific', push: 'reserved', ack: 'none' });

    d.exec('write memory');
    d.exec('reload');
    await lab.clock.advance(10 * MINUTE);
    await lab.clock.advance(400 * DAY);
    expect(d.slp()!.states.reservation).toBe('installed.specific');
    expect(d.slp()!.reports.filter((r) => r.state === 'OPEN')).toEqual([]);
    expect(lab.events({ device: d, mnemonic: 'RUM_ACK_NOT_RECEIVED' })).toEqual([]);
    const status = d.exec('show license status');
    expect(status).toContain('  Next ACK deadline: <none>\n  Reporting push interval: 0 (no reporting)\n');
    expect(status).toMatch(
      /\nLicense Reservation:\n {2}Overall status:\n {4}Active: PID:.*\n {8}Reservation status: SPECIFIC INSTALLED on /,
    );
    expect(d.exec('show license reservation')).toMatch(/Total reserved count: 1\n$/);
    // Never a word to the cloud: it knows no product instance for the device.
    expect(await lab.cloud.instance(udiString(d.udi))).toBeUndefined();

    const returned = lastLine(d.exec('license smart reservation return local'));
    expect(returned).toMatch(/-R[0-9A-F]{8}-\d\d$/);
    expect(d.slp()!.states.reservation).toBe('enabled');
    await lab.cloud.slp.returnReservation(VA, returned);
    expect(await pool()).toEqual(before);
  });

  it('PLR: a UNIVERSAL code reserves the licenses and runs every one; its return restores the pool', async () => {
    const lab = await newLab();
    const d = device(lab);
    const tags = d
      .slp()!
      .licenses.filter((l) => l.inUse)
      .map((l) => l.tag);
    const pool = await stocked(lab, tags);
    const before = await pool();
    const [code] = await lab.cloud.slp.reserve(VA, [
      {
        reservationCode: requestCode(d),
        reservationType: 'UNIVERSAL',
        licenses: tags.map((entitlementTag) => ({ entitlementTag, quantity: 1 })),
      },
    ]);
    expect((await pool()).map((p) => p.reserved)).toEqual(tags.map(() => 1));
    expect(
      d.exec(
        `license smart reservation install ${formatSlpFile([{ element: FILE_ELEMENTS.RESERVATION, value: code }]).trim()}`,
      ),
    ).toBe('Reservation install successful\n');
    expect(d.slp()!.states.reservation).toBe('installed.universal');
    expect(lab.events({ device: d, mnemonic: 'NOT_AUTHORIZED' })).toEqual([]);
    expect(d.exec('show license usage')).toContain(
      '  Reservation status: UNIVERSAL INSTALLED\n  Total reserved count: UNLIMITED\n',
    );

    d.exec('write memory');
    d.exec('reload');
    await lab.clock.advance(10 * MINUTE);
    expect(d.slp()!.states.reservation).toBe('installed.universal');
    expect(d.exec('show license reservation')).toContain('      Reservation status: UNIVERSAL INSTALLED on ');

    const returned = lastLine(d.exec('license smart reservation return local'));
    await lab.cloud.slp.returnReservation(VA, returned);
    expect(await pool()).toEqual(before);
    await expect(lab.cloud.slp.returnReservation(VA, returned)).rejects.toThrow(/reservation/i);
  });

  it('a code for another UDI, tampered or cut short is refused and storage stays byte for byte the same', async () => {
    const lab = await newLab();
    const storage = new MemoryBackend();
    const d = device(lab, storage);
    const tags = d
      .slp()!
      .licenses.filter((l) => l.inUse)
      .map((l) => l.tag);
    await stocked(lab, tags);
    const request = requestCode(d);
    const other = reservationRequestCode({ pid: model.pid, sn: 'FOX0000X0ZZ' });
    const licenses = tags.map((entitlementTag) => ({ entitlementTag, quantity: 1 }));
    const [own, foreign] = await lab.cloud.slp.reserve(VA, [
      { reservationCode: request, reservationType: 'SPECIFIC', licenses },
      { reservationCode: other, reservationType: 'SPECIFIC', licenses },
    ]);
    const good = asFile(own).trim();
    const tampered = good.replace(/quantity\\*":1/, (m) => m.replace('1', '9'));
    expect(tampered).not.toBe(good);
    d.putFile('flash:foreign.txt', asFile(foreign));
    d.putFile('flash:tampered.txt', tampered);
    d.exec('write memory');
    const before = bytes(storage);

    expect(d.exec('license smart reservation install file flash:foreign.txt')).toBe(
      '% Reservation install file failed: The Reservation Authorization Code does not match the Reservation Request Code\n',
    );
    expect(d.exec('license smart reservation install file flash:tampered.txt')).toMatch(
      /^% Reservation install file failed: The Reservation Authorization Code is not valid \(.+\)\n$/,
    );
    expect(d.exec(`license smart reservation install ${good.slice(0, Math.floor(good.length * 0.9))}`)).toMatch(
      /^% Reservation install failed: The Reservation Authorization Code is not valid \(.+\)\n$/,
    );
    expect(d.exec('license smart reservation return local')).toBe(
      '% No reservation authorization code is installed.\n',
    );
    expect(bytes(storage)).toEqual(before);
    expect(d.slp()!.states.reservation).toBe('requested');
    expect(lab.events({ device: d, mnemonic: 'RESERVED_INSTALLED' })).toEqual([]);
    // The genuine code still installs afterwards.
    expect(d.exec(`license smart reservation install ${good}`)).toBe('Reservation install successful\n');
    expect(bytes(storage)).not.toEqual(before);
  });

  it(`a ${model.classic} device reserved under classic Smart Licensing keeps its reservation on ${model.release}`, async () => {
    const lab = await newLab();
    const { classic, release, ...spec } = model;
    const d = lab.device({ ...spec, release: classic });
    configure(d, 'license smart reservation');
    const tags = d.smart().entitlements.map((e) => e.tag);
    const pool = await stocked(lab, tags);
    const [code] = await lab.cloud.slp.reserve(VA, [
      {
        reservationCode: requestCode(d),
        reservationType: 'SPECIFIC',
        licenses: tags.map((entitlementTag) => ({ entitlementTag, quantity: 1 })),
      },
    ]);
    d.putFile('flash:slr.txt', asFile(code));
    expect(d.exec('license smart reservation install file flash:slr.txt')).toBe(
      'Reservation install file successful\n',
    );
    const confirmation = d.smart().reservation!.lastConfirmationCode!;
    expect(d.exec('show license summary')).toContain('AUTHORIZED - RESERVED');

    expect(d.installImage(release)).toEqual({ ok: true, output: '' });
    d.exec('write memory');
    d.exec('reload');
    await lab.clock.advance(10 * MINUTE);
    expect(d.release.version).toBe(release);
    const s = d.slp()!;
    expect(s.states).toMatchObject({ reservation: 'installed.specific', push: 'reserved', ack: 'none' });
    expect(s.reservation).toMatchObject({ enabled: true, status: 'specific', lastConfirmationCode: confirmation });
    expect(s.licenses.filter((l) => tags.includes(l.tag)).map((l) => l.reserved)).toEqual(tags.map(() => 1));
    expect(d.exec('show license reservation')).toContain(`      Last Confirmation code: ${confirmation}\n`);
    expect(d.exec('show license summary')).toMatch(/^License Reservation is ENABLED\n/);
    await lab.clock.advance(400 * DAY);
    expect(lab.events({ device: d, mnemonic: 'RUM_ACK_NOT_RECEIVED' })).toEqual([]);

    // Returned on the 17.x image, the licenses go back to the pool.
    await lab.cloud.slp.returnReservation(VA, lastLine(d.exec('license smart reservation return local')));
    expect((await pool()).map((p) => p.reserved)).toEqual(tags.map(() => 0));
  });
});
