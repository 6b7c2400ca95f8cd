/**
 * License call-home as a chart (A.4 `license call-home install pak | resend | revoke`): one request to the
 * portal at a time. `idle` takes a request, `requesting` runs the `exchange` actor (provided by the
 * traditional runtime: the call-home client over the lab's transport) and emits the answer; the agent
 * applies it (through the same install and revoke paths as `license install` / `license revoke`) and sends
 * back what it printed, which `show license call-home` reads. There is no retry: IOS reports the failure
 * and the operator runs the command again. Context is plain JSON.
 */
import { assign, emit, fromPromise, setup } from 'xstate';
import type { CallHomeAnswer, CallHomeCall } from './cloud-client/call-home-client.ts';

export interface CallHomeRequest {
  call: CallHomeCall;
  /** The command as typed, for `show license call-home` (`install pak 3A1B2C3D4E5`). */
  command: string;
}

/** What the last request came to. */
export interface CallHomeOutcome {
  command: string;
  /** Device time of the answer (epoch ms). */
  at: number;
  ok: boolean;
  /** What the device printed for it (report lines or the `% …` refusal). */
  lines: readonly string[];
}

export interface CallHomeContext {
  request?: CallHomeRequest;
  last?: CallHomeOutcome;
}

export type CallHomeEvent =
  { type: 'callHome.request'; request: CallHomeRequest } | { type: 'callHome.applied'; outcome: CallHomeOutcome };

export type CallHomeEmitted = { type: 'callHome.answered'; request: CallHomeRequest; answer: CallHomeAnswer };

/** The chart; `exchange` must be provided (the traditional runtime does, once per environment). */
export const callHomeMachine = setup({
  types: {} as { context: CallHomeContext; events: CallHomeEvent; emitted: CallHomeEmitted },
  actors: {
    exchange: fromPromise<CallHomeAnswer, CallHomeCall>(() =>
      Promise.reject(new Error('[call-home] no exchange provided')),
    ),
  },
}).createMachine({
  id: 'callHome',
  context: {},
  initial: 'idle',
  on: { 'callHome.applied': { actions: assign({ last: ({ event }) => event.outcome }) } },
  states: {
    idle: {
      on: { 'callHome.request': { target: 'requesting', actions: assign({ request: ({ event }) => event.request }) } },
    },
    requesting: {
      invoke: {
        src: 'exchange',
        input: ({ context }) => context.request!.call,
        onDone: {
          target: 'idle',
          actions: emit(({ context, event }) => ({
            type: 'callHome.answered' as const,
            request: context.request!,
            answer: event.output,
          })),
        },
        // The client never rejects; a throwing exchange is a communication failure all the same.
        onError: {
          target: 'idle',
          actions: emit(({ context, event }) => ({
            type: 'callHome.answered' as const,
            request: context.request!,
            answer: {
              op: context.request!.call.op,
              result: { ok: false as const, kind: 'comm' as const, reason: String(event.error) },
            } as CallHomeAnswer,
          })),
        },
      },
    },
  },
});

export type CallHomeMachine = typeof callHomeMachine;
