/**
 * The Smart Licensing Using Policy agent of one device (LicensingAgent): an XState actor of the SLP chart
 * on the lab clock. Requests are checked here (a refusal is the `% …` line the device prints; imported
 * files are verified whole before the chart installs anything) and carried out by the chart, whose
 * messages leave through `emit()` to the host; the record is handed to the host whenever it changes.
 */
import { createActor, type Actor, type InspectionEvent } from 'xstate';
import { FILE_ELEMENTS, formatSlpFile, type Clock, type LicenseTrust, type RumReport } from '#protocol';
import type { ActionResult } from '../cli/cli-device.ts';
import type { SlpCloud } from './cloud-client/slp-cloud-client.ts';
import type { KeyRing } from './device-key.ts';
import { guardedHost } from './guarded-host.ts';
import type { AgentHost, AgentState, LicensingAgent } from './licensing-agent.ts';
import { unacknowledged } from './rum-reports.ts';
import type { SlpConfig } from './slp-config.ts';
import type { SlpEvent, SlpFact, SlpInput } from './slp-context.ts';
import { slpExchange } from './slp-exchange.ts';
import { checkForDevice, openDocuments, openSlpFile, type Checked, type OpenedDocument } from './slp-import.ts';
import type { SlpRecord } from './slp-record.ts';
import { needsAuthorization } from './slp-policy.ts';
import { isDirect } from './slp-setup.ts';
import { slpViewOf, type SlpView } from './slp-view.ts';
import { createSlpMachine, type SlpMachine } from './slp.machine.ts';
import { reservationCommand } from './reservation-command.ts';
import { isReserved } from './slp-reservation.ts';
import {
  REFUSAL_TEXT,
  type Refusal,
  type ReservationCommand,
  type ReservationEvent,
  type SmartLicEmission,
} from './smart-events.ts';

/** What every SLP agent of a lab shares: the provided machine, the parsed keys, the portal keys it trusts. */
export interface SlpRuntime {
  clock: Clock;
  machine: SlpMachine;
  keys: KeyRing;
  trust: LicenseTrust;
}

export function createSlpRuntime(options: {
  clock: Clock;
  cloud: SlpCloud;
  keys: KeyRing;
  trust: LicenseTrust;
  tracked: boolean;
}): SlpRuntime {
  const exchange = slpExchange(options);
  const machine = createSlpMachine(options.clock, options.keys).provide({ actors: { exchange } });
  return { clock: options.clock, machine, keys: options.keys, trust: options.trust };
}

/** `license smart …` on an SLP image, from the CLI, the REST API or the lab. */
export type SlpLicenseCommand =
  | { type: 'license.trust'; idToken: string; scope: 'local' | 'all'; force: boolean }
  | { type: 'license.sync' }
  /** `save usage {all|unreported|rum-Id <id>}`: `write` puts the file where the user said. */
  | { type: 'license.saveUsage'; which: 'all' | 'unreported' | number; write: (text: string) => ActionResult }
  | { type: 'license.import'; path: string; text: string }
  /** The on-box REST API's close-reports: the open reports close now (and reopen). */
  | { type: 'license.closeReports' }
  /** `license smart authorization request add <feature> {local|all}`: a SLAC asked for online. */
  | { type: 'license.authorize'; feature: string }
  /** `license smart authorization return {local|all}`: the SLACs installed leave. */
  | { type: 'license.authorizationReturn' }
  | { type: 'license.factoryReset' }
  | { type: 'config.changed'; config: SlpConfig }
  /** `license smart reservation …` (17.x keeps SLR / PLR, §9.1): as the classic agent takes it. */
  | ReservationCommand;

const ok = (output = ''): ActionResult => ({ ok: true, output });
const refused = (error: string): ActionResult => ({ ok: false, error });

export class SlpAgent implements LicensingAgent<SlpLicenseCommand, SlpFact, SlpView, SlpRecord> {
  readonly mode = 'slp' as const;
  readonly #runtime: SlpRuntime;
  readonly #actor: Actor<SlpMachine>;
  /** The refusal the chart emitted while the reservation command being executed was processed. */
  #refusal: Refusal | undefined;

  constructor(
    runtime: SlpRuntime,
    input: SlpInput,
    host: AgentHost<SmartLicEmission, SlpRecord>,
    inspect?: (event: InspectionEvent) => void,
  ) {
    this.#runtime = runtime;
    this.#actor = createActor(runtime.machine, { clock: runtime.clock, input, ...(inspect ? { inspect } : {}) });
    const guarded = guardedHost(host, 'Smart Licensing Using Policy agent');
    this.#actor.on('smartLic', guarded.emit);
    this.#actor.on('command.refused', (e) => (this.#refusal = e.refusal));
    this.#actor.subscribe(guarded.observer(input.record, () => this.record()));
    this.#actor.start();
  }

  execute(command: SlpLicenseCommand): ActionResult {
    const c = this.#actor.getSnapshot().context;
    switch (command.type) {
      case 'license.reservation.enable':
      case 'license.reservation.request':
      case 'license.reservation.cancel':
      case 'license.reservation.install':
      case 'license.reservation.return':
        return this.#reservation(command);
      case 'license.trust': {
        // Lab wording: the reference has no capture of these refusals.
        if (!isDirect(c))
          return refused(
            `% A trust code is installed over Smart transport; the transport is ${c.config.transport} (license smart transport smart)`,
          );
        if (this.#actor.getSnapshot().matches({ trust: 'requesting' }))
          return refused('% A trust code request is already in progress');
        this.#actor.send({ type: 'license.trust', idToken: command.idToken, force: command.force });
        return ok();
      }
      case 'license.sync': {
        // Lab wording: with SLR / PLR reporting is not required, so nothing is sent.
        if (isReserved(c.record))
          return refused('% License sync is not needed: a reservation authorization code is installed (no reporting)');
        if (c.config.transport === 'off')
          return refused(
            '% License sync needs a transport: license smart transport is off (use save usage and import)',
          );
        if (isDirect(c) && c.record.trust === undefined)
          return refused('% License sync needs a trust code for Smart transport (license smart trust idtoken)');
        this.#actor.send({ type: 'license.sync' });
        return ok();
      }
      case 'license.saveUsage':
        return this.#saveUsage(command);
      case 'license.import':
        return this.#import(command.path, command.text);
      case 'license.authorize':
        return this.#authorize(command.feature);
      case 'license.authorizationReturn':
        return this.#return();
      case 'license.factoryReset':
      case 'license.closeReports':
      case 'config.changed':
        this.#actor.send(command);
        return ok();
    }
  }

  /**
   * The classic agent's checks and texts (reservation-command.ts): codes made, an authorization code
   * verified whole (signature, this UDI, whole document) before the chart is given anything.
   */
  #reservation(command: ReservationCommand): ActionResult {
    const c = this.#actor.getSnapshot().context;
    return reservationCommand(command, {
      udi: c.device.udi,
      reservation: c.record.reservation,
      trust: this.#runtime.trust,
      send: (event) => this.#send(event),
    });
  }

  /** A reservation event to the chart; a refusal it emitted meanwhile comes back as the device's `% …` line. */
  #send(event: ReservationEvent): ActionResult {
    this.#refusal = undefined;
    this.#actor.send(event as SlpEvent);
    const refusal = this.#refusal;
    this.#refusal = undefined;
    return refusal === undefined ? ok() : refused(REFUSAL_TEXT[refusal]);
  }

  /** Only a license that needs a SLAC and lacks one, over a transport that reaches the cloud (lab wording). */
  #authorize(feature: string): ActionResult {
    const snapshot = this.#actor.getSnapshot();
    const c = snapshot.context;
    const license = c.entitlements.find((e) => e.feature.toLowerCase() === feature.toLowerCase());
    if (!license)
      return refused(
        `% ${feature} is not a license of this device; licenses: ${c.entitlements.map((e) => e.feature).join(', ')}`,
      );
    if (!needsAuthorization(license.class))
      return refused(`% ${license.feature} is neither enforced nor export-controlled: it needs no authorization code`);
    if (c.record.authorizations.some((a) => a.entitlement === license.tag))
      return refused(`% ${license.feature} already holds an authorization code`);
    if (!snapshot.matches({ authorization: 'idle' }))
      return refused('% An authorization request is already in progress');
    const reach = this.#reachesCloud('Authorization request', 'import a SLAC file');
    if (reach) return reach;
    this.#actor.send({ type: 'license.authorize', tag: license.tag, count: license.count });
    return ok();
  }

  /** A return online goes to the cloud first; the SLAC leaves when its answer comes (lab wording). */
  #return(): ActionResult {
    const snapshot = this.#actor.getSnapshot();
    const c = snapshot.context;
    if (c.record.authorizations.length === 0) return refused('% No authorization code is installed');
    const reach = this.#reachesCloud('Authorization return', 'the SLAC stays installed');
    if (reach) return reach;
    if (!snapshot.matches({ authorization: 'idle' }))
      return refused('% An authorization request is already in progress');
    this.#actor.send({ type: 'license.authorizationReturn' });
    return ok();
  }

  /** Why a request cannot leave the box over the configured transport (undefined when it can). */
  #reachesCloud(what: string, otherwise: string): ActionResult | undefined {
    const c = this.#actor.getSnapshot().context;
    if (c.config.transport === 'off')
      return refused(`% ${what} needs a transport: license smart transport is off (${otherwise})`);
    if (isDirect(c) && c.record.trust === undefined)
      return refused(`% ${what} needs a trust code for Smart transport (license smart trust idtoken)`);
    return undefined;
  }

  /** Open reports close first (termination CurrentUsageRequested, §10.3), then the file is written. */
  #saveUsage(command: Extract<SlpLicenseCommand, { type: 'license.saveUsage' }>): ActionResult {
    const held = this.#actor.getSnapshot().context.record.reports;
    if (typeof command.which === 'number' && !held.some((r) => r.id === command.which))
      return refused(`% RUM report ${command.which} is not on this device`);
    this.#actor.send({ type: 'license.closeReports' });
    const closed = unacknowledged(this.#actor.getSnapshot().context.record);
    const chosen = typeof command.which === 'number' ? closed.filter((r) => r.id === command.which) : closed;
    const text = formatSlpFile(
      chosen.flatMap((r) => (r.signed ? [{ element: FILE_ELEMENTS.RUM, value: r.signed }] : [])),
    );
    const written = command.write(text);
    if (!written.ok) return written;
    this.#actor.send({ type: 'license.usageSaved' });
    return ok();
  }

  /** The whole file is checked (signatures, kinds, this device, reports held) before anything is installed. */
  #import(path: string, text: string): ActionResult {
    const installed = this.#install(openSlpFile(text, this.#runtime.trust));
    if (!installed.ok) return refused(`% Import of ${path} failed: ${installed.reason}. Nothing was installed.`);
    // `Import Data Successful` is recalled from IOS XE, unconfirmed by the reference.
    return ok('Import Data Successful');
  }

  /** Signed documents handed over whole (the REST API's import), checked like a file's. */
  importDocuments(documents: readonly unknown[]): Checked<number> {
    return this.#install(openDocuments(documents, this.#runtime.trust));
  }

  #install(opened: Checked<OpenedDocument[]>): Checked<number> {
    const c = this.#actor.getSnapshot().context;
    const target = { sudi: c.device.sudi, publicKeySpkiB64: c.device.publicKeySpkiB64, record: c.record };
    const checked = opened.ok ? checkForDevice(opened.value, target) : opened;
    if (!checked.ok) return checked;
    this.#actor.send({ type: 'license.import', documents: checked.value });
    return { ok: true, value: checked.value.length };
  }

  /** The closed reports in storage, signed, oldest first (what a CSLU pulls). */
  signedReports(): { id: number; end: number; report: RumReport }[] {
    return unacknowledged(this.record()).flatMap((r) =>
      r.signed && r.end !== undefined ? [{ id: r.id, end: r.end, report: r.signed }] : [],
    );
  }

  notify(fact: SlpFact): void {
    this.#actor.send(fact);
  }

  view(): SlpView {
    return slpViewOf(this.#actor.getSnapshot());
  }

  record(): SlpRecord {
    return this.#actor.getSnapshot().context.record;
  }

  state(): AgentState {
    const { value, context } = this.#actor.getSnapshot();
    return { mode: this.mode, value, context };
  }

  stop(): SlpRecord {
    const record = this.record();
    this.#actor.stop();
    return record;
  }
}
