/**
 * A lab fault as data (the same shape from the CLI, the control API and topology files): what goes
 * wrong, which devices it hits (a selector, lab/fleet/selector.ts), when it starts (`at`, lab time from
 * now) and how long it lasts (`for`; without it a network fault or a clock skew lasts until cleared).
 * Network faults sit between the selected devices and the cloud; device faults act on the devices at the
 * start (a skewed clock is set right at the end), and cloud faults on the cloud itself or on what it
 * holds for the selected devices (their tokens, the licenses they use).
 */
import { Type, type Static } from '@sinclair/typebox';
import { DurationSchema as Duration, parseDuration } from '../fleet/duration.ts';

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
  'clock-skew': 'the device clock runs ms off (NTP unreachable, a drifting RTC) and is set right when the fault ends',
} as const;

/** Faults in the cloud, chosen through the devices they touch. */
export const CLOUD_FAULTS = {
  'token-revoked': "the selected devices' registration tokens are revoked: registrations with them are refused",
  'licenses-removed':
    "licenses leave the selected devices' pools: quantity of each they use (default as many as they use)",
  'cloud-restart': 'the cloud stops (connections refused) and starts again from its storage after "for" (30 s); all',
} as const;

/** How long a cloud restart keeps the cloud down when the fault gives no `for`. */
export const CLOUD_RESTART_MS = 30_000;

/** Faults whose whole effect is at their start: they take no `for`, and once started nothing is left of them. */
export const ONCE_FAULTS: readonly FaultKind[] = [
  'reload',
  'power-loss',
  'storage-corruption',
  'clock-jump',
  'token-revoked',
  'licenses-removed',
];

/** How long a fault lasts, lab ms; undefined: until cleared (or, for a once fault, no time at all). */
export function faultLengthMs(spec: Pick<FaultSpec, 'kind' | 'for'>): number | undefined {
  const given = typeof spec.for === 'string' ? parseDuration(spec.for)! : spec.for;
  return given ?? (spec.kind === 'cloud-restart' ? CLOUD_RESTART_MS : undefined);
}

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
    ms: Type.Optional(Type.Number({ description: 'latency, clock jump or skew, ms' })),
    status: Type.Optional(Type.Integer({ minimum: 400, maximum: 599 })),
    retryAfter: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
    quantity: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'licenses-removed: of each license' }),
    ),
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
