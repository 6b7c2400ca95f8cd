/**
 * The wire contract of Smart Licensing Using Policy (IOS XE 17.3.2+; smart-licensing.md §9–§10,
 * cssm-api.md §1.3.11): policies, RUM usage reports, ACKs, trust codes and Smart Authorization Codes.
 *
 * Bodies follow the public swapi SLP API: snake_case inside a `{ "data": { timestamp, nonce, … } }` envelope,
 * asynchronous (`OK_POLL`, then `COMPLETE` on poll). The same bodies travel on every path: a device's direct
 * Smart transport (under DEVICE_BASE, signed like every device request), CSLU's product-instance endpoint
 * (`/cslu/v1/pi`), SSM On-Prem's, and the cloud's `/v2/devices/…` routes for CSLU and tools.
 *
 * What the cloud hands back (an ACK, a policy, a trust code, a SLAC, a reservation authorization code) is a
 * signed document: a JSON payload kept as a string, so its bytes are what the signature covers, signed with
 * the portal's license signing key (license-key.ts) that devices already hold. Files carry documents in one
 * `<smartLicense>` element per kind, each a CDATA JSON (slp-file.ts), as RUM report files do (§10.3).
 */
import { SATELLITE_SYNC_PATH } from './satellite-sync.ts';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DEVICE_BASE } from './paths.ts';
import { MAX_EPOCH_MS } from './messages.ts';

/** `{ udi_pid, udi_serial_number }`, as every SLP body names a device. */
export const Sudi = Type.Object(
  {
    udi_pid: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9/_.+-]*$' }),
    udi_serial_number: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' }),
  },
  { additionalProperties: false },
);
export type Sudi = Static<typeof Sudi>;

const EpochMs = Type.Integer({ minimum: 0, maximum: MAX_EPOCH_MS });
const EpochS = Type.Integer({ minimum: 0, maximum: Math.floor(MAX_EPOCH_MS / 1000) });
const Envelope = { timestamp: EpochMs, nonce: Type.String({ minLength: 8, maxLength: 64 }) };
const EntitlementTag = Type.String({ minLength: 1, maxLength: 255 });
const Days = Type.Integer({ minimum: 0, maximum: 3650 });

// ---------------------------------------------------------------------------------------------- policy

/** One license class's three attributes, in days (§9.2); 0 reporting frequency means never. */
export const PolicyClass = Type.Object(
  { first_report: Days, reporting_frequency: Days, report_on_change: Days },
  { additionalProperties: false },
);
export type PolicyClass = Static<typeof PolicyClass>;

export const LICENSE_CLASSES = ['unenforced_perpetual', 'unenforced_subscription', 'enforced', 'export'] as const;
export type LicenseClass = (typeof LICENSE_CLASSES)[number];

export const Policy = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    /** `(CISCO default)` or `(Customer Policy)` after each value in `show license status`. */
    origin: Type.Union([Type.Literal('CISCO default'), Type.Literal('Customer Policy')]),
    ack_required: Type.Boolean(),
    unenforced_perpetual: PolicyClass,
    unenforced_subscription: PolicyClass,
    enforced: PolicyClass,
    export: PolicyClass,
  },
  { additionalProperties: false },
);
export type Policy = Static<typeof Policy>;

/** The policy every SLP device runs until a customer policy is installed (NTC status2/status4, §9.2). */
export const DEFAULT_POLICY: Policy = {
  name: 'Cisco default',
  origin: 'CISCO default',
  ack_required: true,
  unenforced_perpetual: { first_report: 365, reporting_frequency: 0, report_on_change: 90 },
  unenforced_subscription: { first_report: 90, reporting_frequency: 90, report_on_change: 90 },
  enforced: { first_report: 0, reporting_frequency: 0, report_on_change: 0 },
  export: { first_report: 0, reporting_frequency: 0, report_on_change: 0 },
};

// ------------------------------------------------------------------------------------------ RUM report

/** One 15-minute-sampled measurement window of one entitlement (§9.4, §10.3). */
export const RumMeasurement = Type.Object(
  {
    log_time: EpochS,
    metric_name: Type.Union([Type.Literal('ENTITLEMENT'), Type.Literal('TELEMETRY')]),
    start_time: EpochS,
    end_time: EpochS,
    sample_interval: Type.Integer({ minimum: 1, maximum: 86_400 }),
    num_samples: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    meta: Type.Object({ termination_reason: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
    value: Type.Object(
      { type: Type.Literal('COUNT'), value: Type.String({ pattern: '^[0-9]{1,7}$' }) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type RumMeasurement = Static<typeof RumMeasurement>;

/** What `payload` holds, once parsed: one report of one entitlement of one device. */
export const RumPayload = Type.Object(
  {
    version: Type.Literal('2.0'),
    asset_identification: Type.Object(
      {
        /** Epoch seconds at the report's opening; unique per device (§9.4). */
        report_id: EpochS,
        asset: Type.Object({ name: Type.String({ maxLength: 255 }) }, { additionalProperties: false }),
        instance: Type.Object({ sudi: Sudi }, { additionalProperties: false }),
      },
      { additionalProperties: false },
    ),
    meta: Type.Object(
      {
        entitlement_tag: EntitlementTag,
        software_version: Type.String({ maxLength: 64 }),
        ha_udi: Type.Array(Type.Object({ role: Type.String({ maxLength: 16 }), sudi: Sudi }), { maxItems: 16 }),
      },
      { additionalProperties: false },
    ),
    measurements: Type.Array(RumMeasurement, { maxItems: 10_000 }),
  },
  { additionalProperties: false },
);
export type RumPayload = Static<typeof RumPayload>;

/**
 * A signed report as it travels: `payload` is the RumPayload's JSON text, `value` the device's base64
 * signature over exactly those bytes, `key` the device's base64 SPKI public key (the lab's stand-in for the
 * SUDI key). The cloud pins the first key a UDI reports with, and a trust code binds it (trust-code payload).
 */
export const RumReport = Type.Object(
  {
    payload: Type.String({ minLength: 2, maxLength: 1_000_000 }),
    signature: Type.Object(
      {
        sudi: Sudi,
        signing_type: Type.Literal('builtin'),
        key: Type.String({ minLength: 1, maxLength: 4096 }),
        value: Type.String({ minLength: 1, maxLength: 1024 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type RumReport = Static<typeof RumReport>;

/** Devices cap stored reports (FN72578: `SmartAgentTelemetryRumReportMax: 600`, §9.4). */
export const RUM_REPORT_MAX = 600;
/** Usage is sampled every 15 minutes (§9.4). */
export const RUM_SAMPLE_INTERVAL_S = 900;

// ----------------------------------------------------------------------------------- signed documents

export const DOCUMENT_KINDS = ['RUM_ACK', 'POLICY', 'TRUST_CODE', 'SLAC', 'RESERVATION'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** A cloud-signed document: `payload` is JSON text, `signature` base64 over its UTF-8 bytes, `kid` the key. */
export const SignedDocument = Type.Object(
  {
    kind: Type.Union(DOCUMENT_KINDS.map((k) => Type.Literal(k))),
    payload: Type.String({ minLength: 2, maxLength: 1_000_000 }),
    signature: Type.String({ minLength: 1, maxLength: 1024 }),
    kid: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type SignedDocument = Static<typeof SignedDocument>;

/** The payload of a RUM_ACK: which reports of which device the cloud accepted, and what it sends back. */
export const AckPayload = Type.Object(
  {
    sudi: Sudi,
    report_ids: Type.Array(EpochS, { maxItems: RUM_REPORT_MAX }),
    acknowledged_at: EpochMs,
    smart_account: Type.String({ maxLength: 255 }),
    virtual_account: Type.String({ maxLength: 255 }),
    /** A new policy rides on the ACK when the VA's policy changed (§9.4 Import kinds). */
    policy: Type.Optional(Policy),
  },
  { additionalProperties: false },
);
export type AckPayload = Static<typeof AckPayload>;

/** The payload of a POLICY document (installed by `license smart import` or with an ACK). */
export const PolicyPayload = Type.Object(
  { policy: Policy, issued_at: EpochMs, sudi: Type.Optional(Sudi) },
  { additionalProperties: false },
);
export type PolicyPayload = Static<typeof PolicyPayload>;

/** A trust code binds a UDI to its key for direct reporting (§9.5: valid ~8 years, backdated 5 minutes). */
export const TrustCodePayload = Type.Object(
  {
    sudi: Sudi,
    public_key: Type.String({ minLength: 1, maxLength: 4096 }),
    issued_at: EpochMs,
    valid_from: EpochMs,
    valid_until: EpochMs,
    smart_account: Type.String({ maxLength: 255 }),
    virtual_account: Type.String({ maxLength: 255 }),
    export_controlled: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type TrustCodePayload = Static<typeof TrustCodePayload>;
export const TRUST_CODE_VALIDITY_DAYS = 2924;
/** The device clock must be within this of the cloud's to install a trust code (§9.5). */
export const TRUST_CLOCK_WINDOW_MS = 3_600_000;

const Key = Type.Object(
  { entitlement: EntitlementTag, count: Type.Integer({ minimum: 0, maximum: 1_000_000 }) },
  { additionalProperties: false },
);

/** The payload of a SLAC: the enforced / export-controlled licenses a UDI may use. */
export const SlacPayload = Type.Object(
  { sudi: Sudi, keys: Type.Array(Key, { maxItems: 64 }), issued_at: EpochMs, confirm_code: Type.String() },
  { additionalProperties: false },
);
export type SlacPayload = Static<typeof SlacPayload>;

// ------------------------------------------------------------------------------------- request bodies

const Hostname = Type.String({ minLength: 1, maxLength: 63, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' });

export const ReportUsageRequest = Type.Object(
  {
    data: Type.Object(
      {
        ...Envelope,
        reports: Type.Array(
          Type.Object(
            {
              sudi: Sudi,
              hostname: Type.Optional(Hostname),
              software_tag_identifier: Type.Optional(Type.String({ maxLength: 255 })),
              usage: Type.Array(RumReport, { minItems: 1, maxItems: RUM_REPORT_MAX }),
            },
            { additionalProperties: false },
          ),
          { minItems: 1, maxItems: 1000 },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type ReportUsageRequest = Static<typeof ReportUsageRequest>;

export const AuthRequest = Type.Object(
  {
    data: Type.Object(
      {
        ...Envelope,
        licenses: Type.Array(
          Type.Object(
            {
              sudi: Sudi,
              hostname: Type.Optional(Hostname),
              keys: Type.Array(Key, { maxItems: 64 }),
              /** With `keys: []`: a return of the SLAC this code confirms. */
              remove_code: Type.Optional(Type.String({ maxLength: 64 })),
              confirm_code: Type.Optional(Type.String({ maxLength: 64 })),
            },
            { additionalProperties: false },
          ),
          { minItems: 1, maxItems: 1000 },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type AuthRequest = Static<typeof AuthRequest>;

export const POLL_ACTIONS = ['acknowledgements', 'authorizations'] as const;
export type PollAction = (typeof POLL_ACTIONS)[number];

/** `poll_id` is an integer beyond 2^53 on the wire (cssm-api.md §1.3.11); JavaScript keeps it as its digits. */
export const PollId = Type.String({ pattern: '^[0-9]{1,20}$' });

export const PollRequest = Type.Object(
  {
    data: Type.Object(
      { ...Envelope, poll_id: PollId, action: Type.Union(POLL_ACTIONS.map((a) => Type.Literal(a))) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type PollRequest = Static<typeof PollRequest>;

/** Direct transport only: the device asks for a trust code with a VA token (`license smart trust idtoken`). */
export const TrustRequest = Type.Object(
  {
    data: Type.Object(
      {
        ...Envelope,
        sudi: Sudi,
        hostname: Hostname,
        id_token: Type.String({ minLength: 1, maxLength: 255 }),
        public_key: Type.String({ minLength: 1, maxLength: 4096 }),
        force: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type TrustRequest = Static<typeof TrustRequest>;

// ------------------------------------------------------------------------------------ response bodies

/** 202 reply to an upload or an authorization request (cssm-api.md §1.3.11). */
export const PollAccepted = Type.Object({
  status: Type.Literal('OK_POLL'),
  poll_id: PollId,
  poll_interval: Type.Integer({ description: 'seconds' }),
  action: Type.Union(POLL_ACTIONS.map((a) => Type.Literal(a))),
  timestamp: EpochMs,
  nonce: Type.String(),
});
export type PollAccepted = Static<typeof PollAccepted>;

/** `smart_license` is the base64 of a SignedDocument's JSON. */
export const DeviceResult = Type.Object({
  sudi: Sudi,
  smart_license: Type.String(),
  status: Type.Union([Type.Literal('SUCCESS'), Type.Literal('FAILED')]),
  status_message: Type.Union([Type.String(), Type.Null()]),
});
export type DeviceResult = Static<typeof DeviceResult>;

export const PollResponse = Type.Union([
  Type.Object({ status: Type.Literal('OK_POLL'), poll_id: PollId, message: Type.String() }),
  Type.Object({
    status: Type.Literal('COMPLETE'),
    type: Type.Union(POLL_ACTIONS.map((a) => Type.Literal(a))),
    data: Type.Object({
      acknowledgements: Type.Optional(Type.Array(DeviceResult)),
      authorizations: Type.Optional(Type.Array(DeviceResult)),
    }),
  }),
  Type.Object({ status: Type.Literal('FAILED'), message: Type.String() }),
]);
export type PollResponse = Static<typeof PollResponse>;

/** `poll_interval` of every OK_POLL, in seconds, as swapi answers (cssm-api.md §1.3.11). */
export const SLP_POLL_INTERVAL_S = 300;

/**
 * JSON.parse that keeps every numeric `poll_id` as its digits (the reviver's source text), so an id beyond
 * 2^53 never passes through a double. Parse SLP bodies with it on both sides.
 */
export function parseSlpJson(text: string): unknown {
  return JSON.parse(text, (key: string, value: unknown, context?: { source?: string }) =>
    key === 'poll_id' && typeof value === 'number' && context?.source !== undefined ? context.source : value,
  );
}

/** A poll id for JSON.stringify: written as a bare JSON number of its digits, as swapi sends it. */
export function pollIdJson(pollId: string): unknown {
  if (!/^(0|[1-9][0-9]{0,19})$/.test(pollId))
    throw new RangeError(`poll id ${JSON.stringify(pollId)} is not an integer of up to 20 digits`);
  return (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(pollId);
}

export const TrustResponse = Type.Object({ status: Type.Literal('SUCCESS'), smart_license: Type.String() });
export type TrustResponse = Static<typeof TrustResponse>;

// -------------------------------------------------------------------------------------------- paths

/** The last path segment of each SLP operation, after whatever base a device is pointed at. */
export const SLP_OPERATION_SUFFIX = {
  reportUsage: '/reportusage',
  authRequest: '/authrequest',
  poll: '/poll',
  trust: '/trust',
} as const;
export type SlpOperation = keyof typeof SLP_OPERATION_SUFFIX;

/**
 * The paths of every operation under one base. A device in CSLU mode appends the suffix to the URL it is
 * configured with (`license smart url cslu http://cslu:8182/cslu/v1/pi` posts usage to
 * `/cslu/v1/pi/reportusage`; SSM On-Prem's `…/cslu/v1/pi/<VA>-1` the same way); CSLU and On-Prem serve no
 * `trust` (a trust code is only needed for direct reporting, smart-licensing.md §9.5).
 */
export function slpPathsUnder(base: string): Record<SlpOperation, string> {
  const root = base.replace(/\/+$/, '');
  return {
    reportUsage: root + SLP_OPERATION_SUFFIX.reportUsage,
    authRequest: root + SLP_OPERATION_SUFFIX.authRequest,
    poll: root + SLP_OPERATION_SUFFIX.poll,
    trust: root + SLP_OPERATION_SUFFIX.trust,
  };
}

/** A device's own (direct, Smart transport) SLP paths, signed with its key like every device request. */
export const slpDevicePaths = slpPathsUnder(`${DEVICE_BASE}/slp`);

/** The same bodies on the cloud's API for CSLU and tools (OAuth bearer, X-CSW-* headers; §1.3.11). */
export const slpApiPaths = {
  reportUsage: '/services/api/smart-accounts-and-licensing/v2/devices/reportusage',
  authRequest: '/services/api/smart-accounts-and-licensing/v2/devices/authrequest',
  poll: '/services/api/smart-accounts-and-licensing/v2/accounts/poll',
  /** SSM On-Prem's synchronization (satellite-sync.ts). */
  satelliteSync: SATELLITE_SYNC_PATH,
} as const;

/** CSLU's (and SSM On-Prem's `…/pi/<VA>-1`) product-instance endpoint (cssm-api.md §4). */
export const CSLU_PI_BASE = '/cslu/v1/pi';
export const CSLU_DEFAULT_PORT = 8182;

export const slpSchemas = {
  reportUsage: { request: ReportUsageRequest, response: PollAccepted },
  authRequest: { request: AuthRequest, response: PollAccepted },
  poll: { request: PollRequest, response: PollResponse },
  trust: { request: TrustRequest, response: TrustResponse },
} as const satisfies Record<string, { request: TSchema; response: TSchema }>;
