/** What a device is made from: its model and serial, the lab it joins, and its factory settings. */
import type { InspectionEvent } from 'xstate';
import type { DeviceEnvironment } from './device-environment.ts';
import type { DeviceEventSink } from './events/device-event.ts';
import type { StorageBackend } from './storage/storage-backend.ts';
import type { LoggingConfig } from './syslog/logging-config.ts';
import type { SnmpConfig } from './snmp/snmp-config.ts';

export interface DeviceOptions {
  pid: string;
  /** Default: generated from `serialSequence` and `manufacturedAt` in the real LLLYYWWSSSS format. */
  sn?: string;
  serialSequence?: number;
  manufacturedAt?: number;
  hostname?: string;
  /** Software release (`16.9.4`); default the model's default release. */
  release?: string;
  /** The lab clock and the cloud, shared by every device of a lab (device-environment.ts). */
  environment: DeviceEnvironment;
  /** XState inspection of the agent (state coverage in tests, the dashboard). */
  inspect?: (event: InspectionEvent) => void;
  /** Where the trusted storage lives; default in memory (gone with the process). */
  storage?: StorageBackend;
  /** Smart Licensing timer overrides (smart-timers.ts). */
  timers?: Partial<Record<string, number>>;
  /** Traditional licensing timer overrides (traditional-timers.ts: `evaluationPeriod`, …). */
  traditionalTimers?: Partial<Record<string, number>>;
  /** Smart Licensing Using Policy timer overrides (slp-timers.ts: `rumReportWindow`, …). */
  slpTimers?: Partial<Record<string, number>>;
  sinks?: readonly DeviceEventSink[];
  /** Where problems that are not the device's own are reported (a failing sink); default stderr. */
  onProblem?: (line: string) => void;
  /** Factory boot level (and Catalyst 9000 add-on) of a device with no stored configuration. */
  bootLevel?: string;
  addon?: string;
  /** Lab ms a reload takes before the device is back (default 3 minutes). */
  reloadMs?: number;
  /** Factory remote logging (`logging host …`) of a device with no stored configuration. */
  logging?: LoggingConfig;
  /** Factory SNMP notification configuration (`snmp-server host …`, `enable traps`). */
  snmp?: SnmpConfig;
  /** The management address (`logging source-interface`'s, origin-id ip, RFC 5424 origin); default from the SN. */
  address?: string;
  /** A factory key (PKCS#8 PEM); default a fresh ECDSA P-256 key. */
  keyPem?: string;
}
