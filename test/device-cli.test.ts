/**
 * The IOS-style CLI end to end on real virtual devices against the real cloud in process: every show
 * command for one model of every family in every state it can reach (checked against the view and the
 * device), byte-for-byte captures rebuilt with the lab's values (smart-licensing.md §4.1–4.3), `?` help and
 * abbreviations, and a seeded fuzz of the shell (FUZZ_SEED=<n> replays a run).
 */
import { DAY, HOUR, MINUTE } from '#protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  allPlatforms,
  CONFIG_COMMANDS,
  EXEC_COMMANDS,
  type PlatformModel,
  type SmartLicensingView,
  type VirtualDevice,
} from '#devices';
import { fuzzLine } from './support/cli-fuzz.ts';
import { Rng } from './support/fuzz.ts';
import { EAST_TOKEN, LAB_DOMAIN, SHORT_TOKEN, openDeviceLab } from './support/device-lab.ts';
import type { LocalLab } from '#lab';

let lab: LocalLab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});
const open = async (start?: number): Promise<LocalLab> =>
  (lab = await openDeviceLab(start === undefined ? {} : { start }));

// --- expectations written independently of devices/cli ------------------------------------------

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const p2 = (n: number): string => String(n).padStart(2, '0');
/** `Mar 13 08:09:24 2024 UTC` through Date (the shell computes it by arithmetic). */
const iosDate = (t: number): string => {
  const d = new Date(t);
  return `${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()} UTC`;
};

const REGISTRATION: Record<SmartLicensingView['registration']['status'], string> = {
  unregistered: 'UNREGISTERED',
  inProgress: 'REGISTERING - REGISTRATION IN PROGRESS',
  failed: 'UNREGISTERED - REGISTRATION FAILED',
  retrying: 'UNREGISTERED - REGISTRATION FAILED',
  registered: 'REGISTERED',
};
const AUTHORIZATION: Record<SmartLicensingView['authorization']['status'], string> = {
  none: 'No licenses in use',
  eval: 'EVAL MODE',
  evalExpired: 'EVAL EXPIRED',
  pending: 'AUTHORIZATION PENDING',
  authorized: 'AUTHORIZED',
  outOfCompliance: 'OUT OF COMPLIANCE',
  authorizationExpired: 'AUTHORIZATION EXPIRED',
};
const ENFORCE: Record<SmartLicensingView['entitlements'][number]['enforceMode'], string> = {
  waiting: 'WAITING',
  authorized: 'AUTHORIZED',
  outOfCompliance: 'OUT OF COMPLIANCE',
  evaluationPeriod: 'EVAL MODE',
  evaluationExpired: 'EVAL EXPIRED',
  authorizationExpired: 'AUTHORIZATION EXPIRED',
  invalidTag: 'INVALID TAG',
  disabled: 'DISABLED',
};

const SMART_SHOWS = [
  'show license status',
  'show license summary',
  'show license usage',
  'show license all',
  'show license tech-support',
];
const ALL_SHOWS = [...SMART_SHOWS, 'show license udi', 'show version', 'show clock'];
const INVALID = "% Invalid input detected at '^' marker.";
const BAD_TEXT = /undefined|NaN|Invalid Date|\[object Object\]|\bnull\b/;
const MONTH_WORD = new RegExp(`\\b(${MONTHS.join('|')}) \\d`, 'g');
const SHOW_DATE = new RegExp(`^(${MONTHS.join('|')}) \\d\\d \\d\\d:\\d\\d:\\d\\d \\d{4} UTC`);

/** One model of every family (the first registered). */
const familyModels = (): PlatformModel[] =>
  allPlatforms().filter((p, i, all) => all.findIndex((q) => q.family === p.family) === i);

const isSmart = (d: VirtualDevice): boolean => d.view().licensingMode === 'smart';

/** Text every show command must not contain, and every date in the show-date form. */
function assertClean(cmd: string, out: string): void {
  expect(out, cmd).not.toMatch(BAD_TEXT);
  if (cmd === 'show clock') return;
  for (const m of out.matchAll(MONTH_WORD)) expect(out.slice(m.index), `${cmd}: date at ${m.index}`).toMatch(SHOW_DATE);
}

/** `  <label>: <value>` is a line of `out` (the first such line when `label` repeats per block). */
const field = (out: string, label: string): string | undefined =>
  out
    .split('\n')
    .find((l) => l.startsWith(`  ${label}: `))
    ?.slice(label.length + 4);

function assertSmartShows(d: VirtualDevice): void {
  const s = d.smart();
  const r = s.registration;
  const a = s.authorization;
  const authLine = `${AUTHORIZATION[a.status]}${a.since === undefined ? '' : ` on ${iosDate(a.since)}`}`;
  const status = d.exec('show license status');
  expect(status.startsWith('Smart Licensing is ENABLED\n\n'), status).toBe(true);
  const reg = status.slice(status.indexOf('Registration:\n'), status.indexOf('License Authorization: \n'));
  const auth = status.slice(status.indexOf('License Authorization: \n'), status.indexOf('Export Authorization Key:'));
  expect(field(reg, 'Status')).toBe(REGISTRATION[r.status]);
  expect(field(reg, 'Smart Account')).toBe(r.smartAccount);
  expect(field(reg, 'Virtual Account')).toBe(r.virtualAccount);
  expect(field(reg, 'Export-Controlled Functionality')).toBe(r.exportControlled ? 'ALLOWED' : 'NOT ALLOWED');
  expect(field(reg, 'Next Renewal Attempt')).toBe(
    r.nextRenewalAttempt === undefined ? undefined : iosDate(r.nextRenewalAttempt),
  );
  expect(field(reg, 'Registration Expires')).toBe(
    r.registrationExpires === undefined ? undefined : iosDate(r.registrationExpires),
  );
  expect(field(auth, 'Status')).toBe(authLine);
  expect(field(auth, 'Next Communication Attempt')).toBe(
    a.nextCommunicationAttempt === undefined ? undefined : iosDate(a.nextCommunicationAttempt),
  );
  expect(field(auth, 'Communication Deadline')).toBe(
    a.communicationDeadline === undefined ? undefined : iosDate(a.communicationDeadline),
  );
  if (a.status === 'eval')
    expect(field(auth, 'Evaluation Period Remaining')).toMatch(/^\d+ days, \d+ hours, \d+ minutes, \d+ seconds$/);
  if (a.lastCommunicationAttempt)
    expect(field(auth, 'Last Communication Attempt')).toBe(
      `${a.lastCommunicationAttempt.ok ? 'SUCCEEDED' : 'FAILED'} on ${iosDate(a.lastCommunicationAttempt.at)}`,
    );

  const summary = d.exec('show license summary');
  expect(field(summary, 'Status')).toBe(REGISTRATION[r.status]);
  const rows = summary
    .slice(summary.indexOf('-----\n') + 6)
    .split('\n')
    .filter(Boolean);
  if (s.entitlements.length === 0) expect(summary).toContain('License Usage:\n  No licenses in use\n');
  else
    expect(rows.map((l) => [/\((.+)\)/.exec(l)?.[1], /\) +\d+ (.+)$/.exec(l)?.[1]])).toEqual(
      s.entitlements.map((e) => [e.shortName, ENFORCE[e.enforceMode]]),
    );

  const usage = d.exec('show license usage');
  expect(usage.startsWith(`License Authorization: \n  Status: ${authLine}\n\n`), usage).toBe(true);
  for (const e of s.entitlements)
    expect(usage).toContain(
      `(${e.shortName}):\n  Description: ${e.description}\n  Count: ${e.count}\n  Version: ${e.version}\n  Status: ${ENFORCE[e.enforceMode]}\n`,
    );
  expect(d.exec('show license all')).toContain(
    `Product Information\n===================\nUDI: PID:${s.udi.pid},SN:${s.udi.sn}\n`,
  );
  expect(d.exec('show license tech-support')).toContain(`Smart Agent for Licensing: ${s.agentVersion}\n`);
  expect(d.exec('show license udi')).toBe(`UDI: PID:${d.udi.pid},SN:${d.udi.sn}\n\n`);
  expect(d.exec('show version')).toContain(
    `\nSmart Licensing Status: ${REGISTRATION[r.status]}/${AUTHORIZATION[a.status]}\n`,
  );
}

const LEVEL_LINE_FAMILIES = ['catalyst-3k-e', 'asr-900', 'asr-1000', 'isr-800'];

/** What every device answers, smart or not: prompt, clean output, UDI, version and clock against the device. */
function assertShows(d: VirtualDevice, model: PlatformModel): void {
  const view = d.view();
  const hostname = model.family.startsWith('catalyst') ? 'Switch' : 'Router';
  expect(d.shell.prompt()).toBe(`${hostname}#`);
  for (const cmd of ALL_SHOWS) {
    const out = d.exec(cmd);
    assertClean(cmd, out);
    // `show license status` exists in both modes (traditional images print the CSL status).
    const available =
      isSmart(d) || !SMART_SHOWS.includes(cmd) || view.release.modes.includes('smart') || cmd === 'show license status';
    if (!available) expect(out, `${model.pid} ${cmd}`).toContain(INVALID);
    else expect(out, `${model.pid} ${cmd}`).not.toMatch(/^%/m);
  }
  const version = d.exec('show version');
  expect(version).toContain(`\n${hostname} uptime is `);
  expect(version).toContain(`\nProcessor board ID ${view.udi.sn}\n`);
  expect(version).toContain(`"flash:${view.release.image}"`);
  // `License Level:` lines on these families, a Technology Package table cell on the others (A.5.6).
  if (LEVEL_LINE_FAMILIES.includes(model.family))
    expect(version).toMatch(new RegExp(`\\n {0,4}License Level: ${view.bootLevel.current}\\s`));
  else expect(version).toMatch(new RegExp(`\\s${view.bootLevel.current}\\s`));
  if (!isSmart(d)) {
    expect(version).not.toContain('Smart Licensing Status');
    // The licensed PID (A.5.5: a 3925 lists its C3900-SPE100/K9; the 881 prints CISCO881-K9).
    const licensedPid = model.licenseUdiPid ?? view.udi.pid;
    expect(d.exec('show license udi')).toContain(
      `\n*0        ${licensedPid.padEnd(22)}${view.udi.sn.padEnd(16)}${licensedPid}:${view.udi.sn}\n`,
    );
  }
  const c = new Date(view.clock.now);
  expect(d.exec('show clock')).toBe(
    `*${p2(c.getUTCHours())}:${p2(c.getUTCMinutes())}:${p2(c.getUTCSeconds())}.${String(c.getUTCMilliseconds()).padStart(3, '0')} UTC ${WEEKDAYS[c.getUTCDay()]} ${MONTHS[c.getUTCMonth()]} ${c.getUTCDate()} ${c.getUTCFullYear()}\n`,
  );
  d.exec('configure terminal');
  expect(d.shell.prompt()).toBe(`${hostname}(config)#`);
  d.exec('end');
  if (isSmart(d)) assertSmartShows(d);
}

/** Puts licences for every entitlement `d` requests in virtual account `va`. */
async function stock(l: LocalLab, d: VirtualDevice, va: string): Promise<void> {
  for (const e of d.smart().entitlements)
    await l.cloud.depositLicenses({ account: LAB_DOMAIN, virtualAccount: va, tag: e.tag, quantity: 10 });
}

// --- 1. every family, every state ---------------------------------------------------------------

describe('show commands in every state of one model per family', () => {
  const models = familyModels();
  // ISR 4000 boots ipbasek9, which requests nothing: a second one boots appxk9 to have a licence in use.
  const licensed = (p: PlatformModel) =>
    p.family === 'isr-4000' ? { pid: p.pid, bootLevel: 'appxk9' } : { pid: p.pid };
  /** On the model's first release that runs Smart Licensing from the factory (ASR 903/1000 default to traditional). */
  const smartCapable = models.flatMap((p) =>
    p.releases
      .filter((r) => r.defaultMode === 'smart')
      .slice(0, 1)
      .map((r) => [p, { ...licensed(p), release: r.version }] as const),
  );

  it('covers every family of devices/kinds', () => {
    expect(models.map((m) => m.family).sort()).toEqual([...new Set(allPlatforms().map((p) => p.family))].sort());
  });

  it('factory state (EVAL MODE, or traditional), then EVAL EXPIRED', async () => {
    const l = await open();
    const devices = models.map((m) => [m, l.device(licensed(m))] as const);
    const isr = models.find((m) => m.family === 'isr-4000')!;
    const idle = l.device({ pid: isr.pid });
    expect(idle.smart().authorization.status).toBe('none');
    assertShows(idle, isr);
    for (const [m, d] of devices) {
      assertShows(d, m);
      if (isSmart(d)) expect(d.smart().authorization.status, m.pid).toBe('eval');
    }
    await l.clock.advance(90 * DAY + HOUR);
    for (const [m, d] of devices) {
      assertShows(d, m);
      if (isSmart(d)) expect(d.smart().authorization.status, m.pid).toBe('evalExpired');
    }
  });

  it('registered + AUTHORIZED, OUT OF COMPLIANCE, then AUTHORIZATION EXPIRED after an outage', async () => {
    const l = await open();
    expect(smartCapable.map(([m]) => m.family)).toEqual([
      'catalyst-3650-3850',
      'catalyst-9200',
      'catalyst-9300',
      'isr-4000',
      'asr-900',
      'asr-1000',
    ]);
    const ok = smartCapable.map(([m, o]) => [m, l.device(o)] as const);
    const short = smartCapable.map(([m, o]) => [m, l.device(o)] as const);
    for (const [, d] of ok) await stock(l, d, 'east');
    for (const [, d] of ok) d.exec(`license smart register idtoken ${EAST_TOKEN}`);
    for (const [, d] of short) d.exec(`license smart register idtoken ${SHORT_TOKEN}`);
    await l.clock.advance(MINUTE);
    for (const [m, d] of ok) {
      expect(d.smart().authorization.status, m.pid).toBe('authorized');
      assertShows(d, m);
    }
    for (const [m, d] of short) {
      expect(d.smart().authorization.status, m.pid).toBe('outOfCompliance');
      assertShows(d, m);
    }
    await l.cloud.faults.add({ path: '/licservice/license/*', status: 503 });
    await l.clock.advance(91 * DAY);
    for (const [m, d] of [...ok, ...short]) {
      expect(d.smart().authorization.status, m.pid).toBe('authorizationExpired');
      expect(d.smart().authorization.lastCommunicationAttempt?.ok).toBe(false);
      assertShows(d, m);
    }
  });

  it('traditional-only images of every family that has one', async () => {
    const l = await open();
    const traditional = allPlatforms().flatMap((p) =>
      p.releases
        .filter((r) => r.modes.every((mode) => mode === 'traditional'))
        .slice(0, 1)
        .map((r) => [p, r.version] as const),
    );
    const perFamily = [...new Map(traditional.map((t) => [t[0].family, t] as const)).values()];
    expect(perFamily.length).toBeGreaterThanOrEqual(6);
    for (const [m, release] of perFamily) {
      const d = l.device({ pid: m.pid, release });
      expect(d.view().licensingMode).toBe('traditional');
      assertShows(d, m);
      // Catalyst 3650 / 3850 RTU images add `right-to-use` (A.5.7), widening the help column.
      const help: [string, string][] = [
        ['call-home', 'Show license call-home information'],
        ['detail', 'Show license detail information'],
        ['feature', 'Show license feature information'],
        ['file', 'Show license file information'],
        ...(m.rightToUse ? [['right-to-use', 'Show right-to-use license information'] as [string, string]] : []),
        ['status', 'Show license status information'],
        ['udi', 'Show license UDI information'],
      ];
      const width = Math.max(...help.map(([w]) => w.length)) + 2;
      expect(d.exec('show license ?')).toBe(
        [...help.map(([w, h]) => `  ${w.padEnd(width)}${h}`), '  <cr>', '', ''].join('\n'),
      );
    }
  });

  // Regression: a factory-fresh device of a dual-mode release whose default is traditional (ASR 903 and
  // ASR 1000 on 16.9) ran Smart Licensing, because the factory licensing record said `enabled`.
  it('a dual-mode release boots its default mode; license smart enable + reload switches to Smart', async () => {
    const l = await open();
    for (const pid of ['ASR-903', 'ASR1001-X']) {
      const d = l.device({ pid, reloadMs: MINUTE });
      expect(d.release.modes).toEqual(['traditional', 'smart']);
      expect(d.view().licensingMode, pid).toBe('traditional');
      // Traditional licensing runs: the CSL status (issue 14), and the Smart shows stay offered.
      expect(d.exec('show license status')).toMatch(/^License Type Supported\n/);
      expect(d.exec('show license summary')).not.toContain(INVALID);
      d.exec('configure terminal');
      expect(d.exec('license smart enable')).toBe('Smart Licensing will be enabled at the next reload.\n');
      d.exec('end');
      d.exec('reload');
      await l.clock.advance(MINUTE);
      expect(d.view().licensingMode, pid).toBe('smart');
      expect(d.smart().authorization.status).toBe('eval');
    }
  });
});

// --- 2. captures rebuilt with the lab's values, byte for byte ----------------------------------

const T0 = Date.parse('2024-03-13T08:09:24Z');

/** The cloud's device-protocol answers (JSON bodies) by operation path, as the device received them. */
function recordAnswers(l: LocalLab): Map<string, Record<string, string>> {
  const answers = new Map<string, Record<string, string>>();
  const app = l.inProcess!.app;
  const handle = app.handle.bind(app);
  app.handle = async (req) => {
    const res = await handle(req);
    if (typeof res === 'object' && req.path.startsWith('/licservice/license/'))
      answers.set(
        req.path.slice('/licservice/license/'.length),
        JSON.parse(res.body.toString('utf8')) as Record<string, string>,
      );
    return res;
  };
  return answers;
}

/**
 * GENIE ShowLicenseStatus golden_output2 (smart-licensing.md §4.1) with its values as parameters. Blank
 * lines that hold a single space in the capture (a capture artefact, §4) are empty here, as the shell
 * prints them; `License Authorization: ` keeps its trailing space; the capture ends with two blank lines.
 */
const goldenOutput2 = (v: {
  account: string;
  va: string;
  exportCf: string;
  registered: string;
  nextRenewal: string;
  expires: string;
  auth: string;
  lastComm: string;
  nextComm: string;
  deadline: string;
}): string => `Smart Licensing is ENABLED

Utility:
  Status: DISABLED

Data Privacy:
  Sending Hostname: yes
    Callhome hostname privacy: DISABLED
    Smart Licensing hostname privacy: DISABLED
  Version privacy: DISABLED

Transport:
  Type: Callhome

Registration:
  Status: REGISTERED
  Smart Account: ${v.account}
  Virtual Account: ${v.va}
  Export-Controlled Functionality: ${v.exportCf}
  Initial Registration: SUCCEEDED on ${v.registered}
  Last Renewal Attempt: None
  Next Renewal Attempt: ${v.nextRenewal}
  Registration Expires: ${v.expires}

License Authorization: 
  Status: ${v.auth}
  Last Communication Attempt: SUCCEEDED on ${v.lastComm}
  Next Communication Attempt: ${v.nextComm}
  Communication Deadline: ${v.deadline}

Export Authorization Key:
  Features Authorized:
    <none>


`;

describe('captures on a real device registered at a fixed lab time', () => {
  it('show license status of a REGISTERED / AUTHORIZED C9300 is GENIE golden_output2 with the lab values', async () => {
    const l = await open(T0);
    const answers = recordAnswers(l);
    const d = l.device({ pid: 'C9300-24P' });
    d.exec(`license smart register idtoken ${EAST_TOKEN}`);
    await l.clock.advance(MINUTE);
    const reg = answers.get('registration')!;
    const auth = answers.get('authorization')!;
    // The cloud's stamps: certificate backdated 5 minutes, deadline the answer's validUntil.
    expect(reg.notBefore).toBe('2024-03-13T08:04:24.000Z');
    expect(auth.validUntil).toBe('2024-06-11T08:04:24.000Z');
    const expected = goldenOutput2({
      account: 'Lab Corp',
      va: 'east',
      exportCf: 'ALLOWED',
      registered: iosDate(T0),
      nextRenewal: iosDate(T0 + 180 * DAY),
      expires: iosDate(Date.parse(reg.notBefore!) + 365 * DAY),
      auth: `AUTHORIZED on ${iosDate(T0)}`,
      lastComm: iosDate(T0),
      nextComm: iosDate(T0 + 30 * DAY),
      deadline: iosDate(Date.parse(auth.validUntil!)),
    });
    expect(expected).toContain(
      '  Next Renewal Attempt: Sep 09 08:09:24 2024 UTC\n  Registration Expires: Mar 13 08:04:24 2025 UTC\n',
    );
    expect(expected).toContain(
      '  Next Communication Attempt: Apr 12 08:09:24 2024 UTC\n  Communication Deadline: Jun 11 08:04:24 2024 UTC\n',
    );
    expect(d.exec('show license status')).toBe(expected);
    expect(d.exec('sh lic stat')).toBe(expected);
  });

  it('show license status OUT OF COMPLIANCE is NTC status1 (+12 h next attempt) with the lab values', async () => {
    const l = await open(T0);
    const answers = recordAnswers(l);
    const d = l.device({ pid: 'C9300-24P' });
    d.exec(`license smart register idtoken ${SHORT_TOKEN}`);
    await l.clock.advance(MINUTE);
    const reg = answers.get('registration')!;
    const auth = answers.get('authorization')!;
    expect(auth.status).toBe('OUT_OF_COMPLIANCE');
    // NTC status1 is the same layout as golden_output2 (it was captured without the two trailing blank lines).
    expect(d.exec('show license status')).toBe(
      goldenOutput2({
        account: 'Lab Corp',
        va: 'short',
        exportCf: 'NOT ALLOWED',
        registered: iosDate(T0),
        nextRenewal: iosDate(T0 + 180 * DAY),
        expires: iosDate(Date.parse(reg.notBefore!) + 365 * DAY),
        auth: `OUT OF COMPLIANCE on ${iosDate(T0)}`,
        lastComm: iosDate(T0),
        nextComm: 'Mar 13 20:09:24 2024 UTC',
        deadline: iosDate(Date.parse(auth.validUntil!)),
      }),
    );
    expect(iosDate(T0 + 12 * HOUR)).toBe('Mar 13 20:09:24 2024 UTC');
  });

  it('show license summary of a C9200L on 16.9: the C9K-ANSIBLE captures in EVAL, then REGISTERED (16.9 format)', async () => {
    const l = await open(T0);
    const d = l.device({ pid: 'C9200L-24P-4G', release: '16.9.5' });
    // The capture's `71 days, 22 hours, 1 minutes, 59 seconds` left of 90 days.
    await l.clock.advance(18 * DAY + HOUR + 58 * MINUTE + 1000);
    const table = (status: string, names: [string, string]) => `License Usage:
  License                 Entitlement tag               Count Status
  -----------------------------------------------------------------------------
  ${names[0].padEnd(24)}(C9200L-NW-E-24)                  1 ${status}
  ${names[1].padEnd(24)}(C9200L-DNA-E-24)                 1 ${status}
`;
    expect(d.exec('show license summary')).toBe(`Smart Licensing is ENABLED

Registration:
  Status: UNREGISTERED
  Export-Controlled Functionality: Not Allowed

License Authorization: 
  Status: EVAL MODE
  Evaluation Period Remaining: 71 days, 22 hours, 1 minutes, 59 seconds

${table('EVAL MODE', ['', ''])}`);

    await stock(l, d, 'east');
    d.exec(`license smart register idtoken ${EAST_TOKEN}`);
    await l.clock.advance(45_000);
    const at = T0 + 18 * DAY + HOUR + 58 * MINUTE + 1000;
    expect(d.exec('show license summary')).toBe(`Smart Licensing is ENABLED

Registration:
  Status: REGISTERED
  Smart Account: Lab Corp
  Virtual Account: east
  Export-Controlled Functionality: Allowed
  Last Renewal Attempt: None
  Next Renewal Attempt: ${iosDate(at + 180 * DAY)}

License Authorization: 
  Status: AUTHORIZED
  Last Communication Attempt: SUCCEEDED
  Next Communication Attempt: ${iosDate(at + 30 * DAY)}

${table('AUTHORIZED', ['C9200L Network Essen...', 'C9200L DNA Essentials'])}`);
  });

  it('show license summary on 16.12 (no capture): the same lines with `on <date>` and upper-case export value', async () => {
    const l = await open(T0);
    const d = l.device({ pid: 'C9300-24P' });
    d.exec(`license smart register idtoken ${EAST_TOKEN}`);
    await l.clock.advance(MINUTE);
    expect(d.exec('show license summary')).toBe(`Smart Licensing is ENABLED

Registration:
  Status: REGISTERED
  Smart Account: Lab Corp
  Virtual Account: east
  Export-Controlled Functionality: ALLOWED
  Last Renewal Attempt: None
  Next Renewal Attempt: Sep 09 08:09:24 2024 UTC

License Authorization: 
  Status: AUTHORIZED on Mar 13 08:09:24 2024 UTC
  Last Communication Attempt: SUCCEEDED on Mar 13 08:09:24 2024 UTC
  Next Communication Attempt: Apr 12 08:09:24 2024 UTC

License Usage:
  License                 Entitlement tag               Count Status
  -----------------------------------------------------------------------------
  C9300 Network Advantage (advantagek9-Nyquist-C9300)       1 AUTHORIZED
  C9300 DNA Advantage     (c9300_dna_advantage)             1 AUTHORIZED
`);
  });
});

// --- 3. fuzz -------------------------------------------------------------------------------------

const SEED = Number(process.env.FUZZ_SEED ?? 0xc11f022);
const LINES_PER_MODE = 5_000;

/** What every answer must be: text, no trace of a thrown error, error lines as IOS prints them. */
function assertAnswer(line: string, out: unknown, promptLength: number): void {
  const where = `FUZZ_SEED=${SEED} line ${JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}…` : line)}`;
  expect(typeof out, where).toBe('string');
  const text = out as string;
  expect(text, where).not.toMatch(/^\s+at |Error:|Internal error|\[object Object\]|Invalid Date/m);
  if (!/undefined|NaN|null/.test(line)) expect(text, where).not.toMatch(BAD_TEXT);
  for (const l of text.split('\n')) {
    if (/^ *\^$/.test(l))
      expect(l.length, `${where}: caret beyond the line`).toBeLessThanOrEqual(promptLength + line.length);
    else if (l.startsWith('%') || /Invalid input|Incomplete command|Ambiguous command|Unrecognized command/.test(l))
      // IOS's file-system errors are `%Error opening <file> (<reason>)`, its other errors `% …`.
      expect(l, where).toMatch(/^(% \S|%Error \S)/);
  }
}

describe(`fuzzing the shell of a real device (FUZZ_SEED=${SEED})`, () => {
  for (const mode of ['exec', 'config'] as const) {
    it(`${LINES_PER_MODE} random lines from ${mode} mode never throw and answer like IOS; the device still answers after`, async () => {
      const l = await open(T0);
      const rng = new Rng(SEED + (mode === 'config' ? 1 : 0));
      const d = l.device({
        pid: rng.pick(['C9300-24P', 'ISR4331/K9', 'WS-C3560E-24TD-S', 'CISCO2911/K9', 'ASR-903']),
        reloadMs: MINUTE,
      });
      for (let i = 0; i < LINES_PER_MODE; i++) {
        if (d.shell.mode !== mode) d.exec(mode === 'config' ? 'configure terminal' : 'end');
        const line = fuzzLine(rng, mode === 'config' ? CONFIG_COMMANDS : EXEC_COMMANDS, d.view());
        const promptLength = d.shell.prompt().length;
        assertAnswer(line, d.exec(line), promptLength);
        if (d.state === 'reloading') await l.clock.advance(MINUTE);
        else if (i % 250 === 0) await l.clock.advance(MINUTE);
      }
      d.exec('end');
      expect(d.shell.mode).toBe('exec');
      const status = d.exec('show license status');
      if (d.release.modes.includes('smart')) expect(status).toMatch(/^Smart Licensing is (ENABLED|DISABLED)\n/);
      else expect(status).toMatch(/^License Type Supported\n/);
      expect(d.exec('show clock')).toMatch(/^\*?\d\d:\d\d:\d\d\.\d{3} /);
    });
  }
});

// --- 4. `?` help and abbreviations ------------------------------------------------------------------

describe('? help and abbreviations on real devices', () => {
  it('sh lic sum is show license summary; show lic ? lists the show license commands', async () => {
    const l = await open(T0);
    const d = l.device({ pid: 'C9300-24P' });
    expect(d.exec('sh lic sum')).toBe(d.exec('show license summary'));
    expect(d.exec('SH LIC USA')).toBe(d.exec('show license usage'));
    expect(d.exec('show lic ?')).toBe(`  all           Show license all information
  reservation   Show license reservation information
  status        Show license status information
  summary       Show license summary
  tech-support  Show license tech support information
  udi           Show license UDI information
  usage         Show license usage information

`);
    expect(d.exec('sh lic s')).toBe('% Ambiguous command:  "sh lic s"\n');
    expect(d.exec('sh lic su?')).toBe('summary  \n\n');
    expect(d.exec('sh lic u?')).toBe('udi  usage  \n\n');
  });

  it('conf t / lic boot lev ? lists the real levels of every image-level family, and add-ons where there are', async () => {
    const l = await open(T0);
    for (const m of familyModels().filter((p) => p.levelModel === 'image-level')) {
      const d = l.device({ pid: m.pid });
      expect(d.exec('conf t')).toBe('Enter configuration commands, one per line.  End with CNTL/Z.\n');
      const listed = d
        .exec('lic boot lev ?')
        .trimEnd()
        .split('\n')
        .map((r) => r.trim().split(/\s+/)[0]);
      expect(listed, m.pid).toEqual(m.levels.map((x) => x.name));
      const addon = d.exec(`lic boot lev ${m.defaultLevel} ?`);
      expect(addon, m.pid).toContain('  <cr>\n');
      if (m.addons)
        expect(
          d
            .exec(`lic boot lev ${m.defaultLevel} addon ?`)
            .trimEnd()
            .split('\n')
            .map((r) => r.trim().split(/\s+/)[0]),
        ).toEqual(m.addons.map((x) => x.name));
      else expect(addon, m.pid).not.toContain('addon');
      expect(d.exec('lic boot lev nonsense')).toContain(INVALID);
      d.exec('end');
    }
    const c9300 = l.device({ pid: 'C9300-24P' });
    c9300.exec('conf t');
    expect(c9300.exec('lic boot lev ?')).toBe(
      '  network-essentials  License Level Network Essentials\n  network-advantage   License Level Network Advantage\n\n',
    );
    expect(c9300.exec('lic boot lev network-e')).toBe(
      "% use 'write' command to make license boot config take effect on next boot\n",
    );
    expect(c9300.view().bootLevel.nextReload).toBe('network-essentials');
  });

  // Regression: `do show ?` answered `<cr>` (the help of do's LINE parameter), not the exec help.
  it('do <exec command> ? in config mode is the exec help, with the caret under the line as typed', async () => {
    const l = await open(T0);
    const d = l.device({ pid: 'C9300-24P' });
    const execHelp = d.exec('show lic ?');
    d.exec('conf t');
    expect(d.exec('do show lic ?')).toBe(execHelp);
    expect(d.exec('do sh lic su?')).toBe('summary  \n\n');
    expect(d.exec('do ?')).toBe('  LINE  Exec Command\n\n');
    expect(d.exec('do show lic bogus ?')).toBe(`${' '.repeat('Switch(config)#do show lic '.length)}^\n${INVALID}\n\n`);
    expect(d.shell.mode).toBe('config');
  });

  // Regression: config `license ?` on an ISR G2 answered `% Unrecognized command` and `no ?` offered
  // `license`, though nothing under either existed on that release; since issue 14 it has its own.
  it('offers an ISR G2 its traditional config license commands and no Smart ones', async () => {
    const l = await open(T0);
    const d = l.device({ pid: 'CISCO2911/K9' });
    d.exec('conf t');
    expect(d.exec('license ?')).toBe(
      '  accept  Accept a license agreement\n  boot    license boot config commands\n\n',
    );
    expect(d.exec('license boot ?')).toBe('  module  Configure license module to boot with\n\n');
    expect(d.exec('no license smart enable')).toContain(INVALID);
  });
});
