/**
 * Traditional devices for tests: on a stepped lab clock, trusting one test portal key (test/support/
 * license-files.ts), with no cloud (traditional licensing never calls it), storage in memory unless given.
 */
import { LabClock } from '#lab';
import { licenseFile, licenseLine, testLicenseSigner } from '#test-support/license-files.ts';
import type { LicenseFields } from '#protocol';
import { createDeviceEnvironment } from '../device-environment.ts';
import { VirtualDevice, type DeviceOptions } from '../device.ts';
import type { SmartCloud } from './cloud-exchange.ts';

export const START = Date.parse('2026-03-13T08:00:00Z');
export const signer = testLicenseSigner();
/** A signer the devices do not trust (a file re-signed with another key). */
export const stranger = testLicenseSigner();

const noCloud: SmartCloud = {
  send: () => Promise.reject(new Error('[test] traditional devices never call the cloud')),
} as unknown as SmartCloud;

/** Devices trusting `licenseKeys` (default the test portal's key). */
export function traditionalLab(options: { start?: number; licenseKeys?: readonly string[] } = {}) {
  const clock = LabClock.create({ mode: 'stepped', start: options.start ?? START });
  const licenseKeys = options.licenseKeys ?? [signer.publicKeyPem];
  const environment = createDeviceEnvironment({ clock, cloud: { client: noCloud }, licenseKeys });
  const device = (options: Partial<DeviceOptions> = {}): VirtualDevice =>
    new VirtualDevice({ pid: 'CISCO2911/K9', sn: 'FTX1524ABCD', reloadMs: 60_000, ...options, environment });
  return { clock, environment, device };
}

/** A license file for the device with one line per feature (permanent unless `fields` say otherwise). */
export function fileFor(d: VirtualDevice, features: readonly string[], fields: Partial<LicenseFields> = {}): string {
  return licenseFile(features.map((f) => licenseLine(signer, d.udi, f, fields)));
}

/** Puts the file on flash and installs it: the shell's output. */
export function install(d: VirtualDevice, text: string, name = 'lic.lic'): string {
  const put = d.putFile(`flash:${name}`, text);
  if (!put.ok) throw new Error(put.error);
  return d.exec(`license install flash:${name}`);
}

export const mnemonics = (d: VirtualDevice): string[] => d.events().map((e) => e.syslog.mnemonic);
export const linesOf = (d: VirtualDevice, mnemonic: string): string[] =>
  d
    .events()
    .filter((e) => e.syslog.mnemonic === mnemonic)
    .map((e) => e.line);

/** The chart's state value. */
export const stateOf = (d: VirtualDevice): unknown => d.agentState()?.value;

/** Configure, save, reload, and wait for the boot. */
export async function reloadWith(clock: LabClock, d: VirtualDevice, config: string[] = []): Promise<void> {
  if (config.length > 0) d.exec('configure terminal');
  for (const line of config) d.exec(line);
  if (config.length > 0) d.exec('end');
  d.exec('write memory');
  d.exec('reload');
  await clock.advance(60_000);
}
