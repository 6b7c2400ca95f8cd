/** The devices' only import surface: createDevice() and what a lab needs to wire devices up. */
import { VirtualDevice, type DeviceOptions } from './device.ts';

export { VirtualDevice, type DeviceOptions } from './device.ts';
export type { DeviceEvent, DeviceEventSink, SnmpNotification, SyslogMessage } from './events/device-event.ts';
export type { DeviceView } from './cli/cli-device.ts';
export type { SmartLicensingView } from './licensing/smart-view.ts';
export { smartTimerTable, resolveSmartTimers, type SmartTimerName } from './licensing/smart-timers.ts';
export { createHttpTransport, createInProcessTransport, type CloudTransport } from './licensing/cloud-client/index.ts';
export { allPlatforms, findPlatform, UnknownPidError } from './kinds/registry.ts';
export { MemoryBackend } from './storage/memory-backend.ts';
export { DirectoryBackend } from './storage/directory-backend.ts';
export { SqliteBackend } from './storage/sqlite-backend.ts';
export type { StorageBackend } from './storage/storage-backend.ts';

/** A virtual device, booted. An unknown PID throws UnknownPidError listing the known ones. */
export function createDevice(options: DeviceOptions): VirtualDevice {
  return new VirtualDevice(options);
}
