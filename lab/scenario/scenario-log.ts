/**
 * Everything a scenario run logged, in the order it happened: every device message (all of them, not
 * only what a device's `logging buffered` ring still holds) and every start and end of a lab fault. The
 * order of arrival is the order of cause and effect (a fault's start before the messages it causes at
 * the same instant), which is the event log determinism is checked on.
 */
import type { DeviceEvent } from '#devices';
import type { FaultEvent } from '../faults/fault-schedule.ts';
import { iso } from './report-text.ts';

export class ScenarioLog {
  readonly #lines: string[] = [];
  readonly #byUdi = new Map<string, DeviceEvent[]>();
  readonly #faults: FaultEvent[] = [];

  device = (e: DeviceEvent): void => {
    this.#lines.push(`${iso(e.labTime)} ${e.device} ${e.line}`);
    const events = this.#byUdi.get(e.udi) ?? [];
    events.push(e);
    this.#byUdi.set(e.udi, events);
  };

  fault = (e: FaultEvent): void => {
    this.#lines.push(`${iso(e.labTime)} lab ${e.line}`);
    this.#faults.push(e);
  };

  /** One chassis's messages by its UDI (`PID:…,SN:…`): a replaced chassis keeps its own. */
  eventsOf(udi: string): readonly DeviceEvent[] {
    return this.#byUdi.get(udi) ?? [];
  }

  faults(): readonly FaultEvent[] {
    return this.#faults;
  }

  lines(): string[] {
    return [...this.#lines];
  }
}
