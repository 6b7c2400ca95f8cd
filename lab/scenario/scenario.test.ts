/**
 * Scenario files as a QA engineer writes them: every step kind read from YAML, every mistake named at its
 * line and column with the valid choices, and runs that fail in words (a cloud that refuses an operation,
 * a command the device refuses) instead of throwing.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from './scenario.ts';
import { runScenario } from './run-scenario.ts';

const TOPOLOGIES = fileURLToPath(new URL('../../scenarios/topologies/', import.meta.url));
const FILE = `${TOPOLOGIES}../test.scenario.yaml`;

const withSteps = (steps: string, head = 'topology: topologies/branch-office.topology.yaml\n') =>
  `name: t\n${head}steps:\n${steps}`;

/** The scenario's error as `line:column: what`. */
function errorOf(text: string): string {
  try {
    parseScenario(text, FILE);
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    return `${err.line}:${err.column}: ${err.what}`;
  }
  throw new Error('the scenario loaded');
}

describe('reading steps', () => {
  it('reads every step kind into data that explains itself', () => {
    const scenario = parseScenario(
      withSteps(`  - fault: { name: outage, kind: unreachable, on: all, for: 95d }
  - clear: outage
  - reload: wan-router
  - powerLoss: role=access
  - cloud: { removeInstance: lyo-sw-01 }
  - cloud: { revokeToken: LAB-X }
  - cloud: { removeLicenses: { on: all, quantity: 2 } }
  - cloud: { transfer: { account: example.com, from: DEFAULT, to: east, tag: T, quantity: 1 } }
  - cli: { on: wan-router, run: license smart register idtoken X, refused: true }
  - expect: { on: all, syslog: [COMM_FAILED, AUTHORIZATION_EXPIRED], within: 30d }
  - expect: { on: all, trap: 1.3.6.1.4.1.9.9.831.0.1, count: 2, via: wire }
  - expect: { on: all, instance: absent }
  - expect: { cloudEvent: token.revoked, count: 1, contains: LAB-X }
`),
      FILE,
    );
    expect(scenario.steps.map((s) => s.kind)).toEqual([
      'fault',
      'clear',
      'reload',
      'powerLoss',
      'cloud',
      'cloud',
      'cloud',
      'cloud',
      'cli',
      'expect',
      'expect',
      'expect',
      'expect',
    ]);
    expect(scenario.lines).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(scenario.steps[0]).toEqual({
      kind: 'fault',
      name: 'outage',
      spec: { kind: 'unreachable', select: 'all', for: '95d' },
    });
    expect(scenario.steps[9]).toMatchObject({
      check: { syslog: ['COMM_FAILED', 'AUTHORIZATION_EXPIRED'], withinMs: 30 * 86_400_000, wire: false },
    });
    expect(scenario.steps[10]).toMatchObject({ check: { trap: '1.3.6.1.4.1.9.9.831.0.1', count: 2, wire: true } });
  });

  it.each([
    [
      '  - fault: { kind: meteor, on: all }\n',
      /^4:20: unknown fault "meteor"; valid faults: unreachable, tls, .*cloud-restart$/,
    ],
    [
      '  - fault: { kind: reload, on: all, for: 1d }\n',
      /^4:12: fault reload happens once; "for" belongs to network faults/,
    ],
    ['  - fault: { kind: unreachable, on: sw-9 }\n', /^4:37: "sw-9" matches no device; devices: lyo-sw-01/],
    [
      '  - fault: { kind: unreachable, on: all, color: red }\n',
      /^4:42: unknown key "color"; valid keys: name, kind, on/,
    ],
    [
      '  - fault: { kind: unreachable, on: all }\n  - fault: { kind: unreachable, on: wan-router }\n',
      /^5:12: a fault named "unreachable" comes before: give this one a name of its own/,
    ],
    ['  - fault: { name: all, kind: unreachable, on: all }\n', /^4:20: "all" names every fault for clear/],
    ['  - fault: { kind: http-error, on: all, status: 200 }\n', /^4:49: fault status: /],
    [
      '  - expect: { on: all, show: show version, contains: a, matches: b }\n',
      /^4:57: show takes contains or matches, not both/,
    ],
    [
      '  - clear: outage\n',
      /^4:12: clear names a fault started by an earlier step, or all; no fault step comes before/,
    ],
    ['  - reload: 0%\n', /^4:13: share 0%: the percentage must be above 0/],
    ['  - constructor: {}\n', /^4:5: unknown step "constructor"; valid steps: advance, /],
    ['  - cloud: { toString: x }\n', /^4:14: unknown cloud operation "toString"/],
    ['  - portal: { constructor: {} }\n', /^4:15: unknown portal operation "constructor"/],
    ['  - advance: 100000000d\n', /^4:14: a duration of at most 100 years \(36500d\), got "100000000d"$/],
    ['  - expect: { on: "' + '*'.repeat(40) + 'z", state: EVAL }\n', /^4:19: ".*z" matches no device/],
    ['  - rma: { replace: sw-9 }\n', /^4:21: no device "sw-9"; devices: lyo-sw-01, lyo-sw-02, wan-router$/],
    ['  - rma: { replace: wan-router, pid: ISR9999 }\n', /^4:38: unknown PID "ISR9999"; known PIDs: /],
    ['  - rma: { replace: wan-router, release: no }\n', /^4:42: release is true or false, got "no"$/],
    [
      '  - portal: { resend: { account: a, on: wan-router, to: /etc/passwd } }\n',
      /^4:57: to is a file on the device, like flash:sec.lic or usbflash0:sec.lic; got "\/etc\/passwd"$/,
    ],
    [
      '  - expect: { on: all, level: securityk9, phase: used }\n',
      /^4:50: phase must be one of permanent, counting, expired, got "used"$/,
    ],
    ['  - expect: { on: all, feature: securityk9 }\n', /^4:13: status must be one of inUse, expiredInUse, notInUse/],
    ['  - expect: { on: all, feature: securityk9, phase: expired }\n', /^4:45: "phase" does not go with feature$/],
    [
      '  - portal: { sell: {} }\n',
      /^4:15: unknown portal operation "sell"; valid operations: addPak, fulfil, resend, rma, permissionTicket, rehost$/,
    ],
    [
      '  - portal: { resend: { account: a, on: all } }\n',
      /^4:41: no device "all"; devices: lyo-sw-01, lyo-sw-02, wan-router$/,
    ],
    [
      '  - portal: { addPak: { account: a, pak: abc, items: [{ sku: S, quantity: 1 }] } }\n',
      /^4:42: a PAK is 11 capital letters and digits, got "abc"$/,
    ],
    [
      '  - portal: { addPak: { account: a, pak: 3A1B2C3D4E5, items: [] } }\n',
      /^4:62: items must be a list of one or more$/,
    ],
    [
      '  - portal: { resend: { account: a, on: wan-router }, refused: OOPS }\n',
      /^4:64: refused takes one of the cloud's error codes \(.*PAK_EXHAUSTED.*\), got "OOPS"$/,
    ],
    [
      '  - portal: { resend: { account: a, on: wan-router }, extra: 1 }\n',
      /^4:13: a portal step is a mapping with one operation/,
    ],
    [
      '  - expect: { pak: { account: a, pak: P }, remaining: {} }\n',
      /^4:55: remaining lists SKUs and the units left of each$/,
    ],
    [
      '  - cloud: { sell: 3 }\n',
      /^4:14: unknown cloud operation "sell"; valid operations: removeInstance, revokeToken/,
    ],
    [
      '  - cloud: { deposit: { account: a, virtualAccount: b, tag: t, quantity: 0 } }\n',
      /^4:74: quantity must be a whole number ≥ 1, got 0$/,
    ],
    [
      '  - cloud: { deposit: { account: a, virtualAccount: b, tag: t, quantity: 1, licenseType: FREE } }\n',
      /^4:90: licenseType must be one of PERPETUAL, TERM, DEMO, got "FREE"$/,
    ],
    ['  - cli: { on: all, run: x, refused: maybe }\n', /^4:38: refused is true or false, got "maybe"$/],
    ['  - expect: { on: all }\n', /^4:13: an expectation needs one of state, show/],
    ['  - expect: { state: AUTHORIZED }\n', /^4:13: missing "on" \(the devices\)/],
    ['  - expect: { on: all, show: show version }\n', /^4:13: show needs contains \(text\) or matches/],
    ['  - expect: { on: all, show: show version, matches: "(" }\n', /^4:53: not a regular expression/],
    ['  - expect: { on: all, state: EVAL, count: 2 }\n', /^4:37: "count" does not go with state$/],
    ['  - expect: { on: all, syslog: auth expired }\n', /^4:32: expected a mnemonic like AUTH_EXPIRED/],
    [
      '  - expect: { on: all, syslog: [EVAL_START] }\n',
      /^4:32: a list of messages gives their order: name two or more$/,
    ],
    ['  - expect: { on: all, syslog: [A, B], count: 1 }\n', /^4:40: count goes with one message, not a list in order$/],
    ['  - expect: { on: all, syslog: A, via: ether }\n', /^4:40: via takes one value, wire; got "ether"$/],
    ['  - expect: { on: all, syslog: A, via: wire, within: 1d }\n', /^4:54: within counts the device’s own log/],
    [
      '  - expect: { on: all, instance: gone }\n',
      /^4:34: instance must be one of present, registered, absent, authorized/,
    ],
    [
      '  - expect: { pool: { account: a, virtualAccount: b }, inUse: 1 }\n',
      /^4:21: a pool is named by tag \(its entitlement tag\) or license/,
    ],
    [
      '  - expect: { pool: { account: a, virtualAccount: b, tag: t } }\n',
      /^4:13: a pool expectation needs one of purchased, inUse, balance or status$/,
    ],
    [
      '  - expect: { pool: { account: a, virtualAccount: b, tag: t }, inUse: -1 }\n',
      /^4:71: inUse must be a whole number ≥ 0, got -1$/,
    ],
    [
      '  - expect: { pool: { account: a, virtualAccount: b, tag: t }, status: ok }\n',
      /^4:72: status must be one of In Compliance, Out Of Compliance, got "ok"$/,
    ],
    ['  - expect: { cloudEvent: x, on: all }\n', /^4:30: unknown key "on"; valid keys: cloudEvent, count, contains$/],
  ])('%s', (steps, message) => {
    expect(errorOf(withSteps(steps))).toMatch(message);
  });
});

describe('scenario files', () => {
  it('take a topology written inline, its errors at their place in the scenario file', () => {
    const inline = (node: string) =>
      withSteps(
        '  - expect: { on: all, state: EVAL }\n',
        `topology:\n  name: inline\n  nodes:\n    sw-1:\n      ${node}\n`,
      );
    expect(parseScenario(inline('pid: C9300-24P'), FILE).topology.nodes.map((n) => n.hostname)).toEqual(['sw-1']);
    expect(errorOf(inline('pid: C9999'))).toMatch(/^6:12: unknown PID "C9999"/);
    expect(errorOf(inline('pid: C9300-24P\n      colour: blue'))).toMatch(/^7:7: unknown key "colour"/);
  });

  it('take a cloud seed in place of the topology’s, checked like any seed', () => {
    const head = (seed: string) => `topology: topologies/branch-office.topology.yaml\ncloud:\n  seed: ${seed}\n`;
    const good = parseScenario(withSteps('  - advance: 1d\n', head('{ accounts: [] }')), FILE);
    expect(good.topology.seed?.text).toBe('{"accounts":[]}');
    expect(errorOf(withSteps('  - advance: 1d\n', head('missing.yaml')))).toMatch(
      /^4:9: cannot read seed file .*missing\.yaml \(no such file\)$/,
    );
    expect(
      errorOf(
        withSteps('  - advance: 1d\n', 'topology: topologies/branch-office.topology.yaml\ncloud: { token: x }\n'),
      ),
    ).toMatch(/^3:8: cloud takes one key, seed/);
  });

  it('refuse YAML whose aliases do not resolve or explode, at the document', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
    ];
    expect(errorOf(`${bomb.join('\n')}\nname: t\n`)).toMatch(/^1:1: not valid YAML: Excessive alias count/);
    // An inline topology is read on its own: an anchor from outside it does not resolve there.
    const outside = `name: &nm t\ntopology: { name: *nm, nodes: { sw: { pid: C9300-24P } } }\nsteps:\n  - advance: 1d\n`;
    expect(errorOf(outside)).toMatch(/^2:11: not valid YAML: Unresolved alias .*: nm$/);
  });

  it('take a seed for shares, a whole number', () => {
    const text = (seed: string) =>
      withSteps('  - advance: 1d\n', `topology: topologies/branch-office.topology.yaml\nseed: ${seed}\n`);
    expect(parseScenario(text('7'), FILE).seed).toBe(7);
    expect(errorOf(text('-1'))).toMatch(/^3:7: seed must be a whole number ≥ 0, got -1$/);
  });
});

describe('running steps', () => {
  const inline = `topology:
  name: run-lab
  cloud: { seed: cloud-seed.example.yaml }
  groups:
    sw: { pid: C9300-24P, count: 20, name: 'sw-{n:02}' }
`;
  const run = (steps: string, seed?: number) =>
    runScenario(parseScenario(withSteps(steps, inline), FILE), seed === undefined ? {} : { seed });

  it('fails a cloud operation the cloud refuses with its reason, and goes no further', async () => {
    const result = await run(
      `  - cloud: { transfer: { account: example.com, from: DEFAULT, to: nowhere, tag: T, quantity: 1 } }
  - advance: 1d
`,
    );
    expect(result.ok).toBe(false);
    expect(result.steps.map((s) => [s.ok, s.skipped])).toEqual([
      [false, undefined],
      [false, true],
    ]);
    expect(result.steps[0]!.why).toMatch(/virtual account/i);
    expect(result.steps[0]!.why).not.toMatch(/\n\s+at /);
  });

  it('fails a pool expectation on a pool the virtual account lacks, naming the pools it has', async () => {
    const result = await run(
      '  - expect: { pool: { account: example.com, virtualAccount: east, license: C9300 Network Advantage }, inUse: 0 }\n',
    );
    expect(result.steps[0]!.why).toBe('example.com/east has no such pool; its pools: C9300 DNA Advantage');
  });

  it('fails a portal RMA on a device no rma step replaced, in words', async () => {
    const result = await run('  - portal: { rma: { account: example.com, on: sw-01 } }\n');
    expect(result.steps[0]!.why).toBe("no rma step replaced sw-01's chassis before");
  });

  it('tells a refusal from a note: refused: true passes only when the device refuses', async () => {
    const result = await run(
      `  - cli: { on: sw-01, run: license smart register idtoken, refused: true }
  - cli: { on: sw-01, run: configure terminal }
  - cli: { on: sw-01, run: license boot level network-advantage, contains: "use 'write'" }
  - cli: { on: sw-01, run: end, refused: true }
`,
    );
    expect(result.steps.map((s) => s.ok)).toEqual([true, true, true, false]);
    expect(result.steps[3]!.why).toBe('sw-01: the device accepted it');
  });

  it('picks the devices of a share by the run’s seed: the same seed the same devices, another seed others', async () => {
    const reloaded = async (seed: number) => {
      const result = await run('  - reload: 25%\n', seed);
      return result.eventLog
        .filter((l) => l.includes('%SYS-5-RELOAD'))
        .map((l) => l.split(' ')[1])
        .join(',');
    };
    const [a, b, c] = [await reloaded(1), await reloaded(1), await reloaded(2)];
    expect(a.split(',')).toHaveLength(5);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });
});
