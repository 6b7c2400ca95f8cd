/**
 * Each device's license state over lab time, for the timeline of a failed scenario: sampled whenever the
 * device logs something (every state change logs) and at the end of every step, kept only when it changed.
 */
import type { VirtualDevice } from '#devices';
import { licenseStateOf, type LicenseState } from '../fleet/fleet-summary.ts';

export interface StateChange {
  at: number;
  state: LicenseState;
}

export class StateTrail {
  readonly #trails = new WeakMap<VirtualDevice, StateChange[]>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  sample(device: VirtualDevice): void {
    const state = licenseStateOf(device);
    const trail = this.#trails.get(device) ?? [];
    if (trail.at(-1)?.state !== state) trail.push({ at: this.#now(), state });
    this.#trails.set(device, trail);
  }

  of(device: VirtualDevice): readonly StateChange[] {
    return this.#trails.get(device) ?? [];
  }
}
