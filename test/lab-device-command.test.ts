/**
 * `lab device` end to end, as a user runs it: a piped console session against the in-process cloud,
 * the device coming back registered from its trusted storage after a restart, and usage errors.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLab } from './support/cloud-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'lab-device-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const args = ['device', '--sn', 'FOC2223G0B9', '--storage', join(dir, 'devices'), '--db', join(dir, 'cloud.db')];

describe('lab device', () => {
  it('runs piped console lines, then keeps the registration across a restart', async () => {
    const first = await runLab(args, {
      input: 'license smart register idtoken LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D\nshow license summary\n',
    });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('%SMART_LIC-5-EVAL_START: Entering evaluation period');
    expect(first.stdout).toContain(
      'Switch#license smart register idtoken LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D\nRegistration process is in progress.',
    );
    const second = await runLab(args, { input: 'show license status\n' });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(
      '  Status: REGISTERED\n  Smart Account: Example Corp\n  Virtual Account: DEFAULT\n',
    );
    expect(second.stdout).toMatch(/ {2}Status: AUTHORIZED on /);
    expect(second.stdout).not.toContain('EVAL_START');
  });

  it('refuses an unknown PID with the list of known ones, and --speed with a remote cloud', async () => {
    const bad = await runLab(['device', '--pid', 'WS-C9999', '--storage', join(dir, 'x')], { input: '' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^lab: unknown PID "WS-C9999"; known PIDs: .*C9300-24P.*ISR4331\/K9/);
    const speed = await runLab(['device', '--cloud', 'http://127.0.0.1:1', '--speed', '10'], { input: '' });
    expect(speed.code).toBe(2);
    expect(speed.stderr).toContain('--speed needs the in-process cloud');
  });

  it('boots the release --release names, and refuses one the platform never ran with the valid ones', async () => {
    const storage = ['--storage', join(dir, 'releases'), '--db', join(dir, 'releases.db')];
    const older = await runLab(['device', '--release', '16.12.4', ...storage], { input: 'show version\n' });
    expect(older.code, older.stderr).toBe(0);
    expect(older.stdout).toContain('Cisco IOS XE Software, Version 16.12.04');
    const bad = await runLab(['device', '--release', '99.1', ...storage], { input: '' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^lab: --release: software release "99\.1" is not available for C9300-24P; valid: .*16\.12\.4/,
    );
  });
});
