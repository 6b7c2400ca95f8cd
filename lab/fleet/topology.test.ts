import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '#protocol';
import { TOPOLOGY_SCHEMA_FILE, topologyJsonSchemaText } from './topology-json-schema.ts';
import { loadTopology, parseTopology, TopologyError, type Topology } from './topology.ts';

const FILE = '/labs/t.topology.yaml';
const parse = (text: string, env: Record<string, string> = {}) => parseTopology(text, FILE, env);
const TOPOLOGIES = new URL('../../scenarios/topologies/', import.meta.url);

/** The error a text gives, as `line:column: message` (the file name is FILE). */
function errorOf(text: string, env: Record<string, string> = {}): string {
  try {
    parse(text, env);
  } catch (err) {
    if (!(err instanceof TopologyError)) throw err;
    expect(err.message.startsWith(`${FILE}:${err.line}:${err.column}: `)).toBe(true);
    return `${err.line}:${err.column}: ${err.message.slice(FILE.length + `:${err.line}:${err.column}: `.length)}`;
  }
  throw new Error('the topology loaded');
}

const byHost = (t: Topology) => Object.fromEntries(t.nodes.map((n) => [n.hostname, n]));

describe('parseTopology', () => {
  it('inherits defaults → kinds → groups and nodes, merging labels, timers and cloud key by key', () => {
    const t = parse(`
name: inherit
defaults:
  licensing: smart
  labels: { site: paris, tier: gold }
  timers: { authRenewal: 10d }
  cloud: { account: acme.example, virtualAccount: DEFAULT, token: T-DEFAULT }
kinds:
  c9300:
    pid: C9300-48P
    bootLevel: network-advantage
    labels: { role: access }
    timers: { commRetryFirst: 2h }
groups:
  floor:
    kind: c9300
    count: 2
    labels: { site: lyon }
    cloud: { virtualAccount: floors }
nodes:
  core:
    kind: c9300
    pid: C9300-24P
    addon: dna-advantage
    cloud: { token: T-CORE }
`);
    expect(t.nodes.map((n) => n.hostname)).toEqual(['floor-1', 'floor-2', 'core']);
    const { 'floor-1': floor, core } = byHost(t);
    expect(floor).toMatchObject({
      kind: 'c9300',
      group: 'floor',
      pid: 'C9300-48P',
      licensing: 'smart',
      bootLevel: 'network-advantage',
      labels: { site: 'lyon', tier: 'gold', role: 'access', group: 'floor' },
      timers: { authRenewal: 10 * 24 * HOUR, commRetryFirst: 2 * HOUR },
      cloud: { account: 'acme.example', virtualAccount: 'floors', token: 'T-DEFAULT' },
      arrivalMs: 0,
      serialSequence: 1,
    });
    expect(core).toMatchObject({
      group: undefined,
      pid: 'C9300-24P',
      addon: 'dna-advantage',
      labels: { site: 'paris', tier: 'gold', role: 'access' },
      cloud: { account: 'acme.example', virtualAccount: 'DEFAULT', token: 'T-CORE' },
      serialSequence: 3,
    });
    expect(core!.labels).not.toHaveProperty('group');
  });

  it('names group members by template: {n}, zero padding, {group}, {kind} and labels', () => {
    const t = parse(`
name: names
kinds: { edge: { pid: ISR4331/K9 } }
groups:
  wan:
    kind: edge
    count: 3
    name: '{site}-{kind}-{group}-{n:03}'
    labels: { site: lyon }
  plain: { pid: C9300-24P, count: 2 }
`);
    expect(t.nodes.map((n) => n.hostname)).toEqual([
      'lyon-edge-wan-001',
      'lyon-edge-wan-002',
      'lyon-edge-wan-003',
      'plain-1',
      'plain-2',
    ]);
  });

  it('picks the licensing mode from the release when none is set, and refuses a mode the release lacks', () => {
    const t = parse(`
name: modes
nodes:
  old: { pid: ISR4331/K9, release: 16.9.6 }
  new: { pid: ISR4331/K9, release: 16.12.5 }
`);
    expect(byHost(t).old!.licensing).toBe('traditional');
    expect(byHost(t).new!.licensing).toBe('smart');
    expect(errorOf('name: m\nnodes:\n  r: { pid: ISR4331/K9, release: 16.9.6, licensing: smart }\n')).toBe(
      '3:53: ISR4331/K9 16.9.6 has no smart licensing; releases with it: 16.12.5',
    );
  });

  it("names the lab's SSM On-Prem: its seed read (path or inline), its CSSM login, its name; a bad seed fails at onprem.seed", () => {
    const t = parse(`
name: campus
onprem:
  seed: { accounts: [{ name: Example Corp, domain: example.com }] }
  cssm: { account: example.com, clientId: lab-example-admin, clientSecret: lab-example-admin-secret }
  satellite: campus-onprem
nodes:
  sw: { pid: C9300-24P, release: 17.9.4 }
`);
    expect(t.onprem).toEqual({
      seed: JSON.stringify({ accounts: [{ name: 'Example Corp', domain: 'example.com' }] }),
      cssm: { account: 'example.com', clientId: 'lab-example-admin', clientSecret: 'lab-example-admin-secret' },
      satellite: 'campus-onprem',
    });
    expect(parse('name: m\nnodes:\n  r: { pid: C9300-24P }\n').onprem).toBeUndefined();
    expect(errorOf('name: m\nonprem: { seed: no-such.yaml }\nnodes:\n  r: { pid: C9300-24P }\n')).toMatch(
      /^2:\d+: cannot read seed file .*no-such\.yaml \(no such file\)$/,
    );
    expect(errorOf('name: m\nonprem: { seed: { accounts: 3 } }\nnodes:\n  r: { pid: C9300-24P }\n')).toMatch(
      /^2:\d+: /,
    );
  });

  it('runs SLP on 17.x releases, with the factory reporting configuration and the lab CSLU it names', () => {
    const t = parse(`
name: slp
cslu: { account: example.com, clientId: lab-example-admin, clientSecret: lab-example-admin-secret }
nodes:
  sw: { pid: C9300-24P, release: 17.9.4 }
  direct: { pid: C9300-24P, release: 17.9.4, slp: { transport: smart, usageInterval: 7 } }
`);
    expect(byHost(t).sw!.licensing).toBe('slp');
    expect(byHost(t).sw!.slp).toBeUndefined();
    expect(byHost(t).direct!.slp).toEqual({ transport: 'smart', usageIntervalDays: 7 });
    expect(t.cslu).toEqual({
      account: 'example.com',
      clientId: 'lab-example-admin',
      clientSecret: 'lab-example-admin-secret',
    });
    expect(errorOf('name: m\nnodes:\n  r: { pid: C9300-24P, release: 16.12.4, slp: { transport: off } }\n')).toBe(
      '3:47: slp settings are for devices running Smart Licensing Using Policy (17.x releases), not smart',
    );
    expect(
      errorOf('name: m\nnodes:\n  r: { pid: C9300-24P, release: 17.9.4, slp: { csluUrl: "http://cslu:99999/" } }\n'),
    ).toMatch(/csluUrl must be an http\(s\) URL/);
    expect(errorOf('name: m\nnodes:\n  r: { pid: C9300-24P, release: 17.9.4, slp: { csluUrl: cslu } }\n')).toMatch(
      /^3:\d+: csluUrl must be an http\(s\) URL like http:\/\/cslu\.lab:8182\/cslu\/v1\/pi, got "cslu"$/,
    );
  });

  it('spreads arrivals: all at once, equal waves over the window, a seeded jitter inside it', () => {
    const t = parse(`
name: arrivals
groups:
  now: { pid: C9300-24P, count: 2, arrival: { shape: all-at-once, at: 1h } }
  waves: { pid: C9300-24P, count: 6, arrival: { shape: waves, waves: 3, window: 30m, at: 10m } }
  jitter: { pid: C9300-24P, count: 50, arrival: { shape: jittered, window: 2h } }
  default-waves: { pid: C9300-24P, count: 8, arrival: { shape: waves } }
`);
    const arrivals = (group: string) => t.nodes.filter((n) => n.group === group).map((n) => n.arrivalMs);
    expect(arrivals('now')).toEqual([HOUR, HOUR]);
    expect(arrivals('waves')).toEqual([10, 10, 20, 20, 30, 30].map((m) => m * MINUTE));
    // Four waves over ten minutes by default.
    expect(new Set(arrivals('default-waves'))).toEqual(new Set([0, 2.5, 5, 7.5].map((m) => m * MINUTE)));
    const jitter = arrivals('jitter');
    expect(jitter.every((ms) => ms >= 0 && ms < 2 * HOUR)).toBe(true);
    expect(new Set(jitter).size).toBeGreaterThan(40);
    // The same file gives the same arrivals.
    expect(
      parse(`
name: arrivals
groups:
  jitter: { pid: C9300-24P, count: 50, arrival: { shape: jittered, window: 2h } }
`).nodes.map((n) => n.arrivalMs),
    ).toEqual(jitter);
  });

  it('replaces ${VAR} and ${VAR:-fallback} in tokens from the environment', () => {
    const text =
      'name: env\ndefaults: { cloud: { token: "${TOKEN_A}/${TOKEN_B:-fallback}" } }\nnodes: { r: { pid: C9300-24P } }\n';
    expect(parse(text, { TOKEN_A: 'a' }).nodes[0]!.cloud.token).toBe('a/fallback');
    expect(parse(text, { TOKEN_A: 'a', TOKEN_B: 'b' }).nodes[0]!.cloud.token).toBe('a/b');
    expect(errorOf(text)).toBe(
      '2:29: the token needs environment variable TOKEN_A, which is not set (or write ${TOKEN_A:-default})',
    );
  });

  it('reads a seed file relative to the topology, or an inline seed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'topology-'));
    writeFileSync(join(dir, 'seed.yaml'), 'accounts: [{ name: A, domain: a.example }]\n');
    writeFileSync(
      join(dir, 'lab.topology.yaml'),
      'name: s\ncloud: { seed: seed.yaml }\nnodes: { r: { pid: C9300-24P } }\n',
    );
    const fromFile = loadTopology(join(dir, 'lab.topology.yaml'), {});
    expect(fromFile.seed).toEqual({
      text: 'accounts: [{ name: A, domain: a.example }]\n',
      source: join(dir, 'seed.yaml'),
    });
    const inline = parse(
      'name: s\ncloud: { seed: { accounts: [{ name: A, domain: a.example }] } }\nnodes: { r: { pid: C9300-24P } }\n',
    );
    expect(JSON.parse(inline.seed!.text)).toEqual({ accounts: [{ name: 'A', domain: 'a.example' }] });
    expect(inline.seed!.source).toBe(`${FILE} (cloud.seed)`);
  });
});

describe('topology errors: file:line:column, what was expected, the valid choices', () => {
  const cases: [string, string, string][] = [
    ['YAML syntax', 'name: x\nnodes: {\n', '3:1: not valid YAML: '],
    ['not a mapping', '- a\n- b\n', '1:1: a topology is a mapping with name, defaults, kinds, groups and nodes'],
    ['no name', 'nodes: { r: { pid: C9300-24P } }\n', '1:1: missing "name"'],
    [
      'unknown top-level key',
      'name: x\nnodez: {}\n',
      '2:1: unknown key "nodez"; valid keys: $schema, name, description, start, speed, cloud, cslu, onprem, defaults, kinds, groups, nodes, faults',
    ],
    [
      'unknown node key',
      'name: x\nnodes:\n  r: { pid: C9300-24P, colour: red }\n',
      '3:24: unknown key "colour"; valid keys: kind, pid, release, licensing, slp, bootLevel, addon, labels, cloud, timers, arrival, logging, snmp',
    ],
    [
      'bad licensing',
      'name: x\nnodes:\n  r: { pid: C9300-24P, licensing: smrt }\n',
      '3:35: licensing must be one of smart, traditional, slp, got "smrt"',
    ],
    [
      'bad arrival shape',
      'name: x\ngroups:\n  g: { pid: C9300-24P, arrival: { shape: burst } }\n',
      '3:42: shape must be one of all-at-once, waves, jittered, got "burst"',
    ],
    [
      'bad duration',
      'name: x\ngroups:\n  g: { pid: C9300-24P, arrival: { shape: waves, window: soon } }\n',
      '3:57: window must be a duration: 90d, 12h, 1h30m, 500ms, 2w; or a number of ms, got "soon"',
    ],
    [
      'waves on another shape',
      'name: x\ngroups:\n  g: { pid: C9300-24P, arrival: { shape: jittered, waves: 3 } }\n',
      '3:52: waves belongs to shape waves, not jittered',
    ],
    [
      'count below 1',
      'name: x\ngroups:\n  g: { pid: C9300-24P, count: 0 }\n',
      '3:31: count: expected integer to be greater or equal to 1, got 0',
    ],
    [
      'bad lab name',
      'name: My Lab\nnodes: { r: { pid: C9300-24P } }\n',
      '1:7: name: expected string to match \'^[a-z0-9][a-z0-9-]*$\', got "My Lab"',
    ],
    [
      'bad start',
      'name: x\nstart: yesterday\nnodes: { r: { pid: C9300-24P } }\n',
      '2:8: start must be an ISO 8601 time like 2026-01-01T00:00:00Z, got "yesterday"',
    ],
    ['no devices', 'name: x\n', '1:1: a topology needs at least one entry under groups or nodes'],
    [
      'no pid',
      'name: x\nnodes:\n  r: { labels: { site: a } }\n',
      '3:3: no pid for these devices: set pid here, in their kind or in defaults',
    ],
    [
      'unknown kind',
      'name: x\nkinds: { a: {} }\nnodes:\n  r: { kind: b, pid: C9300-24P }\n',
      '4:14: unknown kind "b"; kinds in this file: a',
    ],
    [
      'unknown timer',
      'name: x\ndefaults: { timers: { renewEvery: 1d } }\nnodes: { r: { pid: C9300-24P } }\n',
      '2:23: unknown timer "renewEvery"; valid timers: ',
    ],
    [
      'bad hostname',
      'name: x\nnodes:\n  9r: { pid: C9300-24P }\n',
      '3:3: hostname "9r" is not a valid IOS hostname (a letter, then letters, digits, hyphens; 63 at most)',
    ],
    [
      'bad template placeholder',
      'name: x\ngroups:\n  g: { pid: C9300-24P, name: "sw-{site}" }\n',
      '3:30: name template {site}: valid placeholders are {n}, {n:03}, {group}, {kind} and labels (group)',
    ],
    [
      'hostname collision',
      'name: x\ngroups:\n  sw: { pid: C9300-24P, count: 2 }\nnodes:\n  sw-2: { pid: C9300-24P }\n',
      '5:3: hostname "sw-2" is also given by groups.sw',
    ],
    [
      'missing seed file',
      'name: x\ncloud: { seed: nowhere.yaml }\nnodes: { r: { pid: C9300-24P } }\n',
      '2:16: cannot read seed file /labs/nowhere.yaml (no such file)',
    ],
    [
      'bad inline seed',
      'name: x\ncloud: { seed: { accounts: 3 } }\nnodes: { r: { pid: C9300-24P } }\n',
      '2:16: /labs/t.topology.yaml (cloud.seed) does not match the seed format: ',
    ],
    [
      'bad fault',
      'name: x\nnodes: { r: { pid: C9300-24P } }\nfaults:\n  - { kind: unreachable, select: all }\n  - { kind: reload, select: all, for: 1h }\n',
      '5:5: fault reload happens once; "for" belongs to network faults',
    ],
  ];
  it.each(cases)('%s', (_, text, expected) => {
    expect(errorOf(text)).toContain(expected);
  });

  it('an unknown PID, release or boot level names the valid ones', () => {
    expect(errorOf('name: x\nnodes:\n  r: { pid: C9999 }\n')).toMatch(/^3:13: .*C9999.*C9300-24P/);
    expect(errorOf('name: x\nnodes:\n  r: { pid: C9300-24P, release: "99.1" }\n')).toMatch(/^3:33: .*99\.1.*16\.12\.4/);
    expect(errorOf('name: x\nnodes:\n  r: { pid: C9300-24P, release: 17.10 }\n')).toBe(
      '3:33: release must be a string: quote it ("17.1"), or YAML reads it as a number',
    );
    expect(errorOf('name: x\nnodes:\n  r: { pid: C9300-24P, bootLevel: turbo }\n')).toBe(
      '3:35: Invalid boot level "turbo" for C9300-24P; valid levels: network-essentials, network-advantage',
    );
    expect(errorOf('name: x\nnodes:\n  r: { pid: ISR4331/K9, addon: dna-advantage }\n')).toBe(
      '3:32: Add-on "dna-advantage" is not valid: ISR4331/K9 has no add-on licenses',
    );
  });

  it('gives the factory logging configuration, the most specific one whole, and names a bad one', () => {
    const t = parse(`
name: logs
defaults:
  pid: C9300-24P
  logging: { hosts: [{ address: 10.0.0.9 }], trap: warnings }
groups:
  a: { count: 1 }
  b: { count: 1, logging: { hosts: [{ address: syslog.example, transport: tls, format: rfc5424 }], originId: hostname } }
`);
    expect(byHost(t)['a-1']!.logging).toEqual({
      hosts: [{ address: '10.0.0.9', transport: 'udp', port: 514 }],
      trap: 4,
      facility: 'local7',
    });
    expect(byHost(t)['b-1']!.logging).toEqual({
      hosts: [{ address: 'syslog.example', transport: 'tls', port: 6514, format: 'rfc5424' }],
      trap: 6,
      facility: 'local7',
      originId: { type: 'hostname' },
    });
    expect(errorOf('name: x\nnodes:\n  r: { pid: C9300-24P, logging: { facility: local9 } }\n')).toMatch(
      /^3:33: unknown syslog facility 'local9'; valid: kern, .*local7/,
    );
    expect(errorOf('name: x\nnodes:\n  r: { pid: C9300-24P, logging: { trap: loud } }\n')).toMatch(
      /^3:33: unknown logging level 'loud'; valid: 0-7 or emergencies, .*debugging/,
    );
    expect(
      errorOf(
        'name: x\nnodes:\n  r: { pid: C9300-24P, logging: { hosts: [{ address: 10.0.0.1, transport: ftp }] } }\n',
      ),
    ).toMatch(/^3:/);
  });

  it('gives the factory SNMP configuration, and names a v3 host without its user', () => {
    const t = parse(`
name: snmp
nodes:
  r:
    pid: C9300-24P
    snmp:
      enable: [smart-license]
      users: [{ name: mon, authKey: authpass1, privKey: privpass1 }]
      hosts: [{ address: 10.0.0.5, informs: true, version: '3', user: mon }, { address: 10.0.0.6 }]
`);
    expect(byHost(t)['r']!.snmp).toMatchObject({
      enabled: ['smart-license'],
      hosts: [
        { address: '10.0.0.5', port: 162, kind: 'informs', version: '3', securityName: 'mon', level: 'priv' },
        { address: '10.0.0.6', port: 162, kind: 'traps', version: '2c', securityName: 'public' },
      ],
    });
    expect(
      errorOf(
        "name: x\nnodes:\n  r: { pid: C9300-24P, snmp: { hosts: [{ address: 10.0.0.5, version: '3', user: nobody }] } }\n",
      ),
    ).toBe('3:30: snmp host 10.0.0.5: version 3 needs a user from snmp.users, got "nobody"');
  });

  it('an unreadable file is a TopologyError too, never a stack trace', () => {
    expect(() => loadTopology('/nowhere/x.topology.yaml', {})).toThrow(
      new TopologyError('/nowhere/x.topology.yaml', 1, 1, 'cannot read the topology (no such file)'),
    );
  });
});

describe('the bundled topologies', () => {
  it('load, and the demo is about 1,000 mixed Catalyst, ISR and ASR devices in three sites', () => {
    const demo = loadTopology(new URL('demo.topology.yaml', TOPOLOGIES).pathname, {});
    expect(demo.nodes).toHaveLength(1000);
    expect(new Set(demo.nodes.map((n) => n.labels.site))).toEqual(new Set(['paris', 'lyon', 'marseille']));
    const families = new Set(demo.nodes.map((n) => n.pid.replace(/[^A-Z]*$/, '').slice(0, 3)));
    expect(families).toEqual(new Set(['C92', 'C93', 'ISR', 'ASR', 'CIS']));
    expect(demo.speed).toBe(86_400);
    expect(demo.faults.map((f) => f.kind)).toEqual(['unreachable', 'reload', 'tls', 'rate-limited']);
    expect(demo.seed).toBeDefined();
    const office = loadTopology(new URL('branch-office.topology.yaml', TOPOLOGIES).pathname, {});
    expect(office.nodes.map((n) => n.hostname)).toEqual(['lyo-sw-01', 'lyo-sw-02', 'wan-router']);
    expect(office.nodes[0]!.cloud.token).toBe('LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D');
  });

  it('reference the published JSON Schema, which equals the schema the loader validates with', () => {
    expect(readFileSync(TOPOLOGY_SCHEMA_FILE, 'utf8')).toBe(topologyJsonSchemaText());
    for (const file of ['demo.topology.yaml', 'branch-office.topology.yaml'])
      expect(readFileSync(new URL(file, TOPOLOGIES), 'utf8')).toMatch(
        /^# yaml-language-server: \$schema=\.\/topology\.schema\.json\n/,
      );
  });
});
