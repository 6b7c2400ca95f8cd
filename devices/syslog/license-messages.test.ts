import { describe, expect, it } from 'vitest';
import { licenseMgmtNotifications, type LicenseMgmtTrapContext } from '../snmp/license-mgmt-mib.ts';
import { callHomeMessages } from './call-home-messages.ts';
import { imageLicenseMessages, licenseMessages } from './license-messages.ts';
import { messageTag, type MessageDefinition, type MessageEnv } from './message-definition.ts';

const ENV: MessageEnv = {
  udi: 'PID:CISCO2951/K9,SN:FHH1216P07R',
  hostname: 'Router',
  timezone: { name: 'UTC', offsetMinutes: 0 },
};
const FEATURE = {
  feature: 'securityk9',
  version: '1.0',
  udi: 'CISCO2951:FHH1216P07R',
  storeIndex: 2,
  storeName: 'Primary License Storage',
};
const LICENSE_SAMPLES: Record<keyof typeof licenseMessages, object> = {
  INSTALL: FEATURE,
  EULA_ACCEPTED: FEATURE,
  EULA_ACCEPT_ALL: {},
  REMOVE: FEATURE,
  REVOKED: FEATURE,
  UPDATE: FEATURE,
  RECOVERED: FEATURE,
  EXPIRED: { ...FEATURE, detail: '' },
  EXPIRING: { ...FEATURE, remaining: '7 days' },
  USAGE_COUNT_ABOUT_TO_EXCEED: { ...FEATURE, inUse: 20, licensed: 25, counted: 'IP phones' },
  USAGE_COUNT_EXCEEDED: { ...FEATURE, licensed: 25, counted: 'IP phones' },
  ENFORCEMENT: FEATURE,
  REQUEST_FAILED: FEATURE,
  TRANSITION: { ...FEATURE, to: 'rightToUse' },
  VALIDITY_ENDING: { ...FEATURE, on: 'Jan 31 2025' },
  VALIDITY_EXT_ENDING: { ...FEATURE, on: 'Jan 31 2025' },
  VALIDITY_EXPIRED: { ...FEATURE, on: 'Jan 31 2025' },
};
const TRAP: LicenseMgmtTrapContext = {
  entPhysicalIndex: 1,
  feature: {
    index: 1,
    name: 'securityk9',
    version: '1.0',
    validityPeriodRemaining: 0,
    endDate: 0,
    whatIsCounted: 'IP phones',
  },
  license: {
    storeUsed: 1,
    index: 2,
    featureName: 'securityk9',
    featureVersion: '1.0',
    type: 'permanent',
    maxUsageCount: 25,
    usageCountRemaining: 5,
  },
};
/** A catalogue entry seen through the generic type, as DeviceLog.log sees it. */
const generic = (d: object): MessageDefinition<object, LicenseMgmtTrapContext> =>
  d as MessageDefinition<object, LicenseMgmtTrapContext>;
const text = (d: object, p: object): string => generic(d).text(p, ENV);

describe('%LICENSE catalogue (A.6)', () => {
  it('every entry renders without undefined, with a source and a MIB-543 notification that builds', () => {
    for (const [m, d] of Object.entries(licenseMessages)) {
      expect(d).toMatchObject({ facility: 'LICENSE', mnemonic: m });
      expect(text(d, LICENSE_SAMPLES[m as keyof typeof licenseMessages]), m).not.toMatch(/undefined|NaN/);
      expect(d.source, m).toMatch(/^(A\.6 (confirmed|recalled)|lab wording)/);
      const link = generic(d).notification;
      if (link) {
        expect(Object.keys(licenseMgmtNotifications)).toContain(link.name);
        expect(link.build(TRAP, {}).name).toBe(link.name);
      }
    }
  });

  it('keeps the confirmed texts and severities', () => {
    expect(`${messageTag(licenseMessages.INSTALL)}: ${text(licenseMessages.INSTALL, FEATURE)}`).toBe(
      '%LICENSE-6-INSTALL: Feature securityk9 1.0 was installed in this device. UDI=CISCO2951:FHH1216P07R; StoreIndex=2:Primary License Storage',
    );
    expect(
      text(licenseMessages.EULA_ACCEPTED, {
        ...FEATURE,
        feature: 'prem_eval',
        udi: 'CSR1000V:9L7UG7XECKE',
        storeIndex: 0,
        storeName: 'Built-In License Storage',
      }),
    ).toBe(
      'EULA for feature prem_eval 1.0 has been accepted. UDI=CSR1000V:9L7UG7XECKE; StoreIndex=0:Built-In License Storage',
    );
    expect(`${messageTag(licenseMessages.EULA_ACCEPT_ALL)}: ${text(licenseMessages.EULA_ACCEPT_ALL, {})}`).toBe(
      '%LICENSE-6-EULA_ACCEPT_ALL: The Right to Use End User License Agreement is accepted',
    );
    // Recalled templates keep the recalled severity 1 (A.6 warns against the synthetic 3/4/5 lists).
    for (const m of ['EXPIRED', 'EXPIRING', 'ENFORCEMENT', 'REQUEST_FAILED', 'TRANSITION'] as const)
      expect(licenseMessages[m].severity).toBe(1);
  });

  it('prints the boot-level message', () => {
    const d = imageLicenseMessages.LICENSE_LEVEL;
    expect(`${messageTag(d)}: ${text(d, { module: 'c2951', nextReboot: 'datak9', license: 'datak9' })}`).toBe(
      '%IOS_LICENSE_IMAGE_APPLICATION-6-LICENSE_LEVEL: Module name = c2951 Next reboot level = datak9 and License = datak9',
    );
  });
});

describe('%CALL_HOME catalogue', () => {
  it('prints CALL_HOME_ENABLED as captured', () => {
    const d = callHomeMessages.CALL_HOME_ENABLED;
    expect(`${messageTag(d)}: ${d.text()}`).toBe(
      '%CALL_HOME-6-CALL_HOME_ENABLED: Call-home is enabled by Smart Agent for Licensing.',
    );
  });

  it('ends SL_MESSAGE_FAILED with the captured error suffixes', () => {
    const d = callHomeMessages.SL_MESSAGE_FAILED;
    const url = 'https://tools.cisco.com/its/service/oddce/services/DDCEService';
    expect(d.text({ message: 'REGISTER', url, error: 205 })).toMatch(/\(ERR 205 : Request Aborted\)$/);
    expect(d.text({ message: 'REGISTER', url, error: 207 })).toMatch(/\(ERR 207 : Connection time out\)$/);
  });
});
