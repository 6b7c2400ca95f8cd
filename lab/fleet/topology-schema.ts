/**
 * The topology file's shape (TypeBox): the same schema validates files at load and is published as JSON
 * Schema (scenarios/topologies/topology.schema.json) for editor completion. Values the schema cannot
 * judge (PIDs, releases, boot levels, timer names) are checked against the device registry afterwards.
 */
import { Type, type Static } from '@sinclair/typebox';

import { FaultSpecSchema } from '../faults/fault-spec.ts';
import { DurationSchema as Duration } from './duration.ts';

const Name = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$', maxLength: 63 });

const Arrival = Type.Object(
  {
    shape: Type.Union([Type.Literal('all-at-once'), Type.Literal('waves'), Type.Literal('jittered')], {
      description: 'all at once; in equal waves over the window; or at seeded random times in the window',
    }),
    window: Type.Optional(Duration),
    waves: Type.Optional(Type.Integer({ minimum: 1, description: 'number of waves (shape waves; default 4)' })),
    at: Type.Optional(Duration),
  },
  { additionalProperties: false, description: 'when the devices are told to register, from the lab first start' },
);

const Cloud = Type.Object(
  {
    account: Type.Optional(Type.String({ description: 'smart account domain' })),
    virtualAccount: Type.Optional(Type.String()),
    token: Type.Optional(
      Type.String({ description: 'registration token; ${ENV_VAR} and ${ENV_VAR:-fallback} are replaced' }),
    ),
  },
  { additionalProperties: false },
);

const LoggingHost = Type.Object(
  {
    address: Type.String({ description: 'syslog collector, IPv4 address or host name' }),
    transport: Type.Optional(Type.Union([Type.Literal('udp'), Type.Literal('tcp'), Type.Literal('tls')])),
    port: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 65535, description: 'default 514/udp, 601/tcp, 6514/tls' }),
    ),
    format: Type.Optional(
      Type.Union([Type.Literal('ios'), Type.Literal('rfc5424')], { description: 'default ios (what IOS sends)' }),
    ),
  },
  { additionalProperties: false },
);

const Logging = Type.Object(
  {
    hosts: Type.Optional(Type.Array(LoggingHost, { description: '`logging host` entries' })),
    trap: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0, maximum: 7 }), Type.String()], {
        description: '`logging trap`: 0-7 or emergencies … debugging (default informational)',
      }),
    ),
    facility: Type.Optional(Type.String({ description: '`logging facility` (default local7)' })),
    originId: Type.Optional(Type.String({ description: '`logging origin-id`: hostname, ip or "string <text>"' })),
  },
  { additionalProperties: false, description: "the devices' factory remote logging configuration" },
);

const Snmp = Type.Object(
  {
    enable: Type.Optional(
      Type.Array(Type.Union([Type.Literal('license'), Type.Literal('smart-license')]), {
        description: '`snmp-server enable traps …`: which notifications are sent',
      }),
    ),
    hosts: Type.Optional(
      Type.Array(
        Type.Object(
          {
            address: Type.String(),
            port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'default 162' })),
            informs: Type.Optional(Type.Boolean({ description: 'informs (acknowledged) instead of traps' })),
            version: Type.Optional(Type.Union([Type.Literal('2c'), Type.Literal('3')])),
            community: Type.Optional(Type.String({ description: 'version 2c (default public)' })),
            user: Type.Optional(Type.String({ description: 'version 3: a name from users' })),
            level: Type.Optional(Type.Union([Type.Literal('noauth'), Type.Literal('auth'), Type.Literal('priv')])),
          },
          { additionalProperties: false },
        ),
        { description: '`snmp-server host` entries' },
      ),
    ),
    communities: Type.Optional(
      Type.Array(Type.String(), {
        description: '`snmp-server community <name> RO`: the device answers `<name>@<hostname>` on the lab SNMP agent',
      }),
    ),
    contact: Type.Optional(Type.String({ description: '`snmp-server contact`: sysContact.0' })),
    location: Type.Optional(Type.String({ description: '`snmp-server location`: sysLocation.0' })),
    users: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String(),
            group: Type.Optional(Type.String()),
            auth: Type.Optional(Type.Union([Type.Literal('sha'), Type.Literal('md5')])),
            authKey: Type.Optional(Type.String({ minLength: 8 })),
            priv: Type.Optional(Type.Union([Type.Literal('aes'), Type.Literal('des')])),
            privKey: Type.Optional(Type.String({ minLength: 8 })),
          },
          { additionalProperties: false },
        ),
        { description: '`snmp-server user … v3` entries' },
      ),
    ),
  },
  { additionalProperties: false, description: "the devices' factory SNMP configuration" },
);

const Slp = Type.Object(
  {
    transport: Type.Optional(
      Type.Union([Type.Literal('smart'), Type.Literal('cslu'), Type.Literal('callhome'), Type.Literal('off')], {
        description: '`license smart transport` (17.x default cslu: the device looks for cslu-local, the lab CSLU)',
      }),
    ),
    csluUrl: Type.Optional(Type.String({ description: '`license smart url cslu <url>`' })),
    smartUrl: Type.Optional(Type.String({ description: '`license smart url smart <url>`' })),
    usageInterval: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3650, description: '`license smart usage interval <days>`' }),
    ),
  },
  {
    additionalProperties: false,
    description: "SLP devices' factory reporting configuration; with transport smart, cloud.token is the trust idtoken",
  },
);

const Cslu = Type.Union(
  [
    Type.Object(
      { offline: Type.Literal(true) },
      { additionalProperties: false, description: 'not connected to the cloud: usage leaves by export file' },
    ),
    Type.Object(
      {
        account: Type.String({ description: 'smart account domain it reports for' }),
        virtualAccount: Type.Optional(Type.String({ description: 'default DEFAULT' })),
        clientId: Type.String({ description: "an API client of the cloud seed's apiClients" }),
        clientSecret: Type.String(),
      },
      { additionalProperties: false },
    ),
  ],
  { description: "the lab's own CSLU, at cslu-local and cslu.lab (SLP devices in CSLU mode find it)" },
);

const OnPrem = Type.Object(
  {
    seed: Type.Union([Type.String(), Type.Object({}, { additionalProperties: true })], {
      description: "the On-Prem's own accounts, VAs and tokens: a seed file path (relative to this file) or inline",
    }),
    cssm: Type.Optional(
      Type.Object(
        {
          account: Type.String({ description: 'the CSSM smart account domain its relays and sync use' }),
          clientId: Type.String({ description: "an API client of the cloud seed's apiClients" }),
          clientSecret: Type.String(),
        },
        { additionalProperties: false, description: 'absent: On-Prem is disconnected (usage and sync by file)' },
      ),
    ),
    satellite: Type.Optional(Type.String({ description: 'the name it gives CSSM when it synchronizes' })),
  },
  { additionalProperties: false, description: "the lab's own SSM On-Prem, at onprem.lab" },
);

const settings = {
  pid: Type.Optional(Type.String({ description: 'product ID, e.g. C9300-48P, ISR4331/K9, ASR1001-X' })),
  release: Type.Optional(Type.String({ description: 'IOS / IOS XE release, e.g. 16.12.5' })),
  licensing: Type.Optional(
    Type.Union([Type.Literal('smart'), Type.Literal('traditional'), Type.Literal('slp')], {
      description: 'the model the release runs (default: smart where it can, else slp, else traditional)',
    }),
  ),
  slp: Type.Optional(Slp),
  bootLevel: Type.Optional(Type.String({ description: 'license boot level, enforced at boot' })),
  addon: Type.Optional(Type.String({ description: 'Catalyst 9000 add-on (dna-essentials, dna-advantage)' })),
  labels: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'site, role, …' })),
  cloud: Type.Optional(Cloud),
  timers: Type.Optional(Type.Record(Type.String(), Duration, { description: 'smart licensing timer overrides' })),
  arrival: Type.Optional(Arrival),
  logging: Type.Optional(Logging),
  snmp: Type.Optional(Snmp),
};

const Settings = Type.Object(settings, { additionalProperties: false });
const Group = Type.Object(
  {
    kind: Type.Optional(Type.String()),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    name: Type.Optional(
      Type.String({ description: 'hostname template: {n}, {n:03}, {group}, {site}, {kind}; default <group>-{n}' }),
    ),
    ...settings,
  },
  { additionalProperties: false },
);
const Node = Type.Object({ kind: Type.Optional(Type.String()), ...settings }, { additionalProperties: false });

export const TopologySchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 63, description: 'names the lab directory' }),
    description: Type.Optional(Type.String()),
    start: Type.Optional(Type.String({ description: 'virtual start, ISO 8601 (2026-01-01T00:00:00Z)' })),
    speed: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'lab ms per real ms (86400: a day/s)' })),
    cloud: Type.Optional(
      Type.Object(
        {
          seed: Type.Union([Type.String(), Type.Object({}, { additionalProperties: true })], {
            description: 'seed file path (relative to this file) or an inline seed document',
          }),
        },
        { additionalProperties: false },
      ),
    ),
    cslu: Type.Optional(Cslu),
    onprem: Type.Optional(OnPrem),
    defaults: Type.Optional(Settings),
    kinds: Type.Optional(Type.Record(Name, Settings)),
    groups: Type.Optional(Type.Record(Name, Group)),
    nodes: Type.Optional(Type.Record(Name, Node)),
    faults: Type.Optional(
      Type.Array(FaultSpecSchema, { description: 'faults over time; `at` counts from the lab first start' }),
    ),
  },
  { additionalProperties: false, title: 'License Lab topology' },
);

export type TopologyDocument = Static<typeof TopologySchema>;
export type SettingsDocument = Static<typeof Settings>;
export type GroupDocument = Static<typeof Group>;
