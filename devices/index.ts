/** The devices' only import surface: createDevice() and what a lab needs to wire devices up. */
import { VirtualDevice, type DeviceOptions } from './device.ts';

export { VirtualDevice, type DeviceOptions } from './device.ts';
export {
  createDeviceEnvironment,
  type DeviceEnvironment,
  type DeviceEnvironmentOptions,
} from './device-environment.ts';
export type { DeviceEvent, DeviceEventSink, SnmpNotification, SyslogMessage } from './events/device-event.ts';
/** The wire: the lab's syslog sender and the two layouts it sends (IOS, RFC 5424). */
export {
  SyslogSender,
  type SyslogHost,
  type SyslogSendCounts,
  type SyslogTransport,
  type WirePace,
} from './syslog/syslog-sender.ts';
export { formatRfc5424 } from './syslog/rfc5424-message.ts';
export type { SyslogWire } from './syslog/syslog-output.ts';
export { checkLoggingConfig, type LoggingConfig } from './syslog/logging-config.ts';
export { checkSnmpConfig, type SnmpConfig, type SnmpHost, type SnmpUser } from './snmp/snmp-config.ts';
export type { TrapTarget, TrapWire } from './snmp/trap-output.ts';
export { engineIdFor, SnmpTrapSender, SNMP_TRAP_ADDRESS, type TrapSendCounts } from './snmp/trap-sender.ts';
export { netSnmp, type NetSnmpNotification, type NetSnmpVarbind } from './snmp/net-snmp.ts';
export { notificationName } from './snmp/notification-names.ts';
export { smartLicNotification, type SmartLicNotificationName } from './snmp/smart-lic-mib.ts';
export { formatWireMessage } from './syslog/ios-syslog-line.ts';
export type { ActionResult, DeviceView } from './cli/cli-device.ts';
/** A device's readable MIB (SNMPv2-MIB system, ENTITY-MIB chassis, the licensing MIBs), for the lab's SNMP agent. */
export { deviceMib } from './snmp/device-mib.ts';
export {
  mibGet,
  mibMissing,
  mibNext,
  mibTable,
  type MibEntry,
  type MibInstance,
  type MibTable,
  type MibValueType,
} from './snmp/mib-table.ts';
/** The CLI's command trees (completion, help, fuzzing). */
export { CONFIG_COMMANDS, EXEC_COMMANDS } from './cli/command-table.ts';
export type { CommandNode } from './cli/command-node.ts';
export type { Completion } from './cli/complete.ts';
export { refusalIn } from './cli/refusal.ts';
export type { AgentState, LicensingAgent } from './licensing/licensing-agent.ts';
export type { SmartCommand } from './licensing/smart-events.ts';
export type { SmartCloud } from './licensing/cloud-exchange.ts';
export type { SmartLicensingView, RegistrationStatus, AuthorizationStatus } from './licensing/smart-view.ts';
export { createSmartMachine, type SmartMachine } from './licensing/smart.machine.ts';
export { smartTimerTable, resolveSmartTimers, type SmartTimerName } from './licensing/smart-timers.ts';
export { createTraditionalMachine, type TraditionalMachine } from './licensing/traditional.machine.ts';
export {
  traditionalTimerTable,
  resolveTraditionalTimers,
  type TraditionalTimerName,
} from './licensing/traditional-timers.ts';
export type { TraditionalRequest } from './licensing/traditional-agent.ts';
/** Smart Licensing Using Policy (17.x images): the view, commands, configuration, timers and on-box REST API. */
export type { SlpView, SlpLicenseView, SlpReportView } from './licensing/slp-view.ts';
export type { SlpLicenseCommand } from './licensing/slp-agent.ts';
export type { SlpConfig, SlpTransport } from './licensing/slp-config.ts';
export { CSLU_DISCOVERY_HOST } from './licensing/slp-config.ts';
export type { SlpCloud, SlpCaller } from './licensing/cloud-client/slp-cloud-client.ts';
export type { SlpEnvironmentOptions } from './licensing/cloud-client/slp-cloud-of.ts';
export { slpTimerTable, resolveSlpTimers, type SlpTimerName } from './licensing/slp-timers.ts';
export { createSlpMachine, type SlpMachine } from './licensing/slp.machine.ts';
export { agentMachines } from './licensing/agent-machines.ts';
export type { SmartlicRequest, SmartlicResponse } from './licensing/smartlic-service.ts';
export type { AccessConfig, LocalUser } from './http/access-config.ts';
export type { OnBoxHttpAnswer, OnBoxHttpRequest } from './http/on-box-http.ts';
export type { SlpRecord } from './licensing/slp-record.ts';
export type { LicenseStatus, LicenseView, TraditionalPhase, TraditionalView } from './licensing/traditional-view.ts';
export type { HistoryEntry, TraditionalRecord } from './licensing/traditional-record.ts';
/** The device's flash: and usbflash0: file systems. */
export { FILE_SYSTEMS, FLASH_CAPACITY, type FileSystem } from './files/flash.ts';
export {
  createHttpTransport,
  createInProcessTransport,
  SmartCloudClient,
  type CloudTransport,
  type DeviceIdentity,
  type TransportResult,
  type TransportType,
} from './licensing/cloud-client/index.ts';
export { allPlatforms, checkBootLevel, findPlatform, findRelease, UnknownPidError } from './kinds/registry.ts';
/** The LLLYYWWSSSS serial a device of that model gets from a sequence number (a fleet checks them for clashes). */
export { generateSerial } from './kinds/udi.ts';
export type { PlatformModel, LicensingMode } from './kinds/platform.ts';
export { MemoryBackend } from './storage/memory-backend.ts';
export { DirectoryBackend } from './storage/directory-backend.ts';
export { SqliteBackend } from './storage/sqlite-backend.ts';
export type { StorageBackend } from './storage/storage-backend.ts';
/** The framed, checksummed record format of trusted storage (devices/README.md, Storage). */
export { decodeRecord, encodeRecord } from './storage/storage-codec.ts';

/** A virtual device, booted. An unknown PID throws UnknownPidError listing the known ones. */
export function createDevice(options: DeviceOptions): VirtualDevice {
  return new VirtualDevice(options);
}
