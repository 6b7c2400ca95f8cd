/**
 * One syslog message of a catalogue, as data: `%<facility>-<severity>-<mnemonic>: <text(params)>`, the
 * SNMP notification the same transition sends (if any), and where the wording comes from.
 */
import type { Severity, SnmpNotification } from '../events/device-event.ts';
import type { Timezone } from '../time/ios-time.ts';

/** What every message may mention without the caller passing it. */
export interface MessageEnv {
  /** `PID:<pid>,SN:<sn>`. */
  udi: string;
  hostname: string;
  /** The zone the device prints dates in (`clock timezone`). */
  timezone: Timezone;
}

/** The MIB notification of a message; `build` gets the caller's context and the message's params. */
export interface NotificationLink<P, C> {
  readonly name: string;
  build(context: C, params: P): SnmpNotification;
}

export interface MessageDefinition<P = NoParams, C = never> {
  readonly facility: string;
  readonly mnemonic: string;
  readonly severity: Severity;
  readonly text: (params: P, env: MessageEnv) => string;
  readonly notification?: NotificationLink<P, C>;
  /** Where severity and wording come from (reference section, capture, or "lab wording"). */
  readonly source: string;
}

/** Params of a message without variable parts: callers pass `{}`. */
export type NoParams = Record<string, never>;

/** A catalogue entry before `defineMessages` fills in facility and mnemonic. Texts annotate their params. */
export type MessageSpec = Omit<MessageDefinition<never, never>, 'facility' | 'mnemonic'>;

/** Params a catalogue entry's text takes. */
export type ParamsOf<E extends { text: (...args: never[]) => string }> =
  Parameters<E['text']> extends [] ? NoParams : Parameters<E['text']>[0];

/** Fills in facility and mnemonic (the key), so neither is written twice. */
export function defineMessages<T extends Record<string, MessageSpec>>(
  facility: string,
  entries: T,
): { readonly [K in keyof T]: T[K] & { readonly facility: string; readonly mnemonic: K } } {
  const out: Record<string, unknown> = {};
  for (const [mnemonic, entry] of Object.entries(entries))
    out[mnemonic] = Object.freeze({ facility, mnemonic, ...entry });
  return Object.freeze(out) as never;
}

/** `%SMART_LIC-6-AGENT_READY` */
export function messageTag(definition: { facility: string; severity: Severity; mnemonic: string }): string {
  return `%${definition.facility}-${definition.severity}-${definition.mnemonic}`;
}
