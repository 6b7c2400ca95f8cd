/**
 * SSM On-Prem's synchronization with CSSM (protocol/satellite-sync.ts), for every virtual account of its own
 * licensing server: online through a VA's CSSM link (the one its SLP relay uses), or by files when it has
 * none (export the synchronization file, import CSSM's answer). A VA that fails (CSSM refused it, CSSM lacks
 * a VA of that name, a bad answer) is reported and keeps its licenses; the others go on. Never throws for
 * CSSM's or a file's faults.
 */
import {
  newNonce,
  readSatelliteDocument,
  type Clock,
  type SatelliteSyncFile,
  type SatelliteSyncResponse,
} from '#protocol';
import type { SlpUpstream } from '../cslu/cslu-upstream.ts';
import { applySatelliteSync, satelliteInstances, type CloudService } from '../domain/index.ts';
import type { VirtualAccount } from '../store/index.ts';

export type SyncOutcome =
  | { virtualAccount: string; ok: true; pools: number; licenses: number; conflicts: string[] }
  | { virtualAccount: string; ok: false; reason: string };

export interface OnPremSyncOptions {
  service: CloudService;
  clock: Clock;
  /** How On-Prem names itself to CSSM (the product instances it serves are marked with it). */
  satellite: string;
  upstream?: (virtualAccount: string) => SlpUpstream;
}

export class OnPremSync {
  readonly #o: OnPremSyncOptions;
  readonly #links = new Map<string, SlpUpstream>();

  constructor(options: OnPremSyncOptions) {
    this.#o = options;
  }

  get connected(): boolean {
    return this.#o.upstream !== undefined;
  }

  /** Every VA now, over the network. */
  async online(): Promise<SyncOutcome[]> {
    const upstream = this.#o.upstream;
    if (!upstream) throw new Error('this On-Prem is not connected to CSSM; export the synchronization file instead');
    const out: SyncOutcome[] = [];
    for (const va of await this.#virtualAccounts()) {
      let link = this.#links.get(va.name);
      if (!link) this.#links.set(va.name, (link = upstream(va.name)));
      const instances = await this.#o.service.run('onprem:sync', (tx) => satelliteInstances(tx, va));
      const data = { timestamp: this.#o.clock.now(), nonce: newNonce(), satellite: this.#o.satellite, instances };
      const answer = await link.send('satelliteSync', { data });
      if (!answer.ok) {
        out.push({ virtualAccount: va.name, ok: false, reason: answer.reason });
        continue;
      }
      if (answer.status !== 200) {
        const message = (answer.body as { message?: unknown } | undefined)?.message;
        const reason = `CSSM refused (HTTP ${answer.status}${typeof message === 'string' ? `: ${message}` : ''})`;
        out.push({ virtualAccount: va.name, ok: false, reason });
        continue;
      }
      const read = readSatelliteDocument('response', answer.body);
      out.push(
        read.ok
          ? await this.#apply(va, read.value)
          : { virtualAccount: va.name, ok: false, reason: `CSSM's answer: ${read.reason}` },
      );
    }
    return out;
  }

  /** The synchronization file for CSSM (what online synchronization would send). */
  async exportFile(): Promise<string> {
    const virtualAccounts: SatelliteSyncFile['virtualAccounts'] = [];
    for (const va of await this.#virtualAccounts()) {
      const instances = await this.#o.service.run('onprem:sync', (tx) => satelliteInstances(tx, va));
      virtualAccounts.push({ name: va.name, instances });
    }
    const file: SatelliteSyncFile = {
      kind: 'SSM On-Prem synchronization',
      satellite: this.#o.satellite,
      virtualAccounts,
    };
    return JSON.stringify(file, null, 2);
  }

  /** CSSM's answer file: read whole first (a bad file changes nothing), then applied VA by VA. */
  async importFile(
    text: string | Uint8Array,
  ): Promise<{ ok: true; outcomes: SyncOutcome[] } | { ok: false; reason: string }> {
    const read = readSatelliteDocument('answer', text);
    if (!read.ok) return { ok: false, reason: `not a CSSM synchronization answer (${read.reason})` };
    const vas = await this.#virtualAccounts();
    const outcomes: SyncOutcome[] = [];
    for (const answer of read.value.answers) {
      const va = vas.find((v) => v.name === answer.virtualAccount);
      outcomes.push(
        va
          ? await this.#apply(va, answer)
          : { virtualAccount: answer.virtualAccount, ok: false, reason: 'this On-Prem has no such virtual account' },
      );
    }
    return { ok: true, outcomes };
  }

  async #apply(va: VirtualAccount, answer: SatelliteSyncResponse): Promise<SyncOutcome> {
    try {
      const applied = await this.#o.service.run('onprem:sync', (tx, ctx) => applySatelliteSync(tx, ctx, va, answer));
      return { virtualAccount: va.name, ok: true, ...applied, conflicts: answer.conflicts };
    } catch (err) {
      // A license CSSM holds that this On-Prem's catalogue refuses: the VA keeps what it had.
      return { virtualAccount: va.name, ok: false, reason: (err as Error).message };
    }
  }

  /** Its VAs by name (files and outcomes in one order); the first of a name wins (CSSM addresses VAs by name). */
  async #virtualAccounts(): Promise<VirtualAccount[]> {
    const all = await this.#o.service.run('onprem:sync', (tx) => tx.list('virtualAccounts'));
    all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.createdAt - b.createdAt));
    return all.filter((va, i) => all.findIndex((v) => v.name === va.name) === i);
  }
}
