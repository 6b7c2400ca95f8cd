/**
 * The Smart Licensing agent of one device (LicensingAgent): an XState actor of the Smart chart on the lab
 * clock. Commands and device facts go in as events; messages leave through `emit()` to the host, a refusal
 * comes back as IOS's `% …` line; the record is handed to the host whenever the chart changes it.
 */
import { createActor, type Actor, type InspectionEvent } from 'xstate';
import type { Clock, LicenseTrust } from '#protocol';
import type { ActionResult } from '../cli/cli-device.ts';
import { cloudExchange, type SmartCloud } from './cloud-exchange.ts';
import { KeyRing } from './device-key.ts';
import { guardedHost } from './guarded-host.ts';
import type { AgentHost, AgentState, LicensingAgent } from './licensing-agent.ts';
import { evalUsed, type SmartInput, type SmartRecord } from './smart-context.ts';
import {
  REFUSAL_TEXT,
  type DeviceFact,
  type Refusal,
  type ReservationCommand,
  type ReservationEvent,
  type SmartCommand,
  type SmartEvent,
  type SmartLicEmission,
} from './smart-events.ts';
import { createSmartMachine, type SmartMachine } from './smart.machine.ts';
import { reservationCommand } from './reservation-command.ts';
import { smartViewOf } from './smart-view-of.ts';
import type { SmartLicensingView } from './smart-view.ts';

/**
 * What every Smart agent on one lab clock and one cloud shares: the provided machine, the parsed keys, and
 * the portal keys reservation authorization codes must be signed with.
 */
export interface SmartRuntime {
  clock: Clock;
  machine: SmartMachine;
  keys: KeyRing;
  trust: LicenseTrust;
}

export function createSmartRuntime(options: {
  clock: Clock;
  cloud: SmartCloud;
  tracked: boolean;
  trust: LicenseTrust;
}): SmartRuntime {
  const keys = new KeyRing();
  const exchange = cloudExchange({ ...options, keys });
  const machine = createSmartMachine(options.clock).provide({ actors: { exchange } });
  return { clock: options.clock, machine, keys, trust: options.trust };
}

export class SmartAgent implements LicensingAgent<SmartCommand, DeviceFact, SmartLicensingView, SmartRecord> {
  readonly mode = 'smart' as const;
  readonly #clock: Clock;
  readonly #trust: LicenseTrust;
  readonly #actor: Actor<SmartMachine>;
  /** The refusal emitted while the command being executed was processed. */
  #refusal: Refusal | undefined;

  constructor(
    runtime: SmartRuntime,
    input: SmartInput,
    host: AgentHost<SmartLicEmission, SmartRecord>,
    inspect?: (event: InspectionEvent) => void,
  ) {
    this.#clock = runtime.clock;
    this.#trust = runtime.trust;
    this.#actor = createActor(runtime.machine, { clock: runtime.clock, input, ...(inspect ? { inspect } : {}) });
    const guarded = guardedHost(host, 'Smart Licensing agent');
    this.#actor.on('smartLic', guarded.emit);
    this.#actor.on('command.refused', (e) => (this.#refusal = e.refusal));
    this.#actor.subscribe(guarded.observer(input.record, () => this.record()));
    this.#actor.start();
  }

  execute(command: SmartCommand): ActionResult {
    if (command.type.startsWith('license.reservation.'))
      return reservationCommand(command as ReservationCommand, {
        udi: this.#actor.getSnapshot().context.device.udi,
        reservation: this.record().reservation,
        trust: this.#trust,
        send: (event) => this.#send(event),
      });
    return this.#send(command);
  }

  /** The event to the chart; a refusal it emitted meanwhile comes back as IOS's `% …` line. */
  #send(event: SmartCommand | ReservationEvent): ActionResult {
    this.#refusal = undefined;
    this.#actor.send(event as SmartEvent);
    const refusal = this.#refusal;
    this.#refusal = undefined;
    return refusal === undefined ? { ok: true, output: '' } : { ok: false, error: REFUSAL_TEXT[refusal] };
  }

  notify(fact: DeviceFact): void {
    this.#actor.send(fact);
  }

  view(): SmartLicensingView {
    return smartViewOf(this.#actor.getSnapshot(), this.#clock.now());
  }

  /** The record with the running evaluation segment banked: a reload never gives eval time back. */
  record(): SmartRecord {
    const { context } = this.#actor.getSnapshot();
    return { ...context.record, evalUsedMs: evalUsed(context, this.#clock.now()) };
  }

  state(): AgentState {
    const { value, context } = this.#actor.getSnapshot();
    return { mode: this.mode, value, context };
  }

  stop(): SmartRecord {
    const record = this.record();
    this.#actor.stop();
    return record;
  }
}
