/**
 * The real peer: Debian's rsyslogd reads what the lab's syslog sender puts on the wire, over UDP, TCP
 * (octet counting, RFC 6587) and TLS (RFC 5425, with rsyslog-gnutls), in both layouts a device sends: the
 * IOS layout, parsed by rsyslog's own Cisco IOS parser (pmciscoios, origin-id on), and RFC 5424, parsed by
 * its RFC 5424 parser with the structured data taken apart by mmpstrucdata. Every parsed field is checked:
 * framing, PRI, timestamp, hostname, tag, MSGID, SD escaping and text agree with a strict peer.
 * CI installs rsyslog and rsyslog-gnutls (.ci/run); without the gnutls module the TLS cases are skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockCa } from '#cloud';
import {
  checkLoggingConfig,
  formatRfc5424,
  formatWireMessage,
  SyslogSender,
  type DeviceEvent,
  type SyslogHost,
  type SyslogTransport,
} from '#devices';
import { MINUTE } from '#protocol';
import { syslogWire, type LocalLab } from '#lab';
import { EAST_TOKEN, openDeviceLab } from './support/device-lab.ts';

const RSYSLOGD = '/usr/sbin/rsyslogd';
/** rsyslog-gnutls's stream driver, in rsyslog's module directory (multiarch: /usr/lib/x86_64-linux-gnu/rsyslog). */
const GTLS = ['', ...(existsSync('/usr/lib') ? readdirSync('/usr/lib') : [])].some((d) =>
  existsSync(join('/usr/lib', d, 'rsyslog', 'lmnsd_gtls.so')),
);
const TRANSPORTS: readonly SyslogTransport[] = GTLS ? ['udp', 'tcp', 'tls'] : ['udp', 'tcp'];
const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

/** One message as rsyslog parsed it (the `fields` template below, one JSON object a line). */
interface Parsed {
  input: string;
  version: string;
  pri: string;
  facility: string;
  severity: string;
  time: string;
  hostname: string;
  tag: string;
  app: string;
  procid: string;
  msgid: string;
  sd: string;
  /** mmpstrucdata's $!rfc5424-sd (SD-ID → PARAM-NAME → value, unescaped); null without structured data. */
  sdparsed: Record<string, Record<string, string>> | null;
  msg: string;
}

let rsyslogd: ChildProcess | undefined;
let dir = '';
let stdio = '';
const ports = {} as Record<SyslogTransport, number>;
let ca: MockCa;
let sender: SyslogSender;
const problems: string[] = [];

const read = (file: string): string => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : '');
const received = (): Parsed[] =>
  read('received.json')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      // The template prints $!rfc5424-sd as a JSON string ('' when there is none).
      const fields = JSON.parse(line) as Omit<Parsed, 'sdparsed'> & { sdparsed: string };
      return { ...fields, sdparsed: fields.sdparsed ? (JSON.parse(fields.sdparsed) as Parsed['sdparsed']) : null };
    });
const diagnostics = (): string => `rsyslogd:\n${stdio}${read('rsyslogd.log')}\nreceived:\n${read('received.json')}`;

async function freePort(transport: SyslogTransport): Promise<number> {
  if (transport === 'udp') {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    const p = s.address().port;
    await new Promise<void>((r) => s.close(() => r()));
    return p;
  }
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const p = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return p;
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  for (let waited = 0; waited < ms && !check(); waited += 20) await new Promise((r) => setTimeout(r, 20));
  expect(check(), diagnostics()).toBe(true);
}

/** True once a connection to the port is accepted (and, for TLS, the handshake done against the CA). */
function accepts(transport: 'tcp' | 'tls'): Promise<boolean> {
  return new Promise((resolve) => {
    const port = ports[transport];
    const socket =
      transport === 'tls'
        ? connectTls({ host: '127.0.0.1', port, ca: ca.certPem }, () => socket.end(() => resolve(true)))
        : connect({ host: '127.0.0.1', port }, () => socket.end(() => resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

function config(): string {
  const field = (outname: keyof Parsed, name: string, extra = ''): string =>
    `  property(outname="${outname}" name="${name}" format="jsonf"${extra})`;
  const tls = GTLS
    ? [
        `input(type="imtcp" port="${ports.tls}" address="127.0.0.1" name="tls" ruleset="lab"`,
        '  streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")',
      ]
    : [];
  return [
    // processInternalMessages: rsyslogd's own messages go through its rulesets, not to the system's syslog.
    `global(workDirectory="${dir}" processInternalMessages="on"` +
      (GTLS
        ? ` defaultNetstreamDriverCAFile="${join(dir, 'ca.pem')}"` +
          ` defaultNetstreamDriverCertFile="${join(dir, 'cert.pem')}"` +
          ` defaultNetstreamDriverKeyFile="${join(dir, 'key.pem')}"`
        : '') +
      ')',
    // rsyslogd's own messages (start, errors) go to a file of their own: the default ruleset.
    `action(type="omfile" file="${join(dir, 'rsyslogd.log')}")`,
    'module(load="imudp")',
    'module(load="imtcp")',
    'module(load="pmciscoios")',
    'module(load="mmpstrucdata")',
    'parser(name="lab.ciscoios" type="pmciscoios" present.origin="on")',
    'template(name="fields" type="list" option.jsonf="on") {',
    field('input', 'inputname'),
    field('version', 'protocol-version'),
    field('pri', 'pri-text'),
    field('facility', 'syslogfacility-text'),
    field('severity', 'syslogseverity-text'),
    field('time', 'timereported', ' dateFormat="rfc3339"'),
    field('hostname', 'hostname'),
    field('tag', 'syslogtag'),
    field('app', 'app-name'),
    field('procid', 'procid'),
    field('msgid', 'msgid'),
    field('sd', 'structured-data'),
    field('sdparsed', '$!rfc5424-sd'),
    field('msg', 'msg'),
    '}',
    // Each device's lines in a file of its own, as a collector files a fleet.
    `template(name="perHost" type="string" string="${join(dir, 'hosts')}/%hostname%.log")`,
    'template(name="line" type="string" string="%syslogtag%%msg%\\n")',
    // What a collector taking both layouts runs: RFC 5424 first, then the IOS layout, then the catch-all.
    'ruleset(name="lab" parser=["rsyslog.rfc5424", "lab.ciscoios", "rsyslog.rfc3164"]) {',
    '  action(type="mmpstrucdata" sd_name.lowercase="off")',
    `  action(type="omfile" file="${join(dir, 'received.json')}" template="fields")`,
    '  action(type="omfile" dynaFile="perHost" template="line")',
    '}',
    `input(type="imudp" port="${ports.udp}" address="127.0.0.1" name="udp" ruleset="lab")`,
    `input(type="imtcp" port="${ports.tcp}" address="127.0.0.1" name="tcp" ruleset="lab")`,
    ...tls,
    '',
  ].join('\n');
}

const host = (transport: SyslogTransport): SyslogHost => ({ address: '127.0.0.1', port: ports[transport], transport });

describe.skipIf(!existsSync(RSYSLOGD))('rsyslogd reads the lab’s syslog', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rsyslogd-'));
    ca = MockCa.generate(Date.now(), { commonName: 'rsyslog-peer CA' });
    const server = ca.issueServerCertificate({ hostnames: ['localhost'], ips: ['127.0.0.1'], now: Date.now() });
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    writeFileSync(join(dir, 'cert.pem'), server.certPem);
    writeFileSync(join(dir, 'key.pem'), server.keyPem, { mode: 0o600 });
    for (const t of TRANSPORTS) ports[t] = await freePort(t);
    writeFileSync(join(dir, 'rsyslog.conf'), config());
    sender = new SyslogSender({ tlsCa: ca.certPem, onProblem: (line) => problems.push(line) });
    // -n: in the foreground; -C: no chdir to /; -i: its own pid file. No imuxsock: /dev/log is left alone.
    rsyslogd = spawn(RSYSLOGD, ['-n', '-C', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslogd.pid')], {
      // pmciscoios reads the IOS timestamp as local time.
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    rsyslogd.on('error', (error) => (stdio += `${error.message}\n`));
    rsyslogd.stdout!.on('data', (d: Buffer) => (stdio += d.toString()));
    rsyslogd.stderr!.on('data', (d: Buffer) => (stdio += d.toString()));
    await until(() => / start$/m.test(read('rsyslogd.log')));
    // Listening: TCP and TLS accept a connection; a UDP probe comes back parsed.
    for (const t of TRANSPORTS.filter((x) => x !== 'udp') as ('tcp' | 'tls')[]) {
      let ok = false;
      for (let i = 0; i < 100 && !(ok = await accepts(t)); i++) await new Promise((r) => setTimeout(r, 20));
      expect(ok, diagnostics()).toBe(true);
    }
    const probe = createSocket('udp4');
    await until(() => {
      probe.send('<14>1 - probe - - - - ready', ports.udp, '127.0.0.1');
      return received().some((m) => m.hostname === 'probe');
    });
    probe.close();
  });
  afterAll(async () => {
    await sender?.close();
    rsyslogd?.kill();
    if (rsyslogd && rsyslogd.exitCode === null) await new Promise((r) => rsyslogd!.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  });

  /** What pmciscoios makes of an IOS-layout line with origin-id hostname. */
  function iosFields(e: DeviceEvent, input: SyslogTransport): unknown {
    const { facility, severity, mnemonic, text } = e.syslog;
    const tag = `%${facility}-${severity}-${mnemonic}`;
    // The IOS timestamp has no year: rsyslog supplies one (the host's), the rest is the device's clock.
    const time = new Date(e.deviceTime).toISOString().slice(4, 23).replace(/\./g, '\\.');
    return {
      input,
      version: '0',
      pri: `local7.${SEVERITIES[severity]}`,
      facility: 'local7',
      severity: SEVERITIES[severity],
      time: expect.stringMatching(new RegExp(`^\\d{4}${time}\\+00:00$`)),
      hostname: e.device,
      tag: `${tag}:`,
      app: tag,
      procid: '-',
      msgid: '-',
      sd: '-',
      sdparsed: null,
      // rsyslog keeps the space after the tag in MSG (as for RFC 3164).
      msg: ` ${text}`,
    };
  }

  it('the IOS layout from a device’s console-configured logging host, over each transport, read by pmciscoios', async () => {
    const lab: LocalLab = await openDeviceLab({ syslog: syslogWire(sender, []) });
    try {
      // One device per transport: IOS keeps one `logging host` per address.
      const devices = TRANSPORTS.map((transport) => {
        const d = lab.device({ hostname: `ios-${transport}` });
        d.exec('configure terminal');
        // origin-id first: the host's own LOGGINGHOST_STARTSTOP carries it too.
        for (const line of [
          'logging origin-id hostname',
          `logging host 127.0.0.1 transport ${transport} port ${ports[transport]}`,
        ])
          expect(d.exec(line)).toBe('');
        const from = d.log.seq;
        d.exec('end');
        d.exec(`license smart register idtoken ${EAST_TOKEN}`);
        return { d, transport, from };
      });
      await lab.clock.advance(MINUTE);
      for (const { d, transport, from } of devices) {
        // What passed the trap level (informational) from the `logging host` line on.
        const events = d.events().filter((e) => e.seq >= from && e.syslog.severity <= 6);
        expect(events.length).toBeGreaterThan(4);
        const got = () => received().filter((m) => m.hostname === `ios-${transport}`);
        await until(() => got().length >= events.length);
        expect(got(), diagnostics()).toEqual(events.map((e) => iosFields(e, transport)));
        // The severity in <PRI> agrees with the one in the tag: %SYS-5- is notice, %SMART_LIC-6- is info.
        expect(got()).toContainEqual(
          expect.objectContaining({
            pri: 'local7.notice',
            tag: '%SYS-5-CONFIG_I:',
            msg: ' Configured from console by console',
          }),
        );
        expect(got()).toContainEqual(
          expect.objectContaining({
            pri: 'local7.info',
            tag: '%SYS-6-LOGGINGHOST_STARTSTOP:',
            msg: ` Logging to host 127.0.0.1 port ${ports[transport]} started - CLI initiated`,
          }),
        );
        expect(got()).toContainEqual(
          expect.objectContaining({ pri: 'local7.info', tag: '%SMART_LIC-6-AGENT_REG_SUCCESS:' }),
        );
        // The device's own file holds its lines, in order (omfile writes it in the same batch, or soon after).
        const lines = events
          .map((e) => `%${e.syslog.facility}-${e.syslog.severity}-${e.syslog.mnemonic}: ${e.syslog.text}\n`)
          .join('');
        await until(() => read(`hosts/ios-${transport}.log`) === lines);
      }
      expect(problems).toEqual([]);
    } finally {
      await lab.close();
    }
  });

  it('RFC 5424 from a device’s factory logging hosts, over each transport: header fields and the UDI as structured data', async () => {
    const lab: LocalLab = await openDeviceLab({ syslog: syslogWire(sender, []) });
    try {
      const hosts = TRANSPORTS.map((transport) => ({ ...host(transport), format: 'rfc5424' }));
      const d = lab.device({ hostname: 'sw-5424', logging: checkLoggingConfig({ hosts }) });
      d.exec(`license smart register idtoken ${EAST_TOKEN}`);
      await lab.clock.advance(MINUTE);
      // The meta sequenceId counts the lines that passed the trap level (informational) since boot.
      const events = d.events().filter((e) => e.syslog.severity <= 6);
      expect(events.length).toBeGreaterThan(4);
      const [, pid, sn] = /^PID:([^,]*),SN:(.*)$/.exec(events[0]!.udi)!;
      expect(pid).toBe('C9300-24P');
      const expected = (transport: SyslogTransport) =>
        events.map((e, i) => {
          const { facility, severity, mnemonic, text } = e.syslog;
          const tag = `${facility}-${severity}-${mnemonic}`;
          return {
            input: transport,
            version: '1',
            pri: `local7.${SEVERITIES[severity]}`,
            facility: 'local7',
            severity: SEVERITIES[severity],
            time: new Date(e.deviceTime).toISOString(),
            hostname: 'sw-5424',
            tag: facility,
            app: facility,
            procid: '-',
            msgid: tag.slice(0, 32),
            sd:
              `[meta sequenceId="${i + 1}"]` +
              `[origin ip="${d.address}" software="IOS-XE" swVersion="${d.release.version}"]` +
              `[udi@9 pid="${pid}" sn="${sn}"]`,
            sdparsed: {
              meta: { sequenceId: String(i + 1) },
              origin: { ip: d.address, software: 'IOS-XE', swVersion: d.release.version },
              'udi@9': { pid, sn },
            },
            msg: `%${tag}: ${text}`,
          };
        });
      for (const transport of TRANSPORTS) {
        const got = () => received().filter((m) => m.hostname === 'sw-5424' && m.input === transport);
        await until(() => got().length >= events.length);
        expect(got(), diagnostics()).toEqual(expected(transport));
        expect(got()).toContainEqual(
          expect.objectContaining({
            severity: 'info',
            app: 'SMART_LIC',
            msgid: 'SMART_LIC-6-AGENT_REG_SUCCESS',
          }),
        );
      }
      expect(problems).toEqual([]);
    } finally {
      await lab.close();
    }
  });

  it('RFC 5424 escaping and octet counting: SD values with " \\ ], a space in the hostname, UTF-8 text, back to back', async () => {
    const event = (n: number): DeviceEvent => ({
      device: 'lab sw"01',
      udi: 'PID:C9300-24P,SN:FOC]"\\' + n,
      seq: n,
      labTime: 0,
      deviceTime: Date.parse('2026-03-13T08:09:24.5Z') + n,
      syslog: { facility: 'SMART_LIC', severity: 4, mnemonic: 'ESCAPES', text: `n°${n} — “quoted” ] \\ [x] é` },
      line: '',
    });
    const options = { facility: 'local0', counter: 0, address: '10.0.0.7', release: '17.9.4"]' } as const;
    for (const transport of TRANSPORTS)
      for (const n of [1, 2, 3]) sender.send(host(transport), formatRfc5424(event(n), { ...options, counter: n }));
    for (const transport of TRANSPORTS) {
      const got = () => received().filter((m) => m.hostname === 'lab_sw"01' && m.input === transport);
      await until(() => got().length >= 3);
      expect(got().map((m) => [m.pri, m.time, m.app, m.msgid, m.sdparsed, m.msg])).toEqual(
        [1, 2, 3].map((n) => [
          'local0.warning',
          `2026-03-13T08:09:24.50${n}Z`,
          'SMART_LIC',
          'SMART_LIC-4-ESCAPES',
          {
            meta: { sequenceId: String(n) },
            origin: { ip: '10.0.0.7', software: 'IOS-XE', swVersion: '17.9.4"]' },
            'udi@9': { pid: 'C9300-24P', sn: `FOC]"\\${n}` },
          },
          `%SMART_LIC-4-ESCAPES: n°${n} — “quoted” ] \\ [x] é`,
        ]),
      );
    }
    expect(problems).toEqual([]);
  });

  it.skipIf(!GTLS)('TLS: a sender that does not trust the collector’s CA sends nothing, and says why', async () => {
    const seen: string[] = [];
    const untrusting = new SyslogSender({ onProblem: (line) => seen.push(line) });
    try {
      untrusting.send(
        host('tls'),
        formatWireMessage('*Mar 13 08:09:24.000: %SYS-5-CONFIG_I: untrusted', {
          severity: 5,
          counter: 1,
          originId: 'untrusted',
        }),
      );
      await until(() => untrusting.counts().failed === 1);
      expect(seen).toEqual([expect.stringMatching(/^syslog to tls 127\.0\.0\.1:\d+: .*certificate/)]);
    } finally {
      await untrusting.close();
    }
    expect(received().filter((m) => m.hostname === 'untrusted')).toEqual([]);
  });
});
