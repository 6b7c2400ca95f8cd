/**
 * Debian's net-snmp tools against FleetSnmpAgent serving a real lab device: snmpwalk and snmpbulkwalk load
 * the repository's MIB files and print every object by name, the walk ends cleanly, and a walk after
 * `license smart deregister` shows the new state. CI installs the `snmp` package; without it this skips.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceMib, type VirtualDevice } from '#devices';
import { FleetSnmpAgent, splitCommunity, type LocalLab } from '#lab';
import { MINUTE } from '#protocol';
import { EAST_TOKEN, openDeviceLab } from './support/device-lab.ts';

const TOOLS = ['snmpwalk', 'snmpbulkwalk'].map((t) => `/usr/bin/${t}`);
const HAVE_TOOLS = TOOLS.every((t) => existsSync(t));
const MIBS = new URL('../devices/snmp/mibs', import.meta.url).pathname;
const run = promisify(execFile);

describe.skipIf(!HAVE_TOOLS)(
  `snmpwalk / snmpbulkwalk against FleetSnmpAgent${HAVE_TOOLS ? '' : ' (skipped: /usr/bin/snmpwalk missing, apt-get install snmp)'}`,
  () => {
    let lab: LocalLab;
    let agent: FleetSnmpAgent;
    let device: VirtualDevice;
    // No system or user snmp.conf, no persistent files outside the test: only the repository's MIBs.
    const home = mkdtempSync(join(tmpdir(), 'snmpwalk-peer-'));
    // Made up front: net-snmp announces creating it on stderr.
    mkdirSync(join(home, 'cert_indexes'));
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      SNMPCONFPATH: home,
      MIBDIRS: home,
      SNMP_PERSISTENT_DIR: home,
    };

    async function walk(tool: 'snmpwalk' | 'snmpbulkwalk', subtree: string, community = `public@${device.hostname}`) {
      const args = ['-v2c', '-c', community, '-M', `+${MIBS}`, '-m', 'ALL', '-t', '2', '-r', '0'];
      const { stdout, stderr } = await run(tool, [...args, `127.0.0.1:${agent.port}`, subtree], { env });
      return { stdout, stderr };
    }

    beforeAll(async () => {
      lab = await openDeviceLab();
      device = lab.device({ hostname: 'sw-snmp-01' });
      device.exec(`license smart register idtoken ${EAST_TOKEN}`);
      await lab.clock.advance(MINUTE);
      agent = await FleetSnmpAgent.listen({
        resolve: (c) => {
          const { community, context } = splitCommunity(c);
          const d = community === 'public' ? lab.devices({ hostname: context }) : [];
          return d[0] && deviceMib(d[0].view());
        },
      });
    });
    afterAll(async () => {
      await agent?.close();
      await lab?.close();
      rmSync(home, { recursive: true, force: true });
    });

    it('snmpwalk prints the system group, the chassis and the Smart Licensing state by name', async () => {
      const system = await walk('snmpwalk', 'SNMPv2-MIB::system');
      expect(system.stderr).toBe('');
      expect(system.stdout).toContain('SNMPv2-MIB::sysName.0 = STRING: sw-snmp-01\n');
      expect(system.stdout).toMatch(
        /^SNMPv2-MIB::sysDescr\.0 = STRING: Cisco IOS Software \[Gibraltar\], Catalyst L3 Switch Software \(CAT9K_IOSXE\), Version 16\.12\.4, RELEASE SOFTWARE \(fc1\)$/m,
      );
      expect(system.stdout).toMatch(/^SNMPv2-MIB::sysUpTime\.0 = Timeticks: \(6000\) 0:01:00\.00$/m);
      expect(system.stdout).toContain('SNMPv2-MIB::sysObjectID.0 = OID: CISCO-SMI::ciscoProducts\n');

      const entity = await walk('snmpwalk', 'ENTITY-MIB::entPhysicalTable');
      expect(entity.stdout).toContain(`ENTITY-MIB::entPhysicalSerialNum.1 = STRING: ${device.udi.sn}\n`);
      expect(entity.stdout).toContain('ENTITY-MIB::entPhysicalClass.1 = INTEGER: chassis(3)\n');
      expect(entity.stdout).toContain('ENTITY-MIB::entPhysicalModelName.1 = STRING: C9300-24P\n');

      const smart = await walk('snmpwalk', 'CISCO-SMART-LIC-MIB::ciscoSmartLicMIB');
      expect(smart.stderr).toBe('');
      expect(smart.stdout).toContain(
        'CISCO-SMART-LIC-MIB::ciscoSlaRegistrationStatus.0 = INTEGER: registrationCompleted(5)\n',
      );
      expect(smart.stdout).toContain(
        `CISCO-SMART-LIC-MIB::ciscoSlaSUDIInfo.0 = STRING: PID:C9300-24P,SN:${device.udi.sn}\n`,
      );
      expect(smart.stdout).toContain('CISCO-SMART-LIC-MIB::ciscoSlaVirtualAccount.0 = STRING: east\n');
      expect(smart.stdout).toMatch(/^CISCO-SMART-LIC-MIB::ciscoSlaEntitlementTag\.1 = STRING: "?regid\./m);
      // The Smart Licensing MIB is the last subtree the device has: snmpwalk reports the agent's
      // endOfMibView after its last object, as it does against any agent whose MIB ends there.
      expect(smart.stdout).toMatch(
        /\nCISCO-SMART-LIC-MIB::ciscoSlaEntitlementNotifEnable\.0 = No more variables left in this MIB View \(It is past the end of the MIB tree\)\n$/,
      );
      for (const out of [system, entity, smart]) {
        const lines = out.stdout.trimEnd().split('\n');
        if (out === smart) lines.pop();
        expect(lines.join('\n')).not.toMatch(/Error|No more variables|No Such|SNMPv2-SMI::enterprises/);
        // Every line is one `MODULE::name.instance = TYPE: value` (no numeric OIDs left unresolved).
        for (const line of lines)
          expect(line).toMatch(/^(SNMPv2-MIB|ENTITY-MIB|CISCO-SMART-LIC-MIB)::[a-zA-Z]+\.[\d.]+ = [A-Za-z0-9]+: /);
      }
    });

    it('snmpbulkwalk gives the same walk as snmpwalk', async () => {
      const bulk = await walk('snmpbulkwalk', 'CISCO-LICENSE-MGMT-MIB::ciscoLicenseMgmtMIB');
      const plain = await walk('snmpwalk', 'CISCO-LICENSE-MGMT-MIB::ciscoLicenseMgmtMIB');
      expect(bulk.stderr).toBe('');
      expect(bulk.stdout).toBe(plain.stdout);
      expect(bulk.stdout).toContain(
        'CISCO-LICENSE-MGMT-MIB::clmgmtLicenseFeatureName.1.1.1 = STRING: network-advantage\n',
      );
      expect(bulk.stdout).toContain('CISCO-LICENSE-MGMT-MIB::clmgmtLicenseStatus.1.1.1 = INTEGER: inUse(3)\n');
      const all = await walk('snmpbulkwalk', '.1');
      expect(all.stdout.split('\n').filter((l) => l.startsWith('CISCO-SMART-LIC-MIB::')).length).toBeGreaterThan(20);
    });

    it('a walk after `license smart deregister` shows the device unregistered', async () => {
      expect(device.exec('license smart deregister')).toBe('');
      await lab.clock.advance(MINUTE);
      const smart = await walk('snmpbulkwalk', 'CISCO-SMART-LIC-MIB::ciscoSlaRegistrationStatusInfo');
      expect(smart.stdout).toContain('CISCO-SMART-LIC-MIB::ciscoSlaRegistrationStatus.0 = INTEGER: notRegistered(1)\n');
      expect(smart.stdout).not.toContain('ciscoSlaVirtualAccount');
    });

    it('an unknown device answers nothing: snmpwalk times out', async () => {
      const before = agent.counts.unknownCommunity;
      await expect(walk('snmpwalk', 'SNMPv2-MIB::system', 'public@nowhere')).rejects.toMatchObject({
        stderr: expect.stringContaining('Timeout: No Response from 127.0.0.1'),
      });
      expect(agent.counts.unknownCommunity).toBe(before + 1);
    });

    it('SNMPv3 gets discovery and then a Report of an unknown user, so snmpget fails at once', async () => {
      const before = agent.counts.v3Reports;
      for (const security of [
        ['-l', 'noAuthNoPriv', '-u', 'nobody'],
        ['-l', 'authPriv', '-u', 'mon', '-a', 'SHA', '-A', 'authpass1', '-x', 'AES', '-X', 'privpass1'],
      ]) {
        const args = ['-v3', ...security, '-M', `+${MIBS}`, '-m', 'ALL', '-t', '2', '-r', '0'].concat([
          `127.0.0.1:${agent.port}`,
          'SNMPv2-MIB::sysName.0',
        ]);
        await expect(run('snmpget', args, { env })).rejects.toMatchObject({
          stderr: expect.stringContaining('Unknown user name'),
        });
      }
      // Each tool discovers the engine (usmStatsUnknownEngineIDs), then asks (usmStatsUnknownUserNames).
      expect(agent.counts.v3Reports).toBe(before + 4);
    });
  },
);
