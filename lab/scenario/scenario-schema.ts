/**
 * The scenario file's shape as JSON Schema (scenarios/scenario.schema.json), for editor completion and
 * hover help: the steps' readers (steps/*.ts) judge files and word the errors; this schema describes the
 * same shape, and tests keep both in step (every library scenario fits it, every step kind is in it).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { errorCatalogue } from '#protocol';
import { FaultSpecSchema, FAULT_KINDS } from '../faults/fault-spec.ts';
import { LICENSE_STATES } from '../fleet/fleet-summary.ts';
import { TopologySchema } from '../fleet/topology-schema.ts';
import { LICENSE_TYPES } from './steps/cloud-steps.ts';
import { POOL_STATUSES } from './steps/expect-cloud.ts';
import { INSTANCE, LICENSE_STATUSES, MNEMONIC, PHASES } from './steps/expect-step.ts';
import { PAK } from './steps/portal-steps.ts';
import { DEVICE_FILE } from './step-reader.ts';

/** Scenario durations are text (the readers refuse numbers and zero): 30d, 12h, 1h30m. */
const Duration = Type.String({
  pattern: '^(?!(0+(\\.0+)?(ms|s|m|h|d|w))+$)(\\d+(\\.\\d+)?(ms|s|m|h|d|w))+$',
  description: 'a duration: 30d, 12h, 1h30m, 90s',
});

/** One of `values`, as the readers' own lists of choices give them. */
const literals = (values: readonly string[], options = {}) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );

const On = Type.String({ description: 'devices: a hostname, a glob (lyo-sw-*), key=value (role=access), N% or all' });
const State = literals(LICENSE_STATES, { description: 'a license state as `lab status` counts them' });
const Count = Type.Integer({ minimum: 0, description: 'exactly so many (default: at least once)' });
const Pak = Type.String({ pattern: PAK.source, description: 'the PAK: 11 capital letters and digits' });
const Mnemonic = Type.String({
  pattern: MNEMONIC.source,
  description: 'AUTH_EXPIRED, or %SMART_LIC-3-AUTH_EXPIRED',
});
const LicenseType = literals(LICENSE_TYPES);

const closed = <T extends Record<string, TSchema>>(properties: T, description?: string) =>
  Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) });

/** One step: a mapping with one key, its kind. */
const step = (kind: string, value: TSchema, description: string) =>
  Type.Object({ [kind]: value }, { additionalProperties: false, required: [kind], description });

const { select: _select, ...faultFields } = FaultSpecSchema.properties;

const Expect = Type.Union([
  closed({ on: On, state: State }),
  closed({ on: On, show: Type.String(), contains: Type.String() }),
  closed({ on: On, show: Type.String(), matches: Type.String({ description: 'a regular expression (multiline)' }) }),
  closed({
    on: On,
    syslog: Type.Union([Mnemonic, Type.Array(Mnemonic, { minItems: 2, description: 'in this order' })]),
    count: Type.Optional(Count),
    within: Type.Optional(Duration),
    via: Type.Optional(Type.Literal('wire', { description: 'as the lab’s collector received it over UDP' })),
  }),
  closed({
    on: On,
    trap: Type.String({ description: 'a notification name (ciscoSlaSmartAgentNotifyIdCertExpired) or OID' }),
    count: Type.Optional(Count),
    within: Type.Optional(Duration),
    via: Type.Optional(Type.Literal('wire')),
  }),
  closed({
    on: On,
    level: Type.String({ description: 'the level (technology package) the device runs now' }),
    phase: Type.Optional(literals(PHASES, { description: 'traditional: how the license the level runs on stands' })),
  }),
  closed({
    on: On,
    feature: Type.String(),
    status: literals(LICENSE_STATUSES, { description: 'clmgmtLicenseStatus of one of the feature’s licenses' }),
  }),
  closed({
    on: On,
    instance: literals(INSTANCE),
  }),
  closed({
    pool: closed({
      account: Type.String(),
      virtualAccount: Type.String(),
      tag: Type.Optional(Type.String({ description: 'entitlement tag (or license)' })),
      license: Type.Optional(Type.String({ description: 'license name as CSSM lists it (or tag)' })),
    }),
    purchased: Type.Optional(Type.Integer({ minimum: 0 })),
    inUse: Type.Optional(Type.Integer({ minimum: 0 })),
    balance: Type.Optional(Type.Integer()),
    status: Type.Optional(literals(POOL_STATUSES)),
  }),
  closed({
    pak: closed({ account: Type.String(), pak: Pak }),
    remaining: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'SKU → units left' }),
  }),
  closed({
    cloudEvent: Type.String({ description: 'an event kind: token.revoked, licenses.transferred, …' }),
    count: Type.Optional(Count),
    contains: Type.Optional(Type.String()),
  }),
]);

const Cloud = Type.Union([
  closed({ removeInstance: On }),
  closed({ revokeToken: Type.String() }),
  closed({
    deposit: closed({
      account: Type.String(),
      virtualAccount: Type.String(),
      tag: Type.String({ description: 'entitlement tag' }),
      quantity: Type.Integer({ minimum: 1 }),
      licenseType: Type.Optional(LicenseType),
      termDays: Type.Optional(Type.Integer({ minimum: 1 })),
    }),
  }),
  closed({ removeLicenses: closed({ on: On, quantity: Type.Optional(Type.Integer({ minimum: 1 })) }) }),
  closed({
    transfer: closed({
      account: Type.String(),
      from: Type.String({ description: 'virtual account' }),
      to: Type.String({ description: 'virtual account' }),
      tag: Type.String({ description: 'entitlement tag' }),
      quantity: Type.Integer({ minimum: 1 }),
      licenseType: Type.Optional(LicenseType),
    }),
  }),
]);

const File = Type.String({ pattern: DEVICE_FILE.source, description: 'a file on the device' });
const To = Type.Optional(File);
const Refused = Type.Optional(
  literals(Object.keys(errorCatalogue), { description: 'the error code the portal must refuse it with' }),
);
const Portal = Type.Union([
  closed({
    addPak: closed({
      account: Type.String(),
      pak: Pak,
      items: Type.Array(closed({ sku: Type.String(), quantity: Type.Integer({ minimum: 1 }) }), { minItems: 1 }),
    }),
    refused: Refused,
  }),
  closed({
    fulfil: closed({
      account: Type.String(),
      pak: Pak,
      on: Type.String({ description: 'the device (hostname) whose UDI the licenses are locked to' }),
      skus: Type.Array(
        Type.Union([
          Type.String(),
          closed({ sku: Type.String(), quantity: Type.Optional(Type.Integer({ minimum: 1 })) }),
        ]),
        { minItems: 1 },
      ),
      to: To,
    }),
    refused: Refused,
  }),
  closed({ resend: closed({ account: Type.String(), on: Type.String(), to: To }), refused: Refused }),
  closed({ rma: closed({ account: Type.String(), on: Type.String(), to: To }), refused: Refused }),
  closed({
    permissionTicket: closed({
      account: Type.String(),
      on: Type.String(),
      features: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
      to: File,
    }),
    refused: Refused,
  }),
  closed({
    rehost: closed({ account: Type.String(), from: Type.String(), ticket: File, on: Type.String(), to: To }),
    refused: Refused,
  }),
]);

const Va = { account: Type.String(), virtualAccount: Type.String() };
const Slp = Type.Union([
  closed({
    usageFile: closed({
      ...Va,
      on: Type.String({ description: 'the device (hostname) whose usage file is carried' }),
      file: File,
      ackTo: File,
    }),
  }),
  closed({ csluExchange: closed(Va) }),
]);

/** Every step kind, keyed by the word it is written with (tests check it against STEP_KINDS). */
export const STEP_SCHEMAS: Record<string, TSchema> = {
  advance: step('advance', Duration, 'move lab time on'),
  runUntil: step(
    'runUntil',
    closed({ on: On, state: State, within: Duration }),
    'run lab time until every selected device is in the state',
  ),
  cli: step(
    'cli',
    closed({
      on: On,
      run: Type.String({ minLength: 1, description: 'an IOS command line' }),
      refused: Type.Optional(Type.Boolean({ description: 'the device must refuse it' })),
      contains: Type.Optional(Type.String({ description: 'text the output must contain' })),
    }),
    'type a command at the devices',
  ),
  reload: step('reload', On, 'reload (configuration saved) and wait until the devices run'),
  powerLoss: step('powerLoss', On, 'cut the power (nothing saved) and wait until the devices run'),
  rma: step(
    'rma',
    closed({
      replace: Type.String({ description: 'the hostname whose chassis fails' }),
      pid: Type.Optional(Type.String({ description: 'the new chassis’s PID (default the same)' })),
      release: Type.Optional(Type.Boolean({ description: 'remove the failed one’s product instance (default true)' })),
    }),
    'swap a failed chassis for a new one (new serial) that registers',
  ),
  upgrade: step(
    'upgrade',
    closed({ on: On, release: Type.String({ description: 'a release of the platform, e.g. 16.9.6' }) }),
    'install another image of the same platform for the next reload (a maintenance upgrade)',
  ),
  fault: step(
    'fault',
    closed({
      name: Type.Optional(Type.String({ description: 'for clear; default the kind' })),
      on: On,
      ...faultFields,
      kind: literals(FAULT_KINDS, { description: 'what goes wrong (lab fault kinds --help)' }),
    }),
    'start one of the lab’s faults',
  ),
  clear: step('clear', Type.String({ description: 'a fault name, or all' }), 'end a fault'),
  cloud: step('cloud', Cloud, 'an operation in CSSM (Smart Licensing)'),
  portal: step('portal', Portal, 'an operation in the license registration portal (PAKs, license files)'),
  slp: step('slp', Slp, 'carry Smart Licensing Using Policy usage and ACK files between a site and CSSM'),
  expect: step('expect', Expect, 'what must hold now'),
};

export const ScenarioSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    topology: Type.Union([Type.String({ description: 'topology file, relative to this file' }), TopologySchema]),
    cloud: Type.Optional(
      closed({
        seed: Type.Union([Type.String(), Type.Object({}, { additionalProperties: true })], {
          description: 'seed file path (relative to this file) or an inline seed, in place of the topology’s',
        }),
      }),
    ),
    seed: Type.Optional(Type.Integer({ minimum: 0, description: 'which devices shares such as 10% pick' })),
    steps: Type.Array(Type.Union(Object.values(STEP_SCHEMAS)), { minItems: 1 }),
  },
  { additionalProperties: false, title: 'License Lab scenario' },
);
