/**
 * Cisco Smart License Utility, as product instances and CSSM see it (cssm-api.md §4, smart-licensing.md
 * §9.6): devices push RUM reports to it (or it pulls them), it relays them to CSSM — at once when it is
 * connected, by export file when it is not — and hands each device its ACK when the device polls.
 * Reports are checked as CSLU can check them (shape, and each signature against the key it names); who
 * the device is, CSSM decides. Timers come from the lab clock; every exchange is tracked on it.
 */
import {
  decodeSmartLicense,
  formatSlpFile,
  openRumReport,
  parseSlpFile,
  PollRequest,
  ReportUsageRequest,
  SLP_POLL_INTERVAL_S,
  sudiString,
  type Clock,
  type ErrorCode,
  type PollResponse,
  type Sudi,
  type TimerId,
} from '#protocol';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { CsluStore, reportKey, type CsluInstance, type CsluPoll, type CsluReport } from './cslu-store.ts';
import type { SlpUpstream } from './cslu-upstream.ts';

export interface CsluOptions {
  clock: Clock;
  store?: CsluStore;
  /** CSSM; absent when this CSLU is disconnected from it (usage leaves by export file, ACKs come by import). */
  upstream?: SlpUpstream;
  /** What devices are told to wait before polling for their ACK, in seconds. */
  pollIntervalS?: number;
  /** After a failed upload or poll, CSLU tries CSSM again this much later. */
  retryMs?: number;
  log?: (line: string) => void;
}

/** An answer to a product instance: HTTP status and a JSON body. */
export interface CsluAnswer {
  status: number;
  body: object;
}

const DEFAULT_RETRY_MS = 15 * 60_000;
/** CSSM's refusals of the reports themselves (cloud-mock/protocol/errors.ts), not of CSLU. */
const REPORT_REFUSALS: ReadonlySet<string> = new Set([
  'SCHEMA_VIOLATION',
  'RUM_REPORT_INVALID',
  'RUM_KEY_MISMATCH',
  'RUM_REPORT_DUPLICATE',
  'UDI_REGISTERED_ELSEWHERE',
  'IDENTITY_MISMATCH',
] satisfies ErrorCode[]);
/** CSSM takes at most this many devices per upload (ReportUsageRequest). */
const DEVICES_PER_UPLOAD = 1000;
/** Poll ids are integers beyond 2^53, as CSSM's are (cssm-api.md §1.3.11). */
const POLL_ID_BASE = 773_126_444_402_795_000n;

const checkUsage = TypeCompiler.Compile(ReportUsageRequest);
const checkPoll = TypeCompiler.Compile(PollRequest);

function failed(status: number, message: string): CsluAnswer {
  return { status, body: { status: 'FAILED', message } };
}

/** The UDI and report ids an ACK names (read, not verified: CSLU holds no CSSM key; the device checks it). */
function ackIdentity(smartLicense: string): { sudi: Sudi; reportIds: number[] } | undefined {
  const doc = decodeSmartLicense(smartLicense) as { kind?: unknown; payload?: unknown } | undefined;
  if (doc?.kind !== 'RUM_ACK' || typeof doc.payload !== 'string') return undefined;
  try {
    const p = JSON.parse(doc.payload) as { sudi?: Sudi; report_ids?: unknown };
    return p.sudi && Array.isArray(p.report_ids) ? { sudi: p.sudi, reportIds: p.report_ids as number[] } : undefined;
  } catch {
    return undefined;
  }
}

export class CsluService {
  readonly store: CsluStore;
  readonly #clock: Clock;
  readonly #upstream: SlpUpstream | undefined;
  readonly #pollIntervalS: number;
  readonly #retryMs: number;
  readonly #log: (line: string) => void;
  #uploadTimer: TimerId | undefined;
  readonly #pollTimers = new Map<string, TimerId>();
  #closed = false;
  #uploading: Promise<void> | undefined;
  #uploadAgain = false;
  /** The last reason CSSM could not be reached, for `status()`; undefined once an exchange succeeds. */
  #lastFailure: string | undefined;

  constructor(options: CsluOptions) {
    this.#clock = options.clock;
    this.store = options.store ?? new CsluStore();
    this.#upstream = options.upstream;
    this.#pollIntervalS = options.pollIntervalS ?? SLP_POLL_INTERVAL_S;
    this.#retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
    this.#log = options.log ?? (() => {});
    // A restart picks up where it stopped: held reports go up, CSSM's polls are asked again.
    if (this.#upstream) {
      if (this.store.reportsIn('RECEIVED').length > 0) this.#scheduleUpload(0);
      for (const poll of this.store.polls('upstream')) this.#schedulePoll(poll.id, 0);
    }
  }

  get connected(): boolean {
    return this.#upstream !== undefined;
  }

  /**
   * `POST /cslu/v1/pi/reportusage`: hold the reports, answer a poll id, send them on. A pull (cslu-pull.ts)
   * hands in what it fetched from a device the same way, `via: 'pull'`.
   */
  reportUsage(body: unknown, via: CsluInstance['via'] = 'push'): CsluAnswer {
    if (!checkUsage.Check(body)) return failed(400, 'the body is not a usage report upload');
    const now = this.#clock.now();
    const accepted: CsluReport[] = [];
    for (const entry of body.data.reports) {
      for (const [i, report] of entry.usage.entries()) {
        const opened = openRumReport(report, entry.sudi);
        if (!opened.ok) return failed(400, `report ${i + 1} of ${sudiString(entry.sudi)}: ${opened.reason}`);
        const identity = { reportId: opened.value.asset_identification.report_id };
        accepted.push({
          sudi: entry.sudi,
          ...(entry.hostname ? { hostname: entry.hostname } : {}),
          reportId: identity.reportId,
          report,
          state: 'RECEIVED',
          receivedAt: now,
        });
      }
    }
    const poll: CsluPoll = {
      id: this.#newPollId(),
      side: 'device',
      action: 'acknowledgements',
      reports: accepted.map((r) => reportKey(r.sudi, r.reportId)),
      createdAt: now,
    };
    this.store.transaction(() => {
      for (const entry of body.data.reports) this.#seen(entry.sudi, entry.hostname, via);
      // A device that lost CSLU's answer sends the same report again: keep the first copy and its progress.
      for (const r of accepted) if (!this.store.report(reportKey(r.sudi, r.reportId))) this.store.putReport(r);
      this.store.putPoll(poll);
    });
    if (this.#upstream) this.#scheduleUpload(0);
    return {
      status: 202,
      body: {
        status: 'OK_POLL',
        poll_id: poll.id,
        poll_interval: this.#pollIntervalS,
        action: 'acknowledgements',
        timestamp: now,
        nonce: body.data.nonce,
      },
    };
  }

  /** `POST /cslu/v1/pi/poll`: the device's ACKs once every report of its upload has one. */
  poll(body: unknown, via: CsluInstance['via'] = 'push'): CsluAnswer {
    if (!checkPoll.Check(body)) return failed(400, 'the body is not a poll');
    const poll = this.store.poll(body.data.poll_id);
    if (!poll || poll.side !== 'device' || poll.action !== body.data.action)
      return failed(404, `no poll ${body.data.poll_id} for ${body.data.action}`);
    const reports = poll.reports.map((k) => this.store.report(k)).filter((r) => r !== undefined);
    if (reports.some((r) => r.ack === undefined)) {
      const pending: PollResponse = { status: 'OK_POLL', poll_id: poll.id, message: '' };
      return { status: 200, body: pending };
    }
    const acks = new Map<string, { sudi: Sudi; smart_license: string }>();
    for (const r of reports) acks.set(r.ack!, { sudi: r.sudi, smart_license: r.ack! });
    this.store.transaction(() => {
      for (const r of reports) {
        this.store.putReport({ ...r, state: 'DELIVERED' });
        this.#seen(r.sudi, r.hostname, via);
      }
    });
    const complete: PollResponse = {
      status: 'COMPLETE',
      type: 'acknowledgements',
      data: {
        acknowledgements: [...acks.values()].map((a) => ({ ...a, status: 'SUCCESS' as const, status_message: null })),
      },
    };
    return { status: 200, body: complete };
  }

  /**
   * The export file of a disconnected CSLU: every report not yet sent, as a device's usage file, for the
   * admin to upload to CSSM. They count as sent from now on.
   */
  exportUsage(): { file: string; reports: number } {
    const held = this.store.reportsIn('RECEIVED');
    const now = this.#clock.now();
    this.store.transaction(() => {
      for (const r of held) this.store.putReport({ ...r, state: 'SENT', sentAt: now });
    });
    return { file: formatSlpFile(held.map((r) => ({ element: 'RUMReport', value: r.report }))), reports: held.length };
  }

  /** The ACK file CSSM gave back for an export: each ACK waits for its device's next poll. */
  importAcks(file: string | Uint8Array): { ok: true; acks: number; reports: number } | { ok: false; reason: string } {
    const parsed = parseSlpFile(file);
    if (!parsed.ok) return parsed;
    const acks: string[] = [];
    for (const entry of parsed.value) {
      if (entry.element !== 'RUMACK') return { ok: false, reason: `<${entry.element}> is not an ACK` };
      const smartLicense = Buffer.from(JSON.stringify(entry.value)).toString('base64');
      if (!ackIdentity(smartLicense)) return { ok: false, reason: 'an ACK in the file names no product instance' };
      acks.push(smartLicense);
    }
    let reports = 0;
    this.store.transaction(() => {
      for (const ack of acks) reports += this.#acknowledge(ack);
    });
    return { ok: true, acks: acks.length, reports };
  }

  /** What the CSLU window shows: its product instances and where their reports are. */
  status(): {
    connected: boolean;
    upstream: string | undefined;
    lastFailure: string | undefined;
    instances: number;
    reports: ReturnType<CsluStore['reportCounts']>;
  } {
    return {
      connected: this.connected,
      upstream: this.#upstream?.description,
      lastFailure: this.#lastFailure,
      instances: this.store.instances().length,
      reports: this.store.reportCounts(),
    };
  }

  /**
   * Sends held reports to CSSM now (the admin's "Send to CSSM"); resolves when CSSM has answered. One upload
   * runs at a time: a call while one runs waits for it, then sends what arrived meanwhile, so no report
   * goes up twice.
   */
  upload(): Promise<void> {
    if (this.#uploading) {
      this.#uploadAgain = true;
      return this.#uploading;
    }
    this.#uploading = (async () => {
      do {
        this.#uploadAgain = false;
        await this.#uploadHeld();
      } while (this.#uploadAgain && !this.#closed);
    })().finally(() => (this.#uploading = undefined));
    return this.#uploading;
  }

  async #uploadHeld(): Promise<void> {
    const held = this.store.reportsIn('RECEIVED');
    const byDevice = new Map<string, CsluReport[]>();
    for (const r of held) byDevice.set(sudiString(r.sudi), [...(byDevice.get(sudiString(r.sudi)) ?? []), r]);
    const devices = [...byDevice.values()];
    for (let i = 0; i < devices.length && !this.#closed; i += DEVICES_PER_UPLOAD)
      if (!(await this.#send(devices.slice(i, i + DEVICES_PER_UPLOAD)))) return;
  }

  /**
   * One upload of some devices' reports. False when CSSM could not take it now (unreachable, overloaded,
   * or CSLU not allowed in): the reports stay held and go up again later. A refusal of the reports
   * themselves is pinned to the device it is about: a batch is split until each refusal names one device.
   */
  async #send(devices: CsluReport[][]): Promise<boolean> {
    const upstream = this.#upstream;
    if (!upstream || this.#closed) return false;
    const body = {
      data: {
        timestamp: this.#clock.now(),
        nonce: `cslu${this.store.next('nonce').toString().padStart(12, '0')}`,
        reports: devices.map((rs) => ({
          sudi: rs[0]!.sudi,
          ...(rs[0]!.hostname ? { hostname: rs[0]!.hostname } : {}),
          usage: rs.map((r) => r.report),
        })),
      },
    };
    const answer = await upstream.send('reportUsage', body);
    if (this.#closed) return false;
    if (!answer.ok) return this.#failedUpstream(answer.reason);
    const reply = answer.body as {
      status?: unknown;
      poll_id?: unknown;
      poll_interval?: unknown;
      message?: unknown;
      message_code?: unknown;
    };
    const sent = devices.flat();
    const now = this.#clock.now();
    if (reply?.status === 'OK_POLL' && typeof reply.poll_id === 'string') {
      const poll: CsluPoll = {
        id: reply.poll_id,
        side: 'upstream',
        action: 'acknowledgements',
        reports: sent.map((r) => reportKey(r.sudi, r.reportId)),
        createdAt: now,
      };
      this.store.transaction(() => {
        for (const r of sent) this.store.putReport({ ...r, state: 'SENT', sentAt: now });
        this.store.putPoll(poll);
      });
      this.#lastFailure = undefined;
      this.#schedulePoll(poll.id, typeof reply.poll_interval === 'number' ? reply.poll_interval * 1000 : 0);
      return true;
    }
    const reason = typeof reply?.message === 'string' ? reply.message : `HTTP ${answer.status}`;
    // Not about the reports: CSLU's own standing with CSSM (credentials, account, VA, rate, CSSM itself).
    if (!REPORT_REFUSALS.has(String(reply?.message_code)))
      return this.#failedUpstream(`CSSM refused the upload: ${reason}`);
    if (devices.length > 1) {
      const half = Math.ceil(devices.length / 2);
      return (await this.#send(devices.slice(0, half))) && (await this.#send(devices.slice(half)));
    }
    this.#log(`[cslu] CSSM refused the ${sent.length} report(s) of ${sudiString(sent[0]!.sudi)}: ${reason}`);
    this.store.transaction(() => {
      for (const r of sent) this.store.putReport({ ...r, state: 'SENT', sentAt: now, refused: reason });
    });
    return true;
  }

  close(): void {
    this.#closed = true;
    if (this.#uploadTimer !== undefined) this.#clock.clearTimeout(this.#uploadTimer);
    for (const t of this.#pollTimers.values()) this.#clock.clearTimeout(t);
    this.#pollTimers.clear();
    this.store.close();
  }

  #seen(sudi: Sudi, hostname: string | undefined, via: CsluInstance['via']): void {
    const now = this.#clock.now();
    const known = this.store.instance(sudi);
    this.store.putInstance({
      sudi,
      ...((hostname ?? known?.hostname) ? { hostname: hostname ?? known!.hostname! } : {}),
      firstSeen: known?.firstSeen ?? now,
      lastContact: now,
      via,
    });
  }

  #newPollId(): string {
    return (POLL_ID_BASE + BigInt(this.store.next('poll'))).toString();
  }

  /** Marks the reports an ACK covers; returns how many. */
  #acknowledge(smartLicense: string): number {
    const who = ackIdentity(smartLicense);
    if (!who) return 0;
    let n = 0;
    for (const id of who.reportIds) {
      const r = this.store.report(reportKey(who.sudi, id));
      if (!r || r.state === 'DELIVERED') continue;
      this.store.putReport({ ...r, state: 'ACKED', ack: smartLicense });
      n += 1;
    }
    return n;
  }

  #failedUpstream(reason: string): false {
    this.#lastFailure = reason;
    this.#log(`[cslu] ${reason}; trying again in ${this.#retryMs / 60_000} min`);
    this.#scheduleUpload(this.#retryMs);
    return false;
  }

  #scheduleUpload(ms: number): void {
    if (this.#uploadTimer !== undefined || this.#closed) return;
    this.#uploadTimer = this.#clock.setTimeout(() => {
      this.#uploadTimer = undefined;
      void this.#clock.track(this.upload());
    }, ms);
  }

  #schedulePoll(id: string, ms: number): void {
    if (this.#pollTimers.has(id) || this.#closed) return;
    this.#pollTimers.set(
      id,
      this.#clock.setTimeout(() => {
        this.#pollTimers.delete(id);
        void this.#clock.track(this.#pollUpstream(id));
      }, ms),
    );
  }

  async #pollUpstream(id: string): Promise<void> {
    const upstream = this.#upstream;
    const poll = this.store.poll(id);
    if (!upstream || !poll || this.#closed) return;
    const answer = await upstream.send('poll', {
      data: {
        timestamp: this.#clock.now(),
        nonce: `cslu${this.store.next('nonce').toString().padStart(12, '0')}`,
        poll_id: id,
        action: poll.action,
      },
    });
    if (this.#closed) return;
    if (!answer.ok) {
      this.#lastFailure = answer.reason;
      return this.#schedulePoll(id, this.#retryMs);
    }
    const reply = answer.body as PollResponse | undefined;
    if (reply?.status === 'COMPLETE') {
      this.store.transaction(() => {
        for (const a of reply.data.acknowledgements ?? [])
          if (a.status === 'SUCCESS') this.#acknowledge(a.smart_license);
        this.store.deletePoll(id);
      });
      this.#lastFailure = undefined;
      return;
    }
    if (reply?.status === 'OK_POLL') return this.#schedulePoll(id, this.#pollIntervalS * 1000);
    // CSSM no longer knows the poll: the reports go up again.
    this.#log(
      `[cslu] CSSM answered poll ${id}: ${reply?.status === 'FAILED' ? reply.message : `HTTP ${answer.status}`}`,
    );
    this.store.transaction(() => {
      for (const key of poll.reports) {
        const r = this.store.report(key);
        if (r?.state === 'SENT') this.store.putReport({ ...r, state: 'RECEIVED' });
      }
      this.store.deletePoll(id);
    });
    this.#scheduleUpload(this.#retryMs);
  }
}
