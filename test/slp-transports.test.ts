/**
 * A 17.x C9300, ISR 4451 and ASR 1001-X each report their usage by every transport the lab runs, against
 * the real cloud mock in virtual time, and install the ACK that comes back (smart-licensing.md §9.6):
 * direct to CSSM with a trust code, through the lab's CSLU (found at cslu-local), through the lab's SSM
 * On-Prem (its relay for the VA sends the usage on to CSSM), and air-gapped by file.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '#devices';
import { createLab, type LocalLab } from '#lab';
import { HOUR } from '#protocol';

const SEED = readFileSync(new URL('../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
const TOKEN = 'LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D';
const VA = { account: 'example.com', virtualAccount: 'DEFAULT' };
const CSLU = { account: 'example.com', clientId: 'lab-example-admin', clientSecret: 'lab-example-admin-secret' };
/** Each at a level whose license is in use (an ISR at ipbasek9 uses none, so it has nothing to report). */
const MODELS = [
  { pid: 'C9300-24P', release: '17.9.4' },
  { pid: 'ISR4451-X/K9', release: '17.12.4', bootLevel: 'appxk9' },
  { pid: 'ASR1001-X', release: '17.9.4a' },
];

/** The On-Prem's own account: the customer's, whose DEFAULT virtual account its relay reports for. */
const ONPREM_SEED = 'accounts:\n  - name: Example Corp\n    domain: example.com\n';

const labs: LocalLab[] = [];
afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.close();
});

async function labWithCslu() {
  const lab = await createLab({
    cloud: { seed: SEED, seedSource: 'cloud-seed.example.yaml' },
    cslu: CSLU,
    onprem: { seed: ONPREM_SEED, cssm: CSLU },
  });
  labs.push(lab);
  return lab;
}

function configure(d: VirtualDevice, ...lines: string[]): void {
  for (const line of ['configure terminal', ...lines, 'end']) expect(d.exec(line), line).not.toMatch(/^%/m);
}

const acked = (lab: LocalLab, d: VirtualDevice) => lab.events({ device: d, mnemonic: 'RUM_ACK_RECEIVED' }).length;

describe.each(MODELS)('$pid on $release', (model) => {
  it('reports directly to CSSM once trusted', async () => {
    const lab = await labWithCslu();
    const d = lab.device(model);
    configure(d, 'license smart transport smart', 'license smart url default');
    d.exec(`license smart trust idtoken ${TOKEN} local`);
    await lab.clock.advance(HOUR);
    expect(d.slp()!.trust).toBeDefined();
    expect(acked(lab, d)).toBe(1);
    expect(d.exec('show license status')).toContain('Transport:\n  Type: Smart\n');
  });

  it('reports through the lab CSLU it finds at cslu-local', async () => {
    const lab = await labWithCslu();
    const d = lab.device(model);
    await lab.clock.advance(HOUR);
    expect(acked(lab, d)).toBe(1);
    expect(lab.cslu!.service.status().reports.DELIVERED).toBeGreaterThan(0);
    expect(d.exec('show license status')).toContain('Transport:\n  Type: cslu\n  Cslu address: <empty>\n');
  });

  it('reports through the site’s SSM On-Prem, which relays it to CSSM', async () => {
    const lab = await labWithCslu();
    const d = lab.device(model);
    configure(d, 'license smart transport cslu', 'license smart url cslu https://onprem.lab:8443/cslu/v1/pi/DEFAULT-1');
    await lab.clock.advance(HOUR);
    expect(acked(lab, d)).toBe(1);
    expect(lab.onprem!.app.relay('DEFAULT')!.status().reports.DELIVERED).toBeGreaterThan(0);
    expect(lab.cslu!.service.status().instances).toBe(0);
    expect(await lab.cloud.instance(`PID:${d.udi.pid},SN:${d.udi.sn}`)).toBeDefined();
  });

  it('reports by file with the transport off', async () => {
    const lab = await labWithCslu();
    const d = lab.device(model);
    configure(d, 'license smart transport off');
    await lab.clock.advance(HOUR);
    expect(d.exec('license smart save usage all file flash:usage.xml')).not.toMatch(/^%/m);
    const usage = d.readFile('flash:usage.xml');
    expect(usage.ok).toBe(true);
    expect(d.putFile('flash:ack.xml', await lab.cloud.slp.usageFile(VA, usage.ok ? usage.output : '')).ok).toBe(true);
    expect(d.exec('license smart import flash:ack.xml')).not.toMatch(/^%/m);
    expect(acked(lab, d)).toBe(1);
    expect(d.exec('show license status')).toContain('Transport:\n  Type: Transport Off\n');
  });
});
