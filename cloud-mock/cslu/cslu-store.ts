/**
 * What CSLU keeps between restarts (node:sqlite, one row per product instance, report, poll and pull target, so a push
 * from one of thousands of devices writes a few rows, never the whole state). `:memory:` for labs that
 * start it afresh. Every value is plain JSON.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { sudiString, type PollAction, type RumReport, type Sudi } from '#protocol';

export interface CsluInstance {
  sudi: Sudi;
  hostname?: string;
  firstSeen: number;
  lastContact: number;
  /** How its usage last arrived: the device pushed it, or CSLU pulled it from the device. */
  via: 'push' | 'pull';
}

/**
 * RECEIVED: held, not yet sent to CSSM; SENT: uploaded (or written to an export file), waiting for the ACK;
 * ACKED: the ACK is here for the device to collect; DELIVERED: the device has it.
 */
export type ReportState = 'RECEIVED' | 'SENT' | 'ACKED' | 'DELIVERED';

export interface CsluReport {
  sudi: Sudi;
  hostname?: string;
  reportId: number;
  report: RumReport;
  state: ReportState;
  receivedAt: number;
  sentAt?: number;
  /** Base64 `smart_license` of the ACK that covers it, once it came back. */
  ack?: string;
  /** Why CSSM refused it, when it did (it stays RECEIVED only if the refusal may pass). */
  refused?: string;
}

/** A poll id handed out, to a device (its reports) or by CSSM (reports CSLU uploaded). */
export interface CsluPoll {
  id: string;
  side: 'device' | 'upstream';
  action: PollAction;
  /** Report keys (reportKey) the poll is about. */
  reports: string[];
  createdAt: number;
}

/**
 * A product instance CSLU pulls from (the CSLU window's "Add Single Product", connect method "CSLU
 * Initiated - REST API"): where it is, the login its HTTP server takes, and how the last pull went.
 */
export interface PullTarget {
  /** Host name or IP address, as the admin typed it; the key. */
  host: string;
  /** The device's HTTP port; absent: 80. */
  port?: number;
  user: string;
  password: string;
  addedAt: number;
  lastAttempt?: number;
  lastSuccess?: number;
  /** Why the last attempt failed; absent once one succeeds. */
  lastError?: string;
  /** The UDI its reports name, once a pull brought one. */
  sudi?: Sudi;
  /** CSLU's own polls for the ACKs of reports pulled from it (CsluService's device-side poll ids). */
  polls: string[];
  /** ACKs (base64 `smart_license`) that came back and are not yet imported into the device. */
  acks: string[];
  reportsPulled: number;
  acksDelivered: number;
}

export function reportKey(sudi: Sudi, reportId: number): string {
  return `${sudiString(sudi)}#${reportId}`;
}

type Table = 'instances' | 'reports' | 'polls' | 'pull_targets';

export class CsluStore {
  readonly path: string;
  readonly #db: DatabaseSync;

  constructor(path = ':memory:') {
    this.path = path === ':memory:' ? path : resolve(path);
    if (this.path !== ':memory:') mkdirSync(dirname(this.path), { recursive: true });
    this.#db = new DatabaseSync(this.path);
    this.#db.exec(`PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS instances (key TEXT PRIMARY KEY, json TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS reports (key TEXT PRIMARY KEY, state TEXT NOT NULL, json TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS reports_by_state ON reports (state);
      CREATE TABLE IF NOT EXISTS polls (key TEXT PRIMARY KEY, json TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS pull_targets (key TEXT PRIMARY KEY, json TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);`);
  }

  #get<T>(table: Table, key: string): T | undefined {
    const row = this.#db.prepare(`SELECT json FROM ${table} WHERE key = ?`).get(key) as { json: string } | undefined;
    return row && (JSON.parse(row.json) as T);
  }

  #put(table: Table, key: string, value: object, state?: string): void {
    const json = JSON.stringify(value);
    if (table === 'reports')
      this.#db
        .prepare(
          'INSERT INTO reports (key, state, json) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET state = excluded.state, json = excluded.json',
        )
        .run(key, state ?? '', json);
    else
      this.#db
        .prepare(`INSERT INTO ${table} (key, json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET json = excluded.json`)
        .run(key, json);
  }

  /** All of `fn`'s writes in one commit. */
  transaction<T>(fn: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      this.#db.exec('COMMIT');
      return out;
    } catch (err) {
      this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  instance(sudi: Sudi): CsluInstance | undefined {
    return this.#get('instances', sudiString(sudi));
  }

  putInstance(instance: CsluInstance): void {
    this.#put('instances', sudiString(instance.sudi), instance);
  }

  instances(): CsluInstance[] {
    return (this.#db.prepare('SELECT json FROM instances ORDER BY key').all() as { json: string }[]).map(
      (r) => JSON.parse(r.json) as CsluInstance,
    );
  }

  report(key: string): CsluReport | undefined {
    return this.#get('reports', key);
  }

  putReport(report: CsluReport): void {
    this.#put('reports', reportKey(report.sudi, report.reportId), report, report.state);
  }

  reportsIn(state: ReportState): CsluReport[] {
    return (
      this.#db.prepare('SELECT json FROM reports WHERE state = ? ORDER BY key').all(state) as { json: string }[]
    ).map((r) => JSON.parse(r.json) as CsluReport);
  }

  /** How many reports are in each state. */
  reportCounts(): Record<ReportState, number> {
    const counts: Record<ReportState, number> = { RECEIVED: 0, SENT: 0, ACKED: 0, DELIVERED: 0 };
    for (const row of this.#db.prepare('SELECT state, COUNT(*) AS n FROM reports GROUP BY state').all() as {
      state: ReportState;
      n: number;
    }[])
      counts[row.state] = row.n;
    return counts;
  }

  poll(id: string): CsluPoll | undefined {
    return this.#get('polls', id);
  }

  putPoll(poll: CsluPoll): void {
    this.#put('polls', poll.id, poll);
  }

  deletePoll(id: string): void {
    this.#db.prepare('DELETE FROM polls WHERE key = ?').run(id);
  }

  polls(side: CsluPoll['side']): CsluPoll[] {
    return (this.#db.prepare('SELECT json FROM polls ORDER BY key').all() as { json: string }[])
      .map((r) => JSON.parse(r.json) as CsluPoll)
      .filter((p) => p.side === side);
  }

  pullTarget(host: string): PullTarget | undefined {
    return this.#get('pull_targets', host);
  }

  putPullTarget(target: PullTarget): void {
    this.#put('pull_targets', target.host, target);
  }

  deletePullTarget(host: string): boolean {
    return this.#db.prepare('DELETE FROM pull_targets WHERE key = ?').run(host).changes > 0;
  }

  pullTargets(): PullTarget[] {
    return (this.#db.prepare('SELECT json FROM pull_targets ORDER BY key').all() as { json: string }[]).map(
      (r) => JSON.parse(r.json) as PullTarget,
    );
  }

  /** The next value of a named counter (1, 2, …), durable. */
  next(name: string): number {
    const row = this.#db
      .prepare(
        'INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value',
      )
      .get(name) as { value: number };
    return row.value;
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
