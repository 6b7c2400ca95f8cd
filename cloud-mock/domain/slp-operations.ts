/**
 * Smart Licensing Using Policy and license reservation in process, by smart account domain and VA name: what
 * the API routes for CSLU and tools (slpApiPaths) and reserve-licenses do, for the CSLU stand-in and the lab
 * without HTTP. Each call is one
 * transaction acting as `lab`; the answers are the routes' bodies (poll ids as their digits).
 */
import { decodeSmartLicense, FILE_ELEMENTS, formatSlpFile, parseSlpFile, readSatelliteDocument } from '#protocol';
import type {
  AuthRequest,
  RumReport,
  Policy,
  PollAction,
  PollResponse,
  ReportUsageRequest,
  SignedDocument,
  Sudi,
} from '#protocol';
import type { ReservationRecord, SlpPoll, Tx, VirtualAccount } from '../store/index.ts';
import { requireAccount, requireVirtualAccount } from './accounts.ts';
import { fail } from './domain-error.ts';
import type { VaRef } from './cloud-operations.ts';
import type { CloudService } from './cloud-service.ts';
import type { DomainContext } from './context.ts';
import { requireInstance } from './product-instances.ts';
import { reserveLicenses, returnReservation, type ReservationRequest } from './reservations.ts';
import { policyDocument, policyOf, setVaPolicy, type CustomPolicy } from './slp-policy.ts';
import { answerPoll, requirePoll } from './slp-polls.ts';
import { licenseSummary, type TagSummary } from './slp-summary.ts';
import { requestAuthorization } from './slp-authorization.ts';
import { acceptUsage } from './slp-usage.ts';
import { udiOfSudi } from './slp-instances.ts';
import { syncSatellite } from './satellite-sync.ts';

/** Polls made for a VA (the API routes, these operations) belong to it. */
export const vaPollOwner = (va: VirtualAccount): string => `va:${va.id}`;

export class SlpOperations {
  readonly #service: CloudService;

  constructor(service: CloudService) {
    this.#service = service;
  }

  #in<T>(ref: VaRef, work: (tx: Tx, ctx: DomainContext, va: VirtualAccount) => Promise<T>): Promise<T> {
    return this.#service.run('lab', async (tx, ctx) => {
      const account = await requireAccount(tx, ref.account);
      return work(tx, ctx, await requireVirtualAccount(tx, account, ref.virtualAccount));
    });
  }

  /** Uploads RUM reports as CSLU does (keys pinned per UDI); answers the poll of their ACKs. */
  reportUsage(ref: VaRef, reports: ReportUsageRequest['data']['reports']): Promise<SlpPoll> {
    return this.#in(ref, (tx, ctx, va) => acceptUsage(tx, ctx, reports, { kind: 'pinned', va }, vaPollOwner(va)));
  }

  /** SLAC requests and returns as CSLU relays them; answers the poll of their SLACs. */
  requestAuthorization(ref: VaRef, licenses: AuthRequest['data']['licenses']): Promise<SlpPoll> {
    return this.#in(ref, (tx, ctx, va) =>
      requestAuthorization(tx, ctx, licenses, { kind: 'pinned', va }, vaPollOwner(va)),
    );
  }

  /**
   * CSSM's upload of an SSM On-Prem synchronization file (satellite-sync.ts; On-Prem without a connection):
   * each virtual account's product instances in, the answer file On-Prem imports out. A file that is not one
   * is refused whole, nothing recorded.
   */
  satelliteSyncFile(account: string, file: string | Uint8Array): Promise<string> {
    const read = readSatelliteDocument('sync', file);
    if (!read.ok) fail('INVALID_VALUE', `the synchronization file: ${read.reason}`);
    const { satellite, virtualAccounts } = read.value;
    return this.#service.run('lab', async (tx, ctx) => {
      const owner = await requireAccount(tx, account);
      const answers = [];
      for (const v of virtualAccounts) {
        const va = await requireVirtualAccount(tx, owner, v.name);
        answers.push(await syncSatellite(tx, ctx, va, satellite, v.instances));
      }
      return JSON.stringify({ kind: 'CSSM synchronization answer', answers }, null, 2);
    });
  }

  /**
   * CSSM's usage file upload for a site without a connection (smart-licensing.md §9.6: `license smart save
   * usage` → upload → ACK file → `license smart import`): the RUM reports of a device's or CSLU's file in,
   * the file of their ACKs out. A file that is not a usage file is refused whole, nothing recorded.
   */
  async usageFile(ref: VaRef, file: string | Uint8Array): Promise<string> {
    const parsed = parseSlpFile(file);
    if (!parsed.ok) fail('RUM_REPORT_INVALID', `the usage file: ${parsed.reason}`);
    const bySudi = new Map<string, { sudi: Sudi; usage: RumReport[] }>();
    for (const [i, entry] of parsed.value.entries()) {
      if (entry.element !== FILE_ELEMENTS.RUM)
        fail('RUM_REPORT_INVALID', `the usage file: entry ${i + 1} is <${entry.element}>, not a RUM report`);
      const sudi = (entry.value as { signature?: { sudi?: Sudi } } | null)?.signature?.sudi;
      if (!sudi || typeof sudi.udi_pid !== 'string' || typeof sudi.udi_serial_number !== 'string')
        fail('RUM_REPORT_INVALID', `the usage file: entry ${i + 1} names no product instance`);
      const key = `${sudi.udi_pid}\u0000${sudi.udi_serial_number}`;
      const group = bySudi.get(key) ?? { sudi, usage: [] };
      group.usage.push(entry.value as RumReport);
      bySudi.set(key, group);
    }
    return this.#in(ref, async (tx, ctx, va) => {
      const poll = await acceptUsage(tx, ctx, [...bySudi.values()], { kind: 'pinned', va }, vaPollOwner(va));
      const answer = await answerPoll(tx, ctx, poll);
      if (answer.status !== 'COMPLETE') fail('POLL_UNKNOWN', 'the ACKs of the usage file are not ready yet');
      const acks = (answer.data.acknowledgements ?? []).map((a) => ({
        element: FILE_ELEMENTS.RUM_ACK,
        value: decodeSmartLicense(a.smart_license),
      }));
      return formatSlpFile(acks);
    });
  }

  poll(ref: VaRef, pollId: string, action: PollAction): Promise<PollResponse> {
    return this.#in(ref, async (tx, ctx, va) =>
      answerPoll(tx, ctx, await requirePoll(tx, pollId, action, vaPollOwner(va))),
    );
  }

  summary(ref: VaRef, tags: string[] = []): Promise<TagSummary[]> {
    return this.#in(ref, (tx, ctx, va) => licenseSummary(tx, ctx, va, tags));
  }

  policy(ref: VaRef): Promise<Policy> {
    return this.#in(ref, async (_tx, _ctx, va) => policyOf(va));
  }

  /** A customer policy for the VA, or (null) back to the Cisco default. */
  setPolicy(ref: VaRef, policy: CustomPolicy | null): Promise<Policy> {
    return this.#in(ref, (tx, ctx, va) => setVaPolicy(tx, ctx, va, policy));
  }

  /** License reservations (SLR / PLR) by request code: one RESERVATION document per request, all or none. */
  reserve(ref: VaRef, requests: ReservationRequest[]): Promise<SignedDocument[]> {
    return this.#in(ref, (tx, ctx, va) => reserveLicenses(tx, ctx, va, requests));
  }

  /** A device's reservation return code: its licenses go back to the pool. */
  returnReservation(ref: VaRef, returnCode: string): Promise<ReservationRecord> {
    return this.#in(ref, (tx, ctx, va) => returnReservation(tx, ctx, va, returnCode));
  }

  /** A POLICY document for `license smart import`, for the VA or one of its product instances. */
  policyDocument(ref: VaRef, sudi?: Sudi): Promise<SignedDocument> {
    return this.#in(ref, async (tx, ctx, va) =>
      policyDocument(tx, ctx, va, sudi ? await requireInstance(tx, udiOfSudi(sudi), va) : undefined),
    );
  }
}
