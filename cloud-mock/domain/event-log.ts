/** Every change the domain makes is written to the event log in the same transaction. */
import type { CloudEvent, Tx } from '../store/index.ts';
import type { DomainContext } from './context.ts';

export interface EventInput {
  accountId: string | null;
  vaId: string | null;
  kind: string;
  message: string;
  data?: Record<string, unknown>;
}

export function logEvent(tx: Tx, ctx: DomainContext, e: EventInput): Promise<CloudEvent> {
  return tx.appendEvent({
    at: ctx.clock.now(),
    accountId: e.accountId,
    vaId: e.vaId,
    kind: e.kind,
    actor: ctx.actor,
    message: e.message,
    data: e.data ?? {},
  });
}
