/**
 * What a device tells the world: every syslog line and every SNMP notification is one DeviceEvent,
 * kept in memory for scenarios to assert on and handed to sinks (the wire senders come later).
 */
export type Severity = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type VarbindType = 'OctetString' | 'Integer' | 'Unsigned32' | 'Gauge32' | 'TimeTicks' | 'ObjectIdentifier';

export interface SnmpVarbind {
  /** Full instance OID, e.g. `1.3.6.1.4.1.9.9.831.0.2.0`. */
  oid: string;
  /** MIB object name, e.g. `ciscoSlaSUDIInfo`. */
  name: string;
  type: VarbindType;
  value: string | number;
  /** OctetString holding raw octets (DateAndTime), `value` being their hex; absent for text. */
  hex?: true;
}

/** An SNMPv2c notification as it will go on the wire: snmpTrapOID.0 plus varbinds in MIB OBJECTS order. */
export interface SnmpNotification {
  /** e.g. `1.3.6.1.4.1.9.9.831.1.6`. */
  trapOid: string;
  /** e.g. `ciscoSlaSmartAgentNotifyRegisterSuccess`. */
  name: string;
  varbinds: readonly SnmpVarbind[];
}

export interface SyslogMessage {
  facility: string;
  severity: Severity;
  mnemonic: string;
  /** Message text after `%FACILITY-SEV-MNEMONIC: `. */
  text: string;
}

export interface DeviceEvent {
  /** Hostname of the device at the time of the event. */
  device: string;
  /** `PID:<pid>,SN:<sn>`. */
  udi: string;
  /** Per-device syslog sequence number (`service sequence-numbers`), from 1. */
  seq: number;
  /** Lab clock, epoch ms. */
  labTime: number;
  /** Device clock (lab clock + the device's clock offset), epoch ms. */
  deviceTime: number;
  syslog: SyslogMessage;
  /** The console line exactly as IOS prints it, e.g. `*Mar  1 00:00:42.133: %SMART_LIC-6-AGENT_READY: …`. */
  line: string;
  /** The notification the same transition sends, when the MIB defines one. */
  trap?: SnmpNotification;
}

export type DeviceEventSink = (event: DeviceEvent) => void;
