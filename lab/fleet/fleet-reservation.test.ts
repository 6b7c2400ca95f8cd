/** A 17.x device with a reservation installed counts AUTHORIZED in the fleet, as a reserved 16.x one does. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { FILE_ELEMENTS, formatSlpFile } from '#protocol';
import { createLab } from '../lab.ts';
import { licenseStateOf } from './fleet-summary.ts';

const SEED = readFileSync(new URL('../../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
const VA = { account: 'example.com', virtualAccount: 'DEFAULT' };

it('counts a reserved SLP device AUTHORIZED, and NOT REPORTED again once it is returned', async () => {
  const lab = await createLab({ cloud: { seed: SEED } });
  try {
    const d = lab.device({ pid: 'C9300-24P', release: '17.9.4' });
    for (const line of ['configure terminal', 'license smart transport off', 'license smart reservation', 'end'])
      d.exec(line);
    expect(licenseStateOf(d)).toBe('NOT REPORTED');
    const request = d.exec('license smart reservation request local').trim().split('\n').at(-1)!;
    const tags = d.slp()!.licenses.map((l) => l.tag);
    const [code] = await lab.cloud.slp.reserve(VA, [
      {
        reservationCode: request,
        reservationType: 'SPECIFIC',
        licenses: tags.map((entitlementTag) => ({ entitlementTag, quantity: 1 })),
      },
    ]);
    const text = formatSlpFile([{ element: FILE_ELEMENTS.RESERVATION, value: code }]).trim();
    expect(d.exec(`license smart reservation install ${text}`)).toBe('Reservation install successful\n');
    expect(licenseStateOf(d)).toBe('AUTHORIZED');
    d.exec('license smart reservation return local');
    expect(licenseStateOf(d)).toBe('NOT REPORTED');
  } finally {
    await lab.close();
  }
});
