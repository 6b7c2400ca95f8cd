/**
 * Which features of a traditional device hold subscription licenses, and the charts that speak for them
 * (subscription.machine.ts): one per feature, rebuilt only when what it watches changes (a subscription
 * installed, cleared or revoked, the device clock set), so a chart's cadence is never restarted by an
 * unrelated change.
 */
import { createActor, type Actor } from 'xstate';
import type { Clock } from '#protocol';
import type { SubscriptionInput, SubscriptionMachine } from './subscription.machine.ts';
import type { TraditionalContext, TraditionalEmission } from './traditional-context.ts';
import { isSubscription } from './traditional-licenses.ts';

/** What each feature's chart watches: its subscriptions' latest end, and an extension's if it ends later. */
export function subscriptionInputs(c: TraditionalContext): Map<string, SubscriptionInput> {
  const inputs = new Map<string, SubscriptionInput>();
  for (const feature of c.device.features) {
    const mine = c.licenses.filter((l) => l.feature === feature && isSubscription(l) && l.endAt !== undefined);
    if (mine.length === 0) continue;
    const ends = (type: (t: string) => boolean) =>
      Math.max(...mine.filter((l) => type(l.type)).map((l) => l.endAt!), -Infinity);
    const endAt = ends((t) => t !== 'extensionSubscription');
    const extensionEndAt = ends((t) => t === 'extensionSubscription');
    const base = Number.isFinite(endAt) ? endAt : extensionEndAt;
    inputs.set(feature, {
      feature: { index: c.device.features.indexOf(feature) + 1, name: feature, version: mine[0]!.version },
      licenseUdi: c.device.licenseUdi,
      endAt: base,
      ...(extensionEndAt > base ? { extensionEndAt } : {}),
      clockOffsetMs: c.device.clockOffsetMs,
      reminderMs: c.timers.subscriptionReminder,
    });
  }
  return inputs;
}

export class SubscriptionWatch {
  readonly #machine: SubscriptionMachine;
  readonly #clock: Clock;
  readonly #emit: (e: TraditionalEmission) => void;
  readonly #watching = new Map<string, { key: string; actor: Actor<SubscriptionMachine> }>();

  constructor(machine: SubscriptionMachine, clock: Clock, emit: (e: TraditionalEmission) => void) {
    this.#machine = machine;
    this.#clock = clock;
    this.#emit = emit;
  }

  /** Charts for the subscriptions in `c`: new ones started, changed ones rebuilt, gone ones stopped. */
  update(c: TraditionalContext): void {
    const inputs = subscriptionInputs(c);
    for (const [feature, w] of this.#watching) {
      const input = inputs.get(feature);
      if (input && JSON.stringify(input) === w.key) continue;
      w.actor.stop();
      this.#watching.delete(feature);
    }
    for (const [feature, input] of inputs) {
      if (this.#watching.has(feature)) continue;
      const actor = createActor(this.#machine, { clock: this.#clock, input });
      actor.on('license.log', this.#emit);
      this.#watching.set(feature, { key: JSON.stringify(input), actor });
      actor.start();
    }
  }

  /** The charts' states by feature (`active`, `extension`, `expired`). */
  states(): Record<string, string> {
    return Object.fromEntries([...this.#watching].map(([f, w]) => [f, String(w.actor.getSnapshot().value)]));
  }

  stop(): void {
    for (const w of this.#watching.values()) w.actor.stop();
    this.#watching.clear();
  }
}
