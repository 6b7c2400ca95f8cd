/**
 * CSLU pull mode ("CSLU Initiated - REST API", smart-licensing.md §9.6, §10.4): CSLU keeps a list of
 * product instances added by host (the window's "Add Single Product"), and on its schedule and on the
 * admin's "Collect usage" it logs in to each device's on-box REST API, closes the open reports, fetches the
 * closed ones and hands them to CsluService exactly as a pushed upload (`reportUsage(…, 'pull')`), so they
 * reach CSSM by the one relay path. When their ACKs are back it imports them into the device
 * (`POST /smartlic-service/import`). A device that cannot be reached, refuses the login or answers
 * nonsense gets the reason recorded against it; the others go on. Timers come from the lab clock.
 */
import {
  openRumReport,
  RUM_REPORT_MAX,
  SLP_POLL_INTERVAL_S,
  type Clock,
  type RumReport,
  type Sudi,
  type TimerId,
} from '#protocol';
import type { CsluService } from './cslu-service.ts';
import { reportKey, type PullTarget } from './cslu-store.ts';
import type { DeviceAnswer, DeviceCall, DeviceSender } from './cslu-device-sender.ts';

/**
 * How often CSLU pulls from every product instance it knows. Public sources give no default for CSLU's
 * scheduler; once a day is the lab's choice (well inside every policy's reporting interval).
 */
export const DEFAULT_PULL_INTERVAL_MS = 24 * 60 * 60_000;
/** Devices pulled at once. */
const PULL_CONCURRENCY = 16;

export interface CsluPullOptions {
  service: CsluService;
  clock: Clock;
  send: DeviceSender;
  /** How often every product instance is pulled; 0: only on demand. Default DEFAULT_PULL_INTERVAL_MS. */
  intervalMs?: number;
  /** How often CSLU looks whether pulled reports' ACKs are back; default the SLP poll interval. */
  ackCheckMs?: number;
  log?: (line: string) => void;
}

/** What the admin gives to add a product instance. */
export interface PullTargetInput {
  host: string;
  port?: number;
  user: string;
  password: string;
}

/** A pull target as the admin API shows it: never the password. */
export type PullTargetView = Omit<PullTarget, 'password' | 'polls' | 'acks'> & {
  awaitingAcks: number;
  acksToDeliver: number;
};

export interface PullOutcome {
  host: string;
  ok: boolean;
  /** Reports fetched that CSLU did not have yet. */
  reports: number;
  /** ACKs imported into the device. */
  acks: number;
  error?: string;
}

const HOST = /^[A-Za-z0-9]([A-Za-z0-9._:-]{0,252})$/;

function viewOf(t: PullTarget): PullTargetView {
  const { password: _, polls, acks, ...rest } = t;
  return { ...rest, awaitingAcks: polls.length, acksToDeliver: acks.length };
}

/** What went wrong with a device's answer, or undefined when it is a 2xx. */
function problem(call: Pick<DeviceCall, 'method' | 'path'>, a: DeviceAnswer): string | undefined {
  if (!a.ok) return a.reason;
  if (a.status >= 200 && a.status < 300) return undefined;
  const said = (a.body as { message?: unknown } | undefined)?.message;
  const detail = typeof said === 'string' ? `: ${said}` : '';
  if (a.status === 401) return `the device refused CSLU's login (HTTP 401${detail}); check the user name and password`;
  if (a.status === 403) return `the device's user may not use the REST API (HTTP 403${detail}); it needs privilege 15`;
  return `${call.method} ${call.path} answered HTTP ${a.status}${detail}`;
}

export class CsluPull {
  readonly #service: CsluService;
  readonly #clock: Clock;
  readonly #send: DeviceSender;
  readonly #intervalMs: number;
  readonly #ackCheckMs: number;
  readonly #log: (line: string) => void;
  readonly #inFlight = new Map<string, Promise<PullOutcome>>();
  #pullTimer: TimerId | undefined;
  #ackTimer: TimerId | undefined;
  #closed = false;

  constructor(options: CsluPullOptions) {
    this.#service = options.service;
    this.#clock = options.clock;
    this.#send = options.send;
    this.#intervalMs = options.intervalMs ?? DEFAULT_PULL_INTERVAL_MS;
    this.#ackCheckMs = options.ackCheckMs ?? SLP_POLL_INTERVAL_S * 1000;
    this.#log = options.log ?? (() => {});
    if (!Number.isInteger(this.#intervalMs) || this.#intervalMs < 0)
      throw new Error(`[cslu] the pull interval must be a whole number of ms ≥ 0, got ${this.#intervalMs}`);
    this.#schedulePull();
    // A restart picks up where it stopped: ACKs still owed to devices are looked for again.
    this.#scheduleAckCheck();
  }

  get intervalMs(): number {
    return this.#intervalMs;
  }

  /** Adds a product instance, or changes the login or port of one already added. */
  add(input: unknown): { ok: true; target: PullTargetView } | { ok: false; reason: string } {
    const i = input as Partial<PullTargetInput> | null;
    if (typeof i !== 'object' || i === null) return { ok: false, reason: 'give { host, user, password[, port] }' };
    if (typeof i.host !== 'string' || !HOST.test(i.host))
      return { ok: false, reason: `host must be a host name or IP address, got ${JSON.stringify(i.host)}` };
    if (i.port !== undefined && (!Number.isInteger(i.port) || i.port < 1 || i.port > 65535))
      return { ok: false, reason: `port must be 1-65535, got ${JSON.stringify(i.port)}` };
    if (typeof i.user !== 'string' || i.user.length === 0 || i.user.length > 64 || i.user.includes(':'))
      return { ok: false, reason: 'user must be 1-64 characters without a colon (HTTP Basic)' };
    if (typeof i.password !== 'string' || i.password.length === 0 || i.password.length > 128)
      return { ok: false, reason: 'password must be 1-128 characters' };
    const known = this.#service.store.pullTarget(i.host);
    const { lastError: _, ...kept } = known ?? {};
    const target: PullTarget = {
      polls: [],
      acks: [],
      reportsPulled: 0,
      acksDelivered: 0,
      addedAt: this.#clock.now(),
      ...kept,
      host: i.host,
      user: i.user,
      password: i.password,
    };
    if (i.port !== undefined) target.port = i.port;
    else delete target.port;
    this.#service.store.putPullTarget(target);
    return { ok: true, target: viewOf(target) };
  }

  /** Forgets a product instance (its reports already in CSLU stay and go on to CSSM). */
  remove(host: string): boolean {
    return this.#service.store.deletePullTarget(host);
  }

  list(): PullTargetView[] {
    return this.#service.store.pullTargets().map(viewOf);
  }

  /**
   * "Collect usage": pulls from one product instance, or from all, now; resolves with each outcome (the
   * reports then go up on CSLU's own upload, their ACKs come down on its ACK check). Undefined: no such host.
   */
  async collect(host?: string): Promise<PullOutcome[] | undefined> {
    const targets = this.#service.store.pullTargets().filter((t) => host === undefined || t.host === host);
    if (host !== undefined && targets.length === 0) return undefined;
    const outcomes: PullOutcome[] = [];
    const queue = [...targets];
    const worker = async (): Promise<void> => {
      for (let t = queue.shift(); t && !this.#closed; t = queue.shift()) outcomes.push(await this.#pullOnce(t.host));
    };
    await Promise.all(Array.from({ length: Math.min(PULL_CONCURRENCY, queue.length) }, worker));
    this.#scheduleAckCheck();
    return outcomes.sort((a, b) => a.host.localeCompare(b.host));
  }

  close(): void {
    this.#closed = true;
    if (this.#pullTimer !== undefined) this.#clock.clearTimeout(this.#pullTimer);
    if (this.#ackTimer !== undefined) this.#clock.clearTimeout(this.#ackTimer);
  }

  /** One pull of one host at a time: a second ask while one runs gets the running one's outcome. */
  #pullOnce(host: string): Promise<PullOutcome> {
    const running = this.#inFlight.get(host);
    if (running) return running;
    const work = this.#pull(host).finally(() => this.#inFlight.delete(host));
    this.#inFlight.set(host, work);
    return work;
  }

  async #pull(host: string): Promise<PullOutcome> {
    const outcome: PullOutcome = { host, ok: false, reports: 0, acks: 0 };
    const fail = (error: string): PullOutcome => {
      this.#log(`[cslu] pull from ${host}: ${error}`);
      this.#update(host, (t) => ({ ...t, lastAttempt: this.#clock.now(), lastError: error }));
      return { ...outcome, error };
    };
    const target = this.#service.store.pullTarget(host);
    if (!target) return fail('no such product instance');
    // ACKs that came back since the last pull go in first: the device then stops listing those reports.
    const delivered = await this.#deliver(host);
    if (typeof delivered === 'string') return fail(delivered);
    outcome.acks = delivered;
    const close = { method: 'POST', path: '/smartlic-service/close-reports' } as const;
    const closed = await this.#call(target, close);
    const closeProblem = problem(close, closed);
    if (closeProblem) return fail(closeProblem);
    const fetch = { method: 'GET', path: '/smartlic-service/all-reports' } as const;
    const fetched = await this.#call(target, fetch);
    const fetchProblem = problem(fetch, fetched);
    if (fetchProblem) return fail(fetchProblem);
    const reports = (fetched.ok ? fetched.body : undefined) as { reports?: unknown } | undefined;
    if (!Array.isArray(reports?.reports))
      return fail(`the device's answer to GET ${fetch.path} is not a report list ({ "reports": [...] })`);
    const fresh: { sudi: Sudi; report: RumReport }[] = [];
    for (const [i, report] of reports.reports.entries()) {
      const sudi = (report as { signature?: { sudi?: Sudi } } | null)?.signature?.sudi;
      const opened = sudi ? openRumReport(report, sudi) : { ok: false as const, reason: 'it names no UDI' };
      if (!opened.ok) return fail(`report ${i + 1} the device handed out: ${opened.reason}`);
      const key = reportKey(sudi!, opened.value.asset_identification.report_id);
      // Reports CSLU already holds (pulled before, ACK not yet imported) are not sent again.
      if (!this.#service.store.report(key)) fresh.push({ sudi: sudi!, report: report as RumReport });
    }
    const polls: string[] = [];
    const bySudi = new Map<string, { sudi: Sudi; usage: RumReport[] }[]>();
    for (const f of fresh) {
      const key = JSON.stringify(f.sudi);
      const entries = bySudi.get(key) ?? [];
      const last = entries.at(-1);
      if (last && last.usage.length < RUM_REPORT_MAX) last.usage.push(f.report);
      else entries.push({ sudi: f.sudi, usage: [f.report] });
      bySudi.set(key, entries);
    }
    const entries = [...bySudi.values()].flat();
    if (entries.length > 0) {
      const answer = this.#service.reportUsage(
        { data: { timestamp: this.#clock.now(), nonce: this.#nonce(), reports: entries } },
        'pull',
      );
      const body = answer.body as { poll_id?: unknown; message?: unknown };
      if (answer.status !== 202 || typeof body.poll_id !== 'string')
        return fail(`CSLU could not take the device's reports: ${String(body.message ?? `HTTP ${answer.status}`)}`);
      polls.push(body.poll_id);
    }
    const now = this.#clock.now();
    this.#update(host, (t) => {
      const { lastError: _, ...rest } = t;
      return {
        ...rest,
        ...(entries[0] ? { sudi: entries[0].sudi } : {}),
        polls: [...t.polls, ...polls],
        reportsPulled: t.reportsPulled + fresh.length,
        acksDelivered: t.acksDelivered,
        lastAttempt: now,
        lastSuccess: now,
      };
    });
    if (fresh.length > 0) this.#log(`[cslu] pulled ${fresh.length} report(s) from ${host}`);
    return { ...outcome, ok: true, reports: fresh.length };
  }

  /**
   * Collects the ACKs of this host's pulled reports that CSSM has answered, and imports every ACK owed into
   * the device. Returns how many it imported, or why the device could not take them (they stay owed).
   */
  async #deliver(host: string): Promise<number | string> {
    const target = this.#service.store.pullTarget(host);
    if (!target) return 0;
    const acks = new Set(target.acks);
    const waiting: string[] = [];
    for (const id of target.polls) {
      const answer = this.#service.poll(
        { data: { timestamp: this.#clock.now(), nonce: this.#nonce(), poll_id: id, action: 'acknowledgements' } },
        'pull',
      );
      const body = answer.body as { status?: string; data?: { acknowledgements?: { smart_license: string }[] } };
      if (answer.status === 200 && body.status === 'COMPLETE')
        for (const a of body.data?.acknowledgements ?? []) acks.add(a.smart_license);
      else if (answer.status === 200) waiting.push(id);
      // Any other answer: CSLU no longer knows the poll; the reports are pulled again if still unACKed.
    }
    this.#update(host, (t) => ({ ...t, polls: waiting, acks: [...acks] }));
    if (acks.size === 0) return 0;
    const call = { method: 'POST', path: '/smartlic-service/import' } as const;
    const answer = await this.#call(target, { ...call, body: { smart_license: [...acks] } });
    if (!answer.ok) return answer.reason;
    if (answer.status === 400) {
      // The device checked them and refused (not its UDI, bad signature): retrying cannot help.
      const reason = problem(call, answer)!;
      this.#log(`[cslu] ${host} refused ${acks.size} ACK(s): ${reason}`);
      this.#update(host, (t) => ({ ...t, acks: t.acks.filter((a) => !acks.has(a)) }));
      return `the device refused the ACK(s): ${reason}`;
    }
    const importProblem = problem(call, answer);
    if (importProblem) return importProblem;
    this.#update(host, (t) => ({
      ...t,
      acks: t.acks.filter((a) => !acks.has(a)),
      acksDelivered: t.acksDelivered + acks.size,
    }));
    this.#log(`[cslu] imported ${acks.size} ACK(s) into ${host}`);
    return acks.size;
  }

  async #deliverAll(): Promise<void> {
    for (const t of this.#service.store.pullTargets()) {
      if (this.#closed) return;
      if (t.polls.length === 0 && t.acks.length === 0) continue;
      const delivered = await this.#deliver(t.host);
      if (typeof delivered === 'string') {
        this.#log(`[cslu] ACK for ${t.host}: ${delivered}`);
        this.#update(t.host, (x) => ({ ...x, lastError: delivered }));
      }
    }
  }

  #call(target: PullTarget, call: Pick<DeviceCall, 'method' | 'path' | 'body'>): Promise<DeviceAnswer> {
    return this.#send({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      ...call,
    });
  }

  /** Rewrites a target if it is still there (the admin may remove it while a pull runs). */
  #update(host: string, change: (t: PullTarget) => PullTarget): void {
    this.#service.store.transaction(() => {
      const t = this.#service.store.pullTarget(host);
      if (t) this.#service.store.putPullTarget(change(t));
    });
  }

  #nonce(): string {
    return `pull${this.#service.store.next('nonce').toString().padStart(12, '0')}`;
  }

  #schedulePull(): void {
    if (this.#intervalMs === 0 || this.#closed || this.#pullTimer !== undefined) return;
    this.#pullTimer = this.#clock.setTimeout(() => {
      this.#pullTimer = undefined;
      void this.#clock.track(
        this.collect()
          .catch((err: unknown) => void this.#log(`[cslu] scheduled pull failed: ${String(err)}`))
          .finally(() => this.#schedulePull()),
      );
    }, this.#intervalMs);
  }

  #scheduleAckCheck(): void {
    if (this.#closed || this.#ackTimer !== undefined) return;
    if (!this.#service.store.pullTargets().some((t) => t.polls.length > 0 || t.acks.length > 0)) return;
    this.#ackTimer = this.#clock.setTimeout(() => {
      this.#ackTimer = undefined;
      void this.#clock.track(
        this.#deliverAll()
          .catch((err: unknown) => void this.#log(`[cslu] ACK delivery failed: ${String(err)}`))
          .finally(() => this.#scheduleAckCheck()),
      );
    }, this.#ackCheckMs);
  }
}
