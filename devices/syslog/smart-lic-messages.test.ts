import { describe, expect, it } from 'vitest';
import { smartLicNotifications } from '../snmp/smart-lic-mib.ts';
import type { SmartLicTrapContext } from '../snmp/smart-lic-mib.ts';
import type { MessageDefinition, MessageEnv } from './message-definition.ts';
import { messageTag } from './message-definition.ts';
import { smartLicMessages, type SmartLicMnemonic, type SmartLicParams } from './smart-lic-messages.ts';
import { HOUR, DAY } from '#protocol';

const ENV: MessageEnv = {
  udi: 'PID:C9300-24P,SN:FOC2135X0AB',
  hostname: 'Switch',
  timezone: { name: 'UTC', offsetMinutes: 0 },
};

/** One sample per mnemonic; the mapped type makes a missing entry a type error. */
const SAMPLES: { [M in SmartLicMnemonic]: SmartLicParams<M> } = {
  AGENT_READY: {},
  AGENT_ENABLED: {},
  DISABLED: {},
  HA_ROLE_CHANGED: { role: 'Active' },
  SYSTEM_CLOCK_CHANGED: {},
  PLATFORM_ERROR: { detail: 'The platform provided UDI list has invalid values' },
  AGENT_REG_SUCCESS: {},
  AGENT_REG_FAILED: { reason: 'Fail to send out Call Home HTTP message.' },
  AGENT_ALREADY_REGISTER: {},
  AGENT_DEREG_SUCCESS: {},
  AGENT_DEREG_FAILED: { reason: 'Communications failure' },
  AGENT_ALREADY_DEREGISTER: {},
  ID_CERT_RENEW_SUCCESS: {},
  ID_CERT_RENEW_FAILED: { reason: 'Communications failure' },
  ID_CERT_RENEW_NOT_STARTED: { reason: 'the system clock is outside the certificate validity' },
  ID_CERT_EXPIRED_WARNING: { remaining: 30 * DAY },
  ID_CERT_EXPIRED: {},
  REG_EXPIRED_CLOCK_CHANGE: { minutes: 60 },
  CERTIFICATE_VALIDATION: { reason: 'unable to get local issuer certificate' },
  ROOT_CERT_MISMATCH_PROD: {},
  AUTH_RENEW_SUCCESS: {},
  AUTH_RENEW_FAILED: { reason: 'Communication message send error' },
  IN_COMPLIANCE: {},
  OUT_OF_COMPLIANCE: {},
  IN_OVERAGE: {},
  AUTHORIZATION_EXPIRED: {},
  INVALID_TAG: { tag: 'regid.2017-03.com.cisco.bogus,1.0_x' },
  NOT_AUTHORIZED: { tag: 'hseck9', reason: 'License not present in SLR auth code' },
  RESERVED_INSTALLED: {},
  EVAL_START: {},
  EVAL_WILL_EXPIRE_WARNING: { remaining: 7 * DAY },
  EVAL_EXPIRED: {},
  EVAL_EXPIRED_WARNING: { expiredAt: Date.UTC(2024, 2, 13, 8, 9, 24) },
  EXPORT_CONTROLLED: {},
  COMM_FAILED: { destination: 'CSSM', reason: 'Received empty response from server' },
  COMM_RESTORED: { destination: 'CSSM' },
  COMM_INIT_FAILED: { destination: 'CSSM', reason: 'Communications init failure' },
  REPORTING_REQUIRED: { days: 89 },
  RUM_ACK_RECEIVED: {},
  RUM_ACK_NOT_RECEIVED: { days: 3 },
  POLICY_INSTALL_SUCCESS: {},
  POLICY_INSTALL_FAILED: { reason: 'signature is not valid' },
  TRUST_CODE_INSTALL_SUCCESS: {},
  TRUST_CODE_INSTALL_FAILED: { reason: 'Trust code is already installed' },
  AUTHORIZATION_INSTALL_SUCCESS: {},
  AUTHORIZATION_INSTALL_FAILED: { reason: 'signature is not valid' },
  AUTHORIZATION_REMOVED: {},
};

/** Severities as smart-licensing.md §5.3 gives them: IOS XE where seen, else ASA. */
const REFERENCE_SEVERITY: Record<SmartLicMnemonic, number> = {
  AGENT_READY: 6,
  AGENT_ENABLED: 6,
  DISABLED: 6,
  HA_ROLE_CHANGED: 6,
  SYSTEM_CLOCK_CHANGED: 5,
  PLATFORM_ERROR: 2,
  AGENT_REG_SUCCESS: 6,
  AGENT_REG_FAILED: 3,
  AGENT_ALREADY_REGISTER: 6,
  AGENT_DEREG_SUCCESS: 6,
  AGENT_DEREG_FAILED: 3,
  AGENT_ALREADY_DEREGISTER: 6,
  ID_CERT_RENEW_SUCCESS: 6,
  ID_CERT_RENEW_FAILED: 3,
  ID_CERT_RENEW_NOT_STARTED: 3,
  ID_CERT_EXPIRED_WARNING: 3,
  ID_CERT_EXPIRED: 3,
  REG_EXPIRED_CLOCK_CHANGE: 3,
  CERTIFICATE_VALIDATION: 3,
  ROOT_CERT_MISMATCH_PROD: 3,
  AUTH_RENEW_SUCCESS: 6,
  AUTH_RENEW_FAILED: 3,
  IN_COMPLIANCE: 5,
  OUT_OF_COMPLIANCE: 3,
  IN_OVERAGE: 4,
  AUTHORIZATION_EXPIRED: 5,
  INVALID_TAG: 3,
  NOT_AUTHORIZED: 3,
  RESERVED_INSTALLED: 6,
  EVAL_START: 5,
  EVAL_WILL_EXPIRE_WARNING: 3,
  EVAL_EXPIRED: 3,
  EVAL_EXPIRED_WARNING: 3,
  EXPORT_CONTROLLED: 6,
  COMM_FAILED: 3,
  COMM_RESTORED: 5,
  COMM_INIT_FAILED: 5,
  REPORTING_REQUIRED: 6,
  RUM_ACK_RECEIVED: 6,
  RUM_ACK_NOT_RECEIVED: 4,
  POLICY_INSTALL_SUCCESS: 6,
  POLICY_INSTALL_FAILED: 3,
  TRUST_CODE_INSTALL_SUCCESS: 6,
  TRUST_CODE_INSTALL_FAILED: 3,
  AUTHORIZATION_INSTALL_SUCCESS: 6,
  AUTHORIZATION_INSTALL_FAILED: 3,
  AUTHORIZATION_REMOVED: 6,
};

/** An entry seen through the generic type, as DeviceLog sees it. */
const generic = (m: SmartLicMnemonic): MessageDefinition<object, SmartLicTrapContext> =>
  smartLicMessages[m] as MessageDefinition<object, SmartLicTrapContext>;
const render = <M extends SmartLicMnemonic>(m: M, p: SmartLicParams<M> = SAMPLES[m]): string =>
  generic(m).text(p as object, ENV);
const build = (m: SmartLicMnemonic, context: SmartLicTrapContext, p: object = SAMPLES[m] as object) =>
  generic(m).notification!.build(context, p);

describe('%SMART_LIC catalogue', () => {
  const mnemonics = Object.keys(smartLicMessages) as SmartLicMnemonic[];

  it('holds every mnemonic the brief asks for, keyed by its mnemonic, facility SMART_LIC', () => {
    for (const m of mnemonics) expect(smartLicMessages[m]).toMatchObject({ facility: 'SMART_LIC', mnemonic: m });
    expect(mnemonics.sort()).toEqual(Object.keys(REFERENCE_SEVERITY).sort());
  });

  it('every entry renders without undefined, and says where it comes from', () => {
    for (const m of mnemonics) {
      const text = render(m);
      expect(text, m).not.toMatch(/undefined|NaN|\[object/);
      expect(text.length, m).toBeGreaterThan(10);
      expect(smartLicMessages[m].source, m).toMatch(/§5\.3/);
    }
  });

  it('severities follow the reference', () => {
    for (const m of mnemonics) expect(smartLicMessages[m].severity, m).toBe(REFERENCE_SEVERITY[m]);
  });

  it('every named notification exists in CISCO-SMART-LIC-MIB and builds from the UDI plus the message', () => {
    for (const m of mnemonics) {
      const link = generic(m).notification;
      if (!link) continue;
      expect(Object.keys(smartLicNotifications), m).toContain(link.name);
      if (link.name === 'ciscoSlaSmartAgentNotifyEntitlementEnforceMode') continue; // needs the entitlement row
      expect(build(m, { udi: ENV.udi }).name).toBe(link.name);
    }
  });

  it('keeps the captured texts exactly', () => {
    expect(render('AGENT_REG_SUCCESS')).toBe(
      'Smart Agent for Licensing Registration with the Cisco Smart Software Manager or satellitefor udi PID:C9300-24P,SN:FOC2135X0AB',
    );
    expect(render('AGENT_REG_FAILED')).toBe(
      'Smart Agent for Licensing Registration with the Cisco Smart Software Manager (CSSM) failed: Fail to send out Call Home HTTP message.',
    );
    expect(render('AUTH_RENEW_SUCCESS')).toBe(
      'Authorization renewal with the Cisco Smart Software Manager or satellite. State=authorized for udi PID:C9300-24P,SN:FOC2135X0AB',
    );
    expect(render('AUTH_RENEW_FAILED')).toBe(
      'Authorization renewal with the Cisco Smart Software Manager (CSSM) : Communication message send error for udi PID:C9300-24P,SN:FOC2135X0AB',
    );
    expect(render('EVAL_START')).toBe('Entering evaluation period');
    expect(render('HA_ROLE_CHANGED', { role: 'Standby' })).toBe('Smart Agent HA role changed to Standby.');
    expect(render('NOT_AUTHORIZED')).toBe(
      'The entitlement hseck9 in Not Authorized to be used. Reason: License not present in SLR auth code',
    );
    expect(`${messageTag(smartLicMessages.AGENT_READY)}: ${render('AGENT_READY')}`).toBe(
      '%SMART_LIC-6-AGENT_READY: Smart Agent for Licensing is initialized',
    );
  });

  it('keeps the SLP texts: captured REPORTING_REQUIRED, the recalled ones as recalled', () => {
    expect(`${messageTag(smartLicMessages.REPORTING_REQUIRED)}: ${render('REPORTING_REQUIRED')}`).toBe(
      '%SMART_LIC-6-REPORTING_REQUIRED: A Usage report acknowledgement will be required in 89 days.',
    );
    expect(render('POLICY_INSTALL_SUCCESS')).toBe('A new licensing policy was successfully installed.');
    expect(render('TRUST_CODE_INSTALL_FAILED')).toBe(
      'The install of a new licensing trust code has failed on PID:C9300-24P,SN:FOC2135X0AB: Trust code is already installed.',
    );
    expect(build('REPORTING_REQUIRED', { udi: ENV.udi }).varbinds.map((v) => v.value)).toEqual([ENV.udi, 89]);
  });

  it('names the destination of communication messages', () => {
    expect(render('COMM_FAILED')).toBe(
      'Communications failure with the Cisco Smart Software Manager (CSSM) : Received empty response from server',
    );
    expect(
      render('COMM_FAILED', { destination: 'CSLU', reason: 'Unable to resolve server hostname/domain name' }),
    ).toBe(
      'Communications failure with the Cisco Smart License Utility (CSLU) : Unable to resolve server hostname/domain name',
    );
    expect(render('COMM_RESTORED', { destination: 'CSLU' })).toBe(
      'Communications with Cisco Smart License Utility (CSLU) restored',
    );
    expect(render('COMM_RESTORED')).toBe('Communications with Cisco Smart Software Manager (CSSM) restored');
  });

  it('prints warning times coarse and expiry dates like show commands', () => {
    expect(render('EVAL_WILL_EXPIRE_WARNING')).toBe('Evaluation period will expire in 7 days.');
    expect(render('EVAL_WILL_EXPIRE_WARNING', { remaining: HOUR * 5 })).toBe(
      'Evaluation period will expire in 5 hours.',
    );
    expect(render('ID_CERT_EXPIRED_WARNING')).toBe("This device's registration will expire in 30 days.");
    expect(render('EVAL_EXPIRED_WARNING')).toBe('Evaluation period expired on Mar 13 08:09:24 2024 UTC.');
  });

  it('has both export-controlled forms', () => {
    expect(render('EXPORT_CONTROLLED')).toBe(
      'Usage of export controlled features is Not Allowed for udi PID:C9300-24P,SN:FOC2135X0AB',
    );
    expect(render('EXPORT_CONTROLLED', { legacy: true })).toBe('Usage of export controlled features is not allowed');
  });

  it('fills trap context the message implies, caller context winning', () => {
    const oc = build('OUT_OF_COMPLIANCE', { udi: ENV.udi });
    expect(oc.varbinds[1]).toMatchObject({ oid: '1.3.6.1.4.1.9.9.831.0.5.1.1.5.0', value: 4 });
    const dereg = build('AGENT_DEREG_FAILED', { udi: ENV.udi }, { reason: 'timeout' });
    expect(dereg.varbinds.map((v) => v.value)).toEqual([ENV.udi, 3, 'timeout']);
    const own = build('AGENT_DEREG_FAILED', { udi: ENV.udi, failureReason: 'alreadyRegistered' }, { reason: 'x' });
    expect(own.varbinds[1]!.value).toBe(1);
  });
});
