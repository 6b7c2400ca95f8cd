/**
 * SLP devices behind the lab's CSLU, in virtual time: a factory-fresh 17.x device looks for `cslu-local`,
 * finds the lab's CSLU, pushes its RUM reports; CSLU relays them to the cloud mock and brings back each
 * device's ACK. Offline, the reports wait in CSLU for the export file.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createLab, type LabOptions, type LocalLab } from '#lab';
import { DAY } from '#protocol';

const SEED = readFileSync(new URL('../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
const CSLU = { account: 'example.com', clientId: 'lab-example-admin', clientSecret: 'lab-example-admin-secret' };
const labs: LocalLab[] = [];
afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.close();
});

async function labWith(cslu: LabOptions['cslu']) {
  const lab = await createLab({
    cloud: { seed: SEED, seedSource: 'cloud-seed.example.yaml' },
    ...(cslu ? { cslu } : {}),
  });
  labs.push(lab);
  return lab;
}

describe('the lab CSLU', () => {
  it('relays factory-fresh SLP devices’ usage to the cloud and installs their ACKs', async () => {
    const lab = await labWith(CSLU);
    const switches = [
      lab.device({ pid: 'C9300-24P', release: '17.9.4' }),
      lab.device({ pid: 'C9200L-24P-4G', release: '17.9.4' }),
    ];
    await lab.clock.advance(2 * DAY);
    for (const d of switches) {
      const status = d.exec('show license status');
      expect(status, d.hostname).toContain('Transport:\n  Type: cslu\n  Cslu address: <empty>\n');
      expect(status, d.hostname).toMatch(/ {2}Last ACK received: \w{3} \d\d \d\d:\d\d:\d\d 2026 UTC\n/);
      expect(lab.events({ device: d, mnemonic: 'RUM_ACK_RECEIVED' }).length, d.hostname).toBeGreaterThan(0);
      expect(d.slp()!.account).toMatchObject({ smartAccount: expect.any(String), virtualAccount: 'DEFAULT' });
    }
    expect(lab.cslu!.service.status()).toMatchObject({ connected: true, instances: 2, lastFailure: undefined });
    const instances = await lab.cloud.instances();
    expect(instances.map((i) => i.udi.sn).sort()).toEqual(switches.map((d) => d.udi.sn).sort());
  });

  it('offline: holds the reports for the export file, and the devices wait for their ACK', async () => {
    const lab = await labWith({ offline: true });
    const sw = lab.device({ pid: 'C9300-24P', release: '17.9.4' });
    await lab.clock.advance(2 * DAY);
    expect(lab.cslu!.service.status().reports.RECEIVED).toBeGreaterThan(0);
    expect(lab.events({ device: sw, mnemonic: 'RUM_ACK_RECEIVED' })).toEqual([]);
    expect(lab.cslu!.service.exportUsage().file).toContain('<RUMReport>');
    expect(await lab.cloud.instances()).toEqual([]);
  });
});

describe('the lab On-Prem', () => {
  it('refuses a bad On-Prem seed with its reason, and the lab does not start', async () => {
    await expect(createLab({ cloud: { seed: SEED }, onprem: { seed: 'accounts: [{ nam: x }]' } })).rejects.toThrow(
      /onprem seed/,
    );
  });
});
