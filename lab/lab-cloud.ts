/** The cloud as a lab reaches it: in process (in-process-cloud.ts), or another backend (remote-cloud.ts). */
import type {
  CloudEvent,
  FaultRule,
  FaultRuleInput,
  LicenseDeposit,
  LicenseMove,
  PoolSummary,
  PortalOperations,
  SlpOperations,
  ProductInstance,
  VaRef,
} from '#cloud';

export interface LabCloud {
  /** `in process`, `stand-in`, or the backend's URL. */
  readonly location: string;
  readonly faults: {
    add(rule: FaultRuleInput): Promise<FaultRule>;
    remove(id: string): Promise<void>;
    clear(): Promise<void>;
  };
  /** What the cloud holds for a UDI (`PID:…,SN:…`), if registered. */
  instance(udi: string): Promise<ProductInstance | undefined>;
  instances(): Promise<ProductInstance[]>;
  /** The cloud's event log, oldest first. */
  events(query?: { afterSeq?: number; limit?: number }): Promise<CloudEvent[]>;
  /** A virtual account's license pools, one per entitlement tag, as the portal sums them now. */
  pools(va: VaRef): Promise<PoolSummary[]>;
  /** Licenses bought into a virtual account. */
  depositLicenses(deposit: LicenseDeposit): Promise<void>;
  /** Available licenses moved between two virtual accounts of one smart account. */
  transferLicenses(move: LicenseMove): Promise<void>;
  /** The portal's "Remove" on a product instance; the device learns at its next contact. */
  removeInstance(udi: string): Promise<void>;
  /** Revokes a registration token, found by its value: registrations with it are refused from now on. */
  revokeToken(token: string): Promise<void>;
  /** Takes licenses the given UDIs use out of their virtual accounts' pools (CloudOperations.removeLicensesOf). */
  removeLicenses(udis: readonly string[], quantity?: number): Promise<{ licenses: number; pools: number }>;
  /** The license registration portal (traditional licensing): PAKs, fulfilment, resend, RMA. */
  readonly portal: LabPortal;
  /**
   * Smart Licensing Using Policy: a site's usage file in, its ACK file out; a VA's policy; license reservations;
   * an SSM On-Prem's synchronization file in, CSSM's answer file out.
   */
  readonly slp: LabSlp;
  /** Stops the cloud and starts it again from its durable storage (a crash with a service manager behind it). */
  restart(): Promise<void>;
}

export type LabPortal = Pick<
  PortalOperations,
  'addPak' | 'pak' | 'fulfil' | 'licenses' | 'resend' | 'rma' | 'permissionTicket' | 'rehost'
>;

export type LabSlp = Pick<
  SlpOperations,
  'usageFile' | 'setPolicy' | 'reserve' | 'returnReservation' | 'satelliteSyncFile'
>;

const none = (): Promise<never> =>
  Promise.reject(new Error('[lab] this lab cannot look inside the cloud its devices talk to'));

/** The "cloud" of a lab whose devices talk to a stand-in (benchmarks' bare runs) or through a shard's link. */
export const standInCloud: LabCloud = {
  location: 'stand-in',
  faults: { add: none, remove: none, clear: none },
  instance: none,
  instances: none,
  events: none,
  pools: none,
  depositLicenses: none,
  transferLicenses: none,
  removeInstance: none,
  revokeToken: none,
  removeLicenses: none,
  portal: {
    addPak: none,
    pak: none,
    fulfil: none,
    licenses: none,
    resend: none,
    rma: none,
    permissionTicket: none,
    rehost: none,
  },
  slp: { usageFile: none, setPolicy: none, reserve: none, returnReservation: none, satelliteSyncFile: none },
  restart: none,
};
