/**
 * An agent's exchange with the cloud as an XState callback actor, whatever the protocol: `ask` runs the
 * request, its answer goes back as one event; one that has not answered within `timeoutMs` of lab time
 * fails as `timedOut` (so a cloud that never answers fails in virtual time too), and one whose state was
 * left in the meantime answers nothing. `tracked`: the stepped lab clock waits for the work (clock.track).
 */
import { fromCallback, type EventObject } from 'xstate';
import type { Clock } from '#protocol';

export function boundedExchange<TEvent extends EventObject, TInput extends { timeoutMs: number }>(
  options: { clock: Clock; tracked: boolean },
  ask: (input: TInput) => Promise<TEvent>,
  timedOut: (input: TInput) => TEvent,
) {
  const { clock, tracked } = options;
  return fromCallback<TEvent, TInput>(({ input, sendBack }) => {
    let open = true;
    const answer = (a: TEvent): void => {
      if (!open) return;
      open = false;
      clock.clearTimeout(timer);
      sendBack(a);
    };
    const timer = clock.setTimeout(() => answer(timedOut(input)), input.timeoutMs);
    // A stand-in that throws has failed to send, like a request that never left.
    const work = ask(input).then(answer, () => answer(timedOut(input)));
    if (tracked) void clock.track(work);
    return () => {
      open = false;
      clock.clearTimeout(timer);
    };
  });
}
