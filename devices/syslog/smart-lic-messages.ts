/**
 * The %SMART_LIC catalogue (smart-licensing.md §5.3). Severity is the IOS XE one where a real IOS XE/XR
 * log shows it, else the ASA guide's (ASA 444xxx carries the same Smart Agent mnemonics). Texts are the
 * captured ones where they exist; "ASA wording" texts follow the ASA guide; "lab wording" texts are
 * ours, written in the Smart Agent's style where no text was found. Traps: traditional-licensing-snmp-
 * platforms.md B.3.3 notes.
 */
import { formatCoarse, formatShowDate } from '../time/ios-time.ts';
import {
  smartLicNotification,
  type SmartLicNotificationName,
  type SmartLicTrapContext,
} from '../snmp/smart-lic-mib.ts';
import { defineMessages, type NoParams, type NotificationLink, type ParamsOf } from './message-definition.ts';

export const SMART_LIC = 'SMART_LIC';

/** Where the agent talks to (COMM_FAILED / COMM_RESTORED wording, §5.3 Communication). */
export type SmartDestination = 'CSSM' | 'CSLU';
const DESTINATION: Record<SmartDestination, string> = {
  CSSM: 'Cisco Smart Software Manager (CSSM)',
  CSLU: 'Cisco Smart License Utility (CSLU)',
};

/** The CISCO-SMART-LIC-MIB notification of a message; `defaults` fill context the message implies. */
function trap<P>(
  name: SmartLicNotificationName,
  defaults?: (params: P) => Partial<SmartLicTrapContext>,
): NotificationLink<P, SmartLicTrapContext> {
  return {
    name,
    build: (context, params) => smartLicNotification(name, defaults ? { ...defaults(params), ...context } : context),
  };
}

interface Reason {
  reason: string;
}
/** A reason ending the message: one final period, whether or not the reason brought its own. */
const sentence = (reason: string): string => `${reason.replace(/\.+$/, '')}.`;
/** Remaining time in ms, printed coarse (`30 days`, `23 hours`). */
interface Remaining {
  remaining: number;
}

export const smartLicMessages = defineMessages(SMART_LIC, {
  // Agent life cycle / platform
  AGENT_READY: {
    severity: 6,
    text: () => 'Smart Agent for Licensing is initialized',
    notification: trap('ciscoSlaSmartAgentNotifyReady'),
    source: '§5.3, device logs; ASA 6',
  },
  AGENT_ENABLED: {
    severity: 6,
    text: () => 'Smart Agent for Licensing is enabled',
    notification: trap('ciscoSlaSmartAgentNotifyEnabled'),
    source: '§5.3, device logs; ASA 6',
  },
  DISABLED: {
    severity: 6,
    text: () => 'Smart Agent for Licensing is disabled',
    notification: trap('ciscoSlaSmartAgentNotifyDisabled'),
    source: '§5.3, ASA severity; lab wording (mirrors AGENT_ENABLED)',
  },
  HA_ROLE_CHANGED: {
    severity: 6,
    text: (p: { role: 'Active' | 'Standby' }) => `Smart Agent HA role changed to ${p.role}.`,
    source: '§5.3, device log; ASA 6',
  },
  SYSTEM_CLOCK_CHANGED: {
    severity: 5,
    text: () => 'Smart Agent for Licensing System clock has been changed',
    notification: trap('ciscoSlaSmartAgentNotifySystemClockChanged'),
    source: '§5.3, device log; ASA 5',
  },
  PLATFORM_ERROR: {
    severity: 2,
    text: (p: { detail: string }) =>
      `Smart Licensing has encountered an internal software error. Contact TAC: ${p.detail}`,
    source: '§5.3, device log; ASA 2',
  },

  // Registration / identity certificate
  AGENT_REG_SUCCESS: {
    severity: 6,
    // "satellitefor" (no space) is what real devices print.
    text: (_: NoParams, env) =>
      `Smart Agent for Licensing Registration with the Cisco Smart Software Manager or satellitefor udi ${env.udi}`,
    notification: trap('ciscoSlaSmartAgentNotifyRegisterSuccess'),
    source: '§5.3, device log (sic "satellitefor"); ASA 6',
  },
  AGENT_REG_FAILED: {
    severity: 3,
    text: (p: Reason) =>
      `Smart Agent for Licensing Registration with the Cisco Smart Software Manager (CSSM) failed: ${p.reason}`,
    notification: trap('ciscoSlaSmartAgentNotifyRegisterFailed'),
    source: '§5.3, device log; ASA 3',
  },
  AGENT_ALREADY_REGISTER: {
    severity: 6,
    text: () => 'Smart Agent for Licensing is already registered with the Cisco Smart Software Manager (CSSM)',
    source: '§5.3, ASA severity; lab wording (ASA: already registered)',
  },
  AGENT_DEREG_SUCCESS: {
    severity: 6,
    text: (_: NoParams, env) =>
      `Smart Agent for Licensing De-registration with the Cisco Smart Software Manager or satellite for udi ${env.udi}`,
    notification: trap('ciscoSlaSmartAgentNotifyDeRegisterSuccess'),
    source: '§5.3, ASA severity; lab wording (mirrors AGENT_REG_SUCCESS)',
  },
  AGENT_DEREG_FAILED: {
    severity: 3,
    text: (p: Reason) =>
      `Smart Agent for Licensing De-registration with the Cisco Smart Software Manager (CSSM) failed: ${p.reason}`,
    // ciscoSlaFailureReason deRegisterFailure(3): "Specific reason is in ciscoSlaDeRegisterFailureMsg" (MIB).
    notification: trap('ciscoSlaSmartAgentNotifyDeRegisterFailed', (p: Reason) => ({
      failureReason: 'deRegisterFailure',
      failureMessage: p.reason,
    })),
    source: '§5.3, ASA severity; lab wording (mirrors AGENT_REG_FAILED)',
  },
  AGENT_ALREADY_DEREGISTER: {
    severity: 6,
    text: () => 'Smart Agent for Licensing is already de-registered with the Cisco Smart Software Manager (CSSM)',
    source: '§5.3, ASA severity; lab wording (ASA: already de-registered)',
  },
  ID_CERT_RENEW_SUCCESS: {
    severity: 6,
    text: (_: NoParams, env) =>
      `Identity certificate renewal with the Cisco Smart Software Manager (CSSM) succeeded for udi ${env.udi}`,
    notification: trap('ciscoSlaSmartAgentNotifyIdCertRenewSuccess'),
    source: '§5.3, ASA severity; lab wording (ASA: ID certificate renewed)',
  },
  ID_CERT_RENEW_FAILED: {
    severity: 3,
    text: (p: Reason) =>
      `Identity certificate renewal with the Cisco Smart Software Manager (CSSM) failed: ${p.reason}`,
    notification: trap('ciscoSlaSmartAgentNotifyIdCertRenewFail'),
    source: '§5.3, ASA severity; lab wording (ASA: ID certificate renewal failed)',
  },
  ID_CERT_RENEW_NOT_STARTED: {
    severity: 3,
    text: (p: Reason) => `Identity certificate renewal could not be started: ${p.reason}`,
    notification: trap('ciscoSlaSmartAgentNotifyIdCertRenewNotStarted'),
    source: '§5.3, ASA severity; lab wording (ASA: renewal could not start, e.g. clock outside range)',
  },
  ID_CERT_EXPIRED_WARNING: {
    severity: 3,
    text: (p: Remaining) => `This device's registration will expire in ${formatCoarse(p.remaining)}.`,
    notification: trap('ciscoSlaSmartAgentNotifyIdCertExpiryWarning'),
    source: '§5.3, ASA wording and severity',
  },
  ID_CERT_EXPIRED: {
    severity: 3,
    text: () => 'Identity certificate expired. Agent will transition to the unidentified (not registered) state.',
    notification: trap('ciscoSlaSmartAgentNotifyIdCertExpired'),
    source: '§5.3, ASA wording and severity',
  },
  REG_EXPIRED_CLOCK_CHANGE: {
    severity: 3,
    text: (p: { minutes: number }) =>
      `The system clock has been changed outside the validity period of the identity certificate. The agent will transition to the un-registered state in ${p.minutes} minutes.`,
    notification: trap('ciscoSlaSmartAgentNotifyIdCertOutOfRange'),
    source:
      '§5.3, ASA severity; ending "...transition to the un-registered state in 60 minutes." from ASA/YANG, beginning lab wording',
  },
  CERTIFICATE_VALIDATION: {
    severity: 3,
    text: (p: Reason) => `Certificate validation failed: ${p.reason}`,
    source: '§5.3, ASA severity; lab wording (ASA: certificate validation failed)',
  },
  ROOT_CERT_MISMATCH_PROD: {
    severity: 3,
    text: () =>
      'Smart Agent for Licensing is configured for production but the server presented a test root certificate',
    source: '§5.3, ASA severity; lab wording (ASA: production/test root mismatch)',
  },

  // Authorization / compliance / evaluation
  AUTH_RENEW_SUCCESS: {
    severity: 6,
    // Only State=authorized is captured (§5.3).
    text: (_: NoParams, env) =>
      `Authorization renewal with the Cisco Smart Software Manager or satellite. State=authorized for udi ${env.udi}`,
    notification: trap('ciscoSlaSmartAgentNotifyAuthRenewSuccess'),
    source: '§5.3, device log; ASA 6',
  },
  AUTH_RENEW_FAILED: {
    severity: 3,
    text: (p: Reason, env) =>
      `Authorization renewal with the Cisco Smart Software Manager (CSSM) : ${p.reason} for udi ${env.udi}`,
    notification: trap('ciscoSlaSmartAgentNotifyAuthRenewFail'),
    source: '§5.3, device log; ASA 3',
  },
  IN_COMPLIANCE: {
    severity: 5,
    text: () => 'All entitlements are authorized.',
    // Compliance is signalled by the overall enforcement mode (B.3.3 notes).
    notification: trap('ciscoSlaSmartAgentNotifyEnforcementMode', () => ({ overallEnforceMode: 'authorized' })),
    source: '§5.3, ASA wording and severity',
  },
  OUT_OF_COMPLIANCE: {
    severity: 3,
    text: () => 'One or more entitlements are out of compliance.',
    notification: trap('ciscoSlaSmartAgentNotifyEnforcementMode', () => ({ overallEnforceMode: 'outOfCompliance' })),
    source: '§5.3, ASA wording and severity (mnemonic confirmed)',
  },
  IN_OVERAGE: {
    severity: 4,
    text: () => 'One or more entitlements are in overage.',
    notification: trap('ciscoSlaSmartAgentNotifyEnforcementMode', () => ({ overallEnforceMode: 'overage' })),
    source: '§5.3, ASA severity; lab wording (mirrors OUT_OF_COMPLIANCE)',
  },
  AUTHORIZATION_EXPIRED: {
    severity: 5,
    text: () => 'Authorization expired.',
    notification: trap('ciscoSlaSmartAgentNotifyEnforcementMode', () => ({
      overallEnforceMode: 'authorizationExpired',
    })),
    source: '§5.3, ASA wording and severity',
  },
  INVALID_TAG: {
    severity: 3,
    text: (p: { tag: string }) => `The entitlement tag ${p.tag} is invalid.`,
    // Per-entitlement change: the caller gives the entitlement row (enforce mode invalidTag).
    notification: trap('ciscoSlaSmartAgentNotifyEntitlementEnforceMode'),
    source: '§5.3, ASA severity; lab wording (ASA: entitlement tag invalid)',
  },
  NOT_AUTHORIZED: {
    severity: 3,
    // "in Not Authorized" (sic) is the captured text.
    text: (p: { tag: string; reason: string }) =>
      `The entitlement ${p.tag} in Not Authorized to be used. Reason: ${p.reason}`,
    source: '§5.3, device log (sic "in")',
  },
  RESERVED_INSTALLED: {
    severity: 6,
    text: (_: NoParams, env) => `Specific License Reservation Authorization code installed for udi ${env.udi}`,
    source: '§5.3, device log',
  },
  EVAL_START: {
    severity: 5,
    // IOS XE prints no final period (the ASA text has one).
    text: () => 'Entering evaluation period',
    notification: trap('ciscoSlaSmartAgentNotifyEnforcementMode', () => ({ overallEnforceMode: 'evaluationPeriod' })),
    source: '§5.3, device log; ASA 5. Trap inferred (overall mode evaluationPeriod)',
  },
  EVAL_WILL_EXPIRE_WARNING: {
    severity: 3,
    text: (p: Remaining) => `Evaluation period will expire in ${formatCoarse(p.remaining)}.`,
    notification: trap('ciscoSlaSmartAgentNotifyEvalExpiryWarning'),
    source: "§5.3, ASA wording and severity 3 (the brief's IOS XE 4 is unconfirmed)",
  },
  EVAL_EXPIRED: {
    severity: 3,
    text: () => 'Evaluation period expired.',
    notification: trap('ciscoSlaSmartAgentNotifyEvalExpired'),
    source: '§5.3, ASA wording and severity',
  },
  EVAL_EXPIRED_WARNING: {
    severity: 3,
    /** `expiredAt`: device-clock epoch ms, printed like show commands (`Mar 13 08:09:24 2024 UTC`). */
    text: (p: { expiredAt: number }, env) =>
      `Evaluation period expired on ${formatShowDate(p.expiredAt, env.timezone)}.`,
    source: '§5.3, ASA wording and severity; date layout lab choice (show-command format)',
  },
  EXPORT_CONTROLLED: {
    severity: 6,
    // Newer agents name the UDI; `legacy` gives the older text of the §5.1 example.
    text: (p: { legacy?: boolean }, env) =>
      p.legacy
        ? 'Usage of export controlled features is not allowed'
        : `Usage of export controlled features is Not Allowed for udi ${env.udi}`,
    source: '§5.3, device logs (both forms)',
  },

  // Smart Licensing Using Policy (17.3.2+). Texts the reference marks recalled or not found are noted.
  REPORTING_REQUIRED: {
    severity: 6,
    text: (p: { days: number }) => `A Usage report acknowledgement will be required in ${p.days} days.`,
    notification: trap('ciscoSlaSmartAgentNotifyReportingRequired', (p: { days: number }) => ({ days: p.days })),
    source: '§5.3 SLP, device logs (364, 89 days); trap 47',
  },
  RUM_ACK_RECEIVED: {
    severity: 6,
    text: () => 'A usage report acknowledgement was received and installed.',
    notification: trap('ciscoSlaSmartAgentNotifyRUMACKReceived'),
    source: '§5.3 SLP: mnemonic and text not found (MIB notif 45 RUMACKReceived); lab wording',
  },
  RUM_ACK_NOT_RECEIVED: {
    severity: 4,
    text: (p: { days: number }) =>
      `A Usage report acknowledgement was required ${p.days} days ago and has not been received.`,
    notification: trap('ciscoSlaSmartAgentNotifyRUMACKNotReceived', (p: { days: number }) => ({ days: p.days })),
    source:
      '§5.3 SLP: mnemonic and text not found (MIB notif 44 RUMACKNotReceived); lab wording in REPORTING_REQUIRED style, severity lab choice',
  },
  POLICY_INSTALL_SUCCESS: {
    severity: 6,
    text: () => 'A new licensing policy was successfully installed.',
    notification: trap('ciscoSlaSmartAgentNotifyPolicyInstallSuccess'),
    source: '§5.3 SLP: text recalled, unverified; MIB notif 49',
  },
  POLICY_INSTALL_FAILED: {
    severity: 3,
    text: (p: Reason) => `The installation of a new licensing policy has failed: ${sentence(p.reason)}`,
    notification: trap('ciscoSlaSmartAgentNotifyPolicyInstallFailed', (p: Reason) => ({ failureMessage: p.reason })),
    source: '§5.3 SLP: text recalled, unverified; MIB notif 48',
  },
  TRUST_CODE_INSTALL_SUCCESS: {
    severity: 6,
    text: (_: NoParams, env) => `A new licensing trust code was successfully installed on ${env.udi}.`,
    notification: trap('ciscoSlaSmartAgentNotifyTrustInstallSuccess'),
    source: '§5.3 SLP: text not found (inferred from MIB notif 51); lab wording mirroring TRUST_CODE_INSTALL_FAILED',
  },
  TRUST_CODE_INSTALL_FAILED: {
    severity: 3,
    text: (p: Reason, env) =>
      `The install of a new licensing trust code has failed on ${env.udi}: ${sentence(p.reason)}`,
    notification: trap('ciscoSlaSmartAgentNotifyTrustInstallFailed'),
    source: '§5.3 SLP: Cat9400 guide (partial capture), completed by the recalled text; MIB notif 52',
  },
  AUTHORIZATION_INSTALL_SUCCESS: {
    severity: 6,
    text: (_: NoParams, env) => `A new licensing authorization code was successfully installed on: ${env.udi}.`,
    notification: trap('ciscoSlaSmartAgentNotifyAuthorizationInstall'),
    source: '§5.3 SLP: text recalled, unverified; MIB notif 40',
  },
  AUTHORIZATION_INSTALL_FAILED: {
    severity: 3,
    text: (p: Reason, env) =>
      `The install of a new licensing authorization code has failed on ${env.udi}: ${sentence(p.reason)}`,
    notification: trap('ciscoSlaSmartAgentNotifyAuthorizationInstallFailed'),
    source: '§5.3 SLP: text recalled, unverified; MIB notif 46',
  },
  AUTHORIZATION_REMOVED: {
    severity: 6,
    text: (_: NoParams, env) => `A licensing authorization code has been removed from ${env.udi}`,
    notification: trap('ciscoSlaSmartAgentNotifyAuthorizationRemove'),
    source: '§5.3 SLP: text recalled, unverified; MIB notif 41',
  },

  // Communication
  COMM_FAILED: {
    severity: 3,
    text: (p: Reason & { destination: SmartDestination }) =>
      `Communications failure with the ${DESTINATION[p.destination]} : ${p.reason}`,
    notification: trap('ciscoSlaSmartAgentNotifyCommunicationFailure'),
    source: '§5.3, device logs (CSSM and CSLU forms); ASA 3',
  },
  COMM_RESTORED: {
    severity: 5,
    text: (p: { destination: SmartDestination }) => `Communications with ${DESTINATION[p.destination]} restored`,
    notification: trap('ciscoSlaSmartAgentNotifyCommunicationRestored'),
    source: '§5.3, device log (CSLU form); CSSM form by analogy, unconfirmed; ASA 5',
  },
  COMM_INIT_FAILED: {
    severity: 5,
    text: (p: Reason & { destination: SmartDestination }) =>
      `Communications init failure with the ${DESTINATION[p.destination]} : ${p.reason}`,
    source: '§5.3, ASA severity; lab wording (mirrors COMM_FAILED)',
  },
});

export type SmartLicMnemonic = keyof typeof smartLicMessages;
export type SmartLicParams<M extends SmartLicMnemonic> = ParamsOf<(typeof smartLicMessages)[M]>;
