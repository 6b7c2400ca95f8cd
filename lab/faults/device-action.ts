/** A device fault as data (it crosses to a fleet shard), and what it does to a device. */
import type { VirtualDevice } from '#devices';

export type DeviceAction =
  { kind: 'reload' } | { kind: 'power-loss' } | { kind: 'storage-corruption' } | { kind: 'clock-jump'; ms: number };

export function applyDeviceAction(device: VirtualDevice, action: DeviceAction): void {
  switch (action.kind) {
    case 'reload':
      return void device.reload();
    case 'power-loss':
      return void device.powerLoss();
    case 'storage-corruption':
      // Damage found at once, as a flash fault that crashes the box: the cold start reads it.
      device.corruptStorage();
      return void device.powerLoss();
    case 'clock-jump':
      return void device.setClock(device.deviceNow() + action.ms);
  }
}
