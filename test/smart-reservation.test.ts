/**
 * Specific License Reservation end to end, in virtual time: a 16.x switch asks for a reservation, the cloud
 * reserves its licenses (they leave the pool) against the request code, the switch installs the
 * authorization code from a file and runs AUTHORIZED - RESERVED for 400 days without a word to the cloud;
 * its return code gives the licenses back.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createLab, type LocalLab } from '#lab';
import { DAY, FILE_ELEMENTS, formatSlpFile, udiString } from '#protocol';

const SEED = readFileSync(new URL('../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
const VA = { account: 'example.com', virtualAccount: 'DEFAULT' };
const labs: LocalLab[] = [];
afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.close();
});

describe('Specific License Reservation with the cloud mock', () => {
  it('reserves against the request code, installs, runs 400 days offline, and returns', async () => {
    const lab = await createLab({ cloud: { seed: SEED, seedSource: 'cloud-seed.example.yaml' } });
    labs.push(lab);
    const sw = lab.device({ pid: 'C9300-24P', release: '16.12.4' });
    for (const line of ['configure terminal', 'license smart reservation', 'end']) sw.exec(line);
    const request = /(C9300-24P:\w+-\w+-\d\d)/.exec(sw.exec('license smart reservation request local'))?.[1];
    expect(request).toBeDefined();

    const advantage = (await lab.cloud.pools(VA)).filter((p) => /C9300 (Network|DNA) Advantage/.test(p.licenseName));
    expect(advantage.map((p) => p.reserved)).toEqual([0, 0]);
    const [code] = await lab.cloud.slp.reserve(VA, [
      {
        reservationCode: request!,
        reservationType: 'SPECIFIC',
        licenses: advantage.map((p) => ({ entitlementTag: p.tag, quantity: 1 })),
      },
    ]);
    expect(
      (await lab.cloud.pools(VA)).filter((p) => advantage.some((a) => a.tag === p.tag)).map((p) => p.reserved),
    ).toEqual([1, 1]);

    expect(sw.putFile('flash:slr.txt', formatSlpFile([{ element: FILE_ELEMENTS.RESERVATION, value: code }])).ok).toBe(
      true,
    );
    expect(sw.exec('license smart reservation install file flash:slr.txt')).toContain(
      'Reservation install file successful',
    );
    expect(lab.events({ device: sw, mnemonic: 'RESERVED_INSTALLED' })).toHaveLength(1);
    await lab.clock.advance(400 * DAY);
    expect(sw.exec('show license summary')).toContain('AUTHORIZED - RESERVED');
    expect(sw.exec('show license reservation')).toMatch(/Reservation status: SPECIFIC INSTALLED on/);
    // Never a word to the cloud: it holds no product instance for the switch.
    expect(await lab.cloud.instance(udiString(sw.udi))).toBeUndefined();

    const returned = /(C9300-24P:\w+-R[0-9A-F]{8}-\d\d)/.exec(sw.exec('license smart reservation return local'))?.[1];
    expect(returned).toBeDefined();
    await lab.cloud.slp.returnReservation(VA, returned!);
    expect(
      (await lab.cloud.pools(VA)).filter((p) => advantage.some((a) => a.tag === p.tag)).map((p) => p.reserved),
    ).toEqual([0, 0]);
    await expect(lab.cloud.slp.returnReservation(VA, returned!)).rejects.toThrow(/reservation/i);
  });
});
