/**
 * A lab fault as data (the same shape from the CLI, the control API and topology files): what goes
 * wrong, which devices it hits (a selector, lab/fleet/selector.ts), when it starts (`at`, lab time from
 * now) and how long it lasts (`for`; without it a network fault lasts until cleared). Network faults sit
 * between the selected devices and the cloud; device faults act on the devices once, at the start, and
 * cloud faults on what the cloud holds for them (their tokens).
 */
import { Type, type Static } from '@sinclair/typebox';
import { DurationSchema as Duration } from '../fleet/duration.ts';

export const NETWORK_FAULTS = {
  unreachable: 'the cloud cannot be reached: how refused (default), timeout or dns',
  tls: 'the TLS handshake fails: why expired-certificate (default) or untrusted-ca (field notice FN72323)',
  latency: 'every exchange takes ms longer (lab time)',
  'http-error': 'a proxy answers status (default 503) instead of the cloud',
  'rate-limited': 'a 429 with Retry-After: retryAfter seconds (default 60)',
  unsigned: "the cloud's answer arrives without its signature",
  malformed: "the cloud's answer arrives cut in half",
} as const;

export const DEVICE_FAULTS = {
  reload: 'the devices reload (a power-cycle with the configuration saved)',
  'power-loss': 'the power goes: nothing saved on the way down; back after the boot time, from trusted storage',
  'storage-corruption': 'a byte of trusted storage flips and the device crashes: it boots from factory licensing data',
  'clock-jump': 'the device clock jumps by ms (negative: back in time), as a wrong NTP server or `clock set`',
} as const;

/** Faults in the cloud, chosen through the devices they touch. */
export const CLOUD_FAULTS = {
  'token-revoked': "the selected devices' registration tokens are revoked: registrations with them are refused",
} as const;

export type FaultKind = keyof typeof NETWORK_FAULTS | keyof typeof DEVICE_FAULTS | keyof typeof CLOUD_FAULTS;
export const FAULT_KINDS = [
  ...Object.keys(NETWORK_FAULTS),
  ...Object.keys(DEVICE_FAULTS),
  ...Object.keys(CLOUD_FAULTS),
] as FaultKind[];

export const FaultSpecSchema = Type.Object(
  {
    kind: Type.Union(FAULT_KINDS.map((k) => Type.Literal(k))),
    select: Type.String({
      minLength: 1,
      maxLength: 1000,
      description: 'devices: site=lyon, group=access, 10%, all, …',
    }),
    at: Type.Optional(Duration),
    for: Type.Optional(Duration),
    how: Type.Optional(Type.Union([Type.Literal('refused'), Type.Literal('timeout'), Type.Literal('dns')])),
    why: Type.Optional(Type.Union([Type.Literal('expired-certificate'), Type.Literal('untrusted-ca')])),
    ms: Type.Optional(Type.Number({ description: 'latency or clock jump, ms' })),
    status: Type.Optional(Type.Integer({ minimum: 400, maximum: 599 })),
    retryAfter: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
  },
  { additionalProperties: false },
);
export type FaultSpec = Static<typeof FaultSpecSchema>;

/** A scheduled or active fault, as `lab fault list` shows it. */
export interface Fault {
  id: string;
  spec: FaultSpec;
  /** Lab times. */
  startsAt: number;
  endsAt: number | undefined;
  state: 'scheduled' | 'active' | 'ended';
  /** Hostnames hit, once started. */
  devices: string[];
}
