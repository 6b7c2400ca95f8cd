/**
 * The real peer: Debian's snmptrapd, with the lab's MIB files, reads what the lab's sender puts on the
 * wire as v2c traps, v2c informs and SNMPv3 authPriv traps, and names the notification and its varbinds
 * symbolically: the encoding, the OIDs and the MIB files agree. CI installs snmptrapd (.ci/run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smartLicNotification, SnmpTrapSender, type SnmpUser, type TrapTarget } from '#devices';

const SNMPTRAPD = '/usr/sbin/snmptrapd';
const MIBS = new URL('../devices/snmp/mibs/', import.meta.url).pathname;
const mon: SnmpUser = {
  name: 'mon',
  group: 'lab',
  auth: { protocol: 'sha', key: 'authpass1' },
  priv: { protocol: 'aes', key: 'privpass1' },
};
const notification = smartLicNotification('ciscoSlaSmartAgentNotifyRegisterSuccess', {
  udi: 'PID:C9300-24P,SN:FOC2301X0AB',
});

let trapd: ChildProcess | undefined;
let output = '';
let port = 0;
const sender = new SnmpTrapSender({ engineName: 'snmptrapd-peer', informTimeoutMs: 1_000, informRetries: 2 });

async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  for (let waited = 0; waited < ms && !check(); waited += 20) await new Promise((r) => setTimeout(r, 20));
  expect(check(), output).toBe(true);
}

describe.skipIf(!existsSync(SNMPTRAPD))('snmptrapd reads the lab’s notifications', () => {
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snmptrapd-'));
    const conf = join(dir, 'snmptrapd.conf');
    writeFileSync(
      conf,
      [
        'disableAuthorization yes',
        `createUser -e 0x${sender.engineId} mon SHA authpass1 AES privpass1`,
        'authUser log mon priv',
        '',
      ].join('\n'),
    );
    port = await freePort();
    trapd = spawn(
      SNMPTRAPD,
      [
        '-f',
        '-Lo',
        '-n',
        '-C',
        '-c',
        conf,
        '-M',
        `+${MIBS}`,
        '-m',
        'ALL',
        '--persistentDir=' + dir,
        `udp:127.0.0.1:${port}`,
      ],
      { env: { ...process.env, SNMPCONFPATH: dir, MIBDIRS: `+${MIBS}`, HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    trapd.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    trapd.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await until(() => /NET-SNMP version/.test(output));
  });
  afterAll(async () => {
    await sender.close();
    trapd?.kill();
  });

  const v2c = (kind: 'traps' | 'informs'): TrapTarget => ({
    host: { address: '127.0.0.1', port, kind, version: '2c', securityName: 'public' },
  });

  it('a v2c trap: the notification by name, the UDI varbind, the uptime and the device address', async () => {
    sender.send(v2c('traps'), 4_242, notification, '10.0.0.7');
    await until(() => /ciscoSlaSmartAgentNotifyRegisterSuccess/.test(output));
    expect(output).toContain('CISCO-SMART-LIC-MIB::ciscoSlaSmartAgentNotifyRegisterSuccess');
    expect(output).toContain('CISCO-SMART-LIC-MIB::ciscoSlaSUDIInfo.0 = STRING: PID:C9300-24P,SN:FOC2301X0AB');
    expect(output).toContain('SNMPv2-MIB::sysUpTime.0 = Timeticks: (4242) 0:00:42.42');
    // SNMP-COMMUNITY-MIB (snmpTrapAddress) is not among the lab's MIB files: snmptrapd prints it numerically.
    expect(output).toContain('SNMPv2-SMI::snmpModules.18.1.3.0 = IpAddress: 10.0.0.7');
  });

  it('a v2c inform, acknowledged by snmptrapd', async () => {
    const before = sender.counts().informsAcked;
    sender.send(v2c('informs'), 100, notification, '10.0.0.8');
    await until(() => sender.counts().informsAcked === before + 1);
    expect(output).toMatch(/10\.0\.0\.8/);
  });

  it('an SNMPv3 authPriv trap (SHA, AES), decrypted with the sender’s engine ID', async () => {
    const target: TrapTarget = {
      host: { address: '127.0.0.1', port, kind: 'traps', version: '3', securityName: 'mon', level: 'priv' },
      user: mon,
    };
    sender.send(target, 200, notification, '10.0.0.9');
    await until(() => /IpAddress: 10\.0\.0\.9/.test(output));
    const block = output.slice(output.lastIndexOf('10.0.0.9') - 600);
    expect(block).toContain('ciscoSlaSmartAgentNotifyRegisterSuccess');
  });
});
