/**
 * How an agent's actor talks to its host without the host ever stopping it: an emit that reports a
 * throwing sink instead of throwing, and an observer that saves the record whenever the chart changes it
 * (a failed save reported, not thrown) and reports the chart stopping. Both agents use it.
 */
import type { AgentHost } from './licensing-agent.ts';

export interface GuardedHost<TEmission> {
  emit(emission: TEmission): void;
  /** For `actor.subscribe`: `initial` is the record the actor starts with, `record()` the one to save. */
  observer(
    initial: unknown,
    record: () => unknown,
  ): { next(snapshot: { context: { record: unknown } }): void; error(err: unknown): void };
}

export function guardedHost<TEmission extends { mnemonic: string }, TRecord>(
  host: AgentHost<TEmission, TRecord>,
  agent: string,
): GuardedHost<TEmission> {
  return {
    emit: (e) => {
      try {
        host.emit(e);
      } catch (err) {
        host.report(`logging ${e.mnemonic} failed: ${String(err)}`);
      }
    },
    observer: (initial, record) => {
      let kept = initial;
      return {
        next: (s) => {
          if (s.context.record === kept) return;
          kept = s.context.record;
          try {
            host.save(record() as TRecord);
          } catch (err) {
            host.report(`saving the licensing record failed: ${String(err)}`);
          }
        },
        error: (err) => host.report(`${agent} stopped: ${String(err)}`),
      };
    },
  };
}
