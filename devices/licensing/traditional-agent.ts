/**
 * The traditional (CSL / PAK) licensing agent of one device (LicensingAgent): an XState actor of the
 * traditional chart on the lab clock. At boot it reads the license storage, verifies every stored line
 * against the portal keys the lab trusts, and picks the level this boot runs and the license it runs on
 * (boot-level.ts); requests are checked here (a refusal is IOS's `% …` line) and carried out by the chart,
 * whose messages leave through `emit()` to the host.
 */
import { createActor, fromPromise, type Actor, type InspectionEvent } from 'xstate';
import { createLicenseTrust, type Clock, type LicenseTrust, type Udi } from '#protocol';
import type { ActionResult } from '../cli/cli-device.ts';
import type { StartupConfig } from '../device-record.ts';
import type { PlatformModel } from '../kinds/platform.ts';
import { enforceBootLevel, type RunningLevel } from './boot-level.ts';
import { createSubscriptionMachine, type SubscriptionMachine } from './subscription.machine.ts';
import { SubscriptionWatch } from './traditional-subscriptions.ts';
import { callHomeMachine, type CallHomeMachine, type CallHomeRequest } from './call-home.machine.ts';
import type { CallHomeClient } from './cloud-client/call-home-client.ts';
import { guardedHost } from './guarded-host.ts';
import type { AgentHost, AgentState, LicensingAgent } from './licensing-agent.ts';
import {
  usedNow,
  type TraditionalEmission,
  type TraditionalFact,
  type TraditionalInput,
} from './traditional-context.ts';
import {
  applyCallHomeAnswer,
  callHomeDialog,
  callHomeView,
  callHomeRequest,
  type CallHomeCommand,
  type CallHomePort,
} from './traditional-call-home.ts';
import type { VerifiedInstall } from './traditional-context.ts';
import { checkUsage, whatIsCounted } from './traditional-counted.ts';
import { checkInstall, installReport } from './traditional-install.ts';
import { checkRevoke, revokeReport } from './traditional-revoke.ts';
import { featureNames, licenseForLevel, licensesOf, type License } from './traditional-licenses.ts';
import { revokedKeys, type TraditionalRecord } from './traditional-record.ts';
import { RTU_REBOOT_NOTICE, rtuCommand, type RtuRequest } from './traditional-rtu.ts';
import type { TraditionalTimers } from './traditional-timers.ts';
import { traditionalViewOf, type TraditionalView } from './traditional-view.ts';
import { createTraditionalMachine, type TraditionalMachine } from './traditional.machine.ts';

/** What every traditional agent on one lab clock shares: the machine and the portal keys it trusts. */
export interface TraditionalRuntime {
  clock: Clock;
  machine: TraditionalMachine;
  trust: LicenseTrust;
  /** Subscription licenses' calendar charts (subscription.machine.ts). */
  subscriptionMachine: SubscriptionMachine;
  /** License call-home, when the lab gives its devices a way to the portal and a Cisco.com login. */
  callHome?: { machine: CallHomeMachine; client: CallHomeClient };
}

export function createTraditionalRuntime(options: {
  clock: Clock;
  licenseKeys?: readonly string[];
  callHome?: CallHomeClient;
}): TraditionalRuntime {
  const client = options.callHome;
  return {
    clock: options.clock,
    machine: createTraditionalMachine(options.clock),
    subscriptionMachine: createSubscriptionMachine(options.clock),
    trust: createLicenseTrust(options.licenseKeys ?? []),
    ...(client
      ? {
          callHome: {
            client,
            machine: callHomeMachine.provide({
              actors: { exchange: fromPromise(({ input }) => client.send(input)) },
            }),
          },
        }
      : {}),
  };
}

/** `license …` requests from the CLI or the lab. */
export type TraditionalRequest =
  | { type: 'license.install'; url: string; text: string }
  | { type: 'license.clear'; feature: string }
  | { type: 'license.acceptEula' }
  | { type: 'license.comment'; feature: string; comment: string }
  /** `license modify priority <feature> {high|low}`: the feature's installed lines (A.4, syntax unconfirmed). */
  | { type: 'license.priority'; feature: string; priority: 'high' | 'low' }
  /**
   * `license revoke`: the permission ticket's text; `write` stores the rehost ticket at the URL the user
   * gave (called before anything is revoked: a ticket that cannot be written revokes nothing).
   */
  | { type: 'license.revoke'; url: string; text: string; write: (rehostTicket: string) => ActionResult }
  /** `license right-to-use activate|deactivate <level> [evaluation] [all | slot <n>]` (traditional-rtu.ts). */
  | ({ type: 'license.rightToUse'; action: 'activate' | 'deactivate' } & RtuRequest)
  /** `license call-home install pak | resend | revoke` (traditional-call-home.ts). */
  | CallHomeCommand
  /** The lab: `units` entities of a counted feature registered (negative: gone); traditional-counted.ts. */
  | { type: 'license.usage'; feature: string; units: number };

export interface TraditionalBoot {
  platform: PlatformModel;
  udi: Udi;
  startup: StartupConfig;
  record: TraditionalRecord;
  timers: TraditionalTimers;
  clockOffsetMs: number;
}

/** The level a boot runs on these licenses, and the input of the chart that follows it. */
export function traditionalBoot(runtime: TraditionalRuntime, boot: TraditionalBoot): TraditionalInput {
  const { platform, udi, record } = boot;
  const licenses = licensesOf(platform, udi, record, runtime.trust, boot.timers);
  const deviceNow = runtime.clock.now() + boot.clockOffsetMs;
  const running: RunningLevel = enforceBootLevel(
    platform,
    boot.startup,
    (level) => licenseForLevel(platform, licenses, record, deviceNow, level)?.key,
  );
  const licenseUdi = `${platform.licenseUdiPid ?? udi.pid}:${udi.sn}`;
  return {
    record,
    timers: boot.timers,
    licenses,
    running,
    device: {
      udi,
      licenseUdi,
      module: platform.licenseModule ?? platform.pid,
      features: featureNames(platform),
      levels: platform.levels.map((l) => l.name),
      nextReload: boot.startup.bootLevel,
      clockOffsetMs: boot.clockOffsetMs,
    },
  };
}

export class TraditionalAgent implements LicensingAgent<
  TraditionalRequest,
  TraditionalFact,
  TraditionalView,
  TraditionalRecord
> {
  readonly mode = 'traditional' as const;
  readonly #runtime: TraditionalRuntime;
  readonly #platform: PlatformModel;
  readonly #actor: Actor<TraditionalMachine>;
  readonly #callHome: Actor<CallHomeMachine> | undefined;
  readonly #subscriptions: SubscriptionWatch;
  /** The command of the request in flight (its file writer is no JSON, so it stays out of the chart). */
  #callHomeCommand: CallHomeCommand | undefined;

  constructor(
    runtime: TraditionalRuntime,
    platform: PlatformModel,
    input: TraditionalInput,
    host: AgentHost<TraditionalEmission, TraditionalRecord>,
    inspect?: (event: InspectionEvent) => void,
  ) {
    this.#runtime = runtime;
    this.#platform = platform;
    this.#actor = createActor(runtime.machine, { clock: runtime.clock, input, ...(inspect ? { inspect } : {}) });
    const guarded = guardedHost(host, 'traditional licensing agent');
    this.#actor.on('license.log', guarded.emit);
    this.#actor.subscribe(guarded.observer(input.record, () => this.record()));
    this.#actor.start();
    this.#subscriptions = new SubscriptionWatch(runtime.subscriptionMachine, runtime.clock, guarded.emit);
    this.#subscriptions.update(this.#actor.getSnapshot().context);
    this.#actor.subscribe((s) => this.#subscriptions.update(s.context));
    const callHome = runtime.callHome;
    this.#callHome = callHome ? createActor(callHome.machine, { clock: runtime.clock }) : undefined;
    this.#callHome?.on('callHome.answered', ({ request, answer }) => this.#callHomeAnswered(request, answer));
    this.#callHome?.start();
  }

  execute(request: TraditionalRequest): ActionResult {
    const c = this.#actor.getSnapshot().context;
    switch (request.type) {
      case 'license.install': {
        const check = this.#checkInstall(request.text);
        if (!check.ok) return { ok: false, error: check.error };
        if (check.fresh.length > 0) this.#actor.send({ type: 'license.install', lines: check.fresh });
        return { ok: true, output: installReport(request.url, check) };
      }
      case 'license.revoke':
        return this.#revoke(request);
      case 'license.rightToUse':
        return this.#rightToUse(request);
      case 'license.callHome':
        return this.#callHomeSend(request);
      case 'license.usage': {
        const deviceNow = this.#runtime.clock.now() + c.device.clockOffsetMs;
        const check = checkUsage(this.#platform, c.licenses, c.record, deviceNow, c.countInUse ?? {}, request);
        if (!check.ok) return check;
        const counted = whatIsCounted(this.#platform, check.feature);
        this.#actor.send({ type: 'license.usage', feature: check.feature, usage: check.usage, counted });
        return { ok: true, output: '' };
      }
      case 'license.clear': {
        const found = this.#installed(request.feature);
        if (!found.ok) return found;
        const inUse = found.licenses.find((l) => l.key === c.running.license);
        if (inUse)
          return {
            ok: false,
            error: `% License of feature ${request.feature} is in use; boot another level and reload before clearing it`,
          };
        for (const l of found.licenses) this.#actor.send({ type: 'license.clear', key: l.key });
        return { ok: true, output: '' };
      }
      case 'license.comment': {
        const found = this.#installed(request.feature);
        if (!found.ok) return found;
        for (const l of found.licenses)
          this.#actor.send({ type: 'license.comment', key: l.key, comment: request.comment });
        return { ok: true, output: '' };
      }
      case 'license.priority': {
        const found = this.#installed(request.feature);
        if (!found.ok) return found;
        const keys = found.licenses.map((l) => l.key);
        this.#actor.send({ type: 'license.priority', keys, priority: request.priority });
        return { ok: true, output: '' };
      }
      case 'license.acceptEula':
        this.#actor.send({ type: 'license.acceptEula' });
        return { ok: true, output: '' };
    }
  }

  /**
   * Checks the ticket, writes the rehost ticket, then revokes. When the revoked license served the running
   * level it runs on, from now, the license a boot would pick among those left (the grace line of its
   * feature, the preferred usable one), so the feature keeps running (A.8).
   */
  #revoke(request: Extract<TraditionalRequest, { type: 'license.revoke' }>): ActionResult {
    const c = this.#actor.getSnapshot().context;
    const now = this.#runtime.clock.now();
    const check = checkRevoke(request.text, {
      trust: this.#runtime.trust,
      platform: this.#platform,
      udi: c.device.udi,
      licenses: c.licenses,
      installed: c.record.installed,
      nextStoreIndex: c.record.nextStoreIndex,
      now,
    });
    if (!check.ok) return check;
    const written = request.write(check.rehostTicket);
    if (!written.ok) return { ok: false, error: `${written.error}\n% No license was revoked.` };
    this.#applyRevoke(
      check.revoke.map((l) => l.key),
      check.grace,
      check.ticket.id,
    );
    return { ok: true, output: revokeReport(request.url, check) };
  }

  /** A file checked as `license install` checks it, against the licenses held now. */
  #checkInstall(text: string) {
    const c = this.#actor.getSnapshot().context;
    return checkInstall(text, {
      trust: this.#runtime.trust,
      platform: this.#platform,
      udi: c.device.udi,
      licenses: c.licenses,
      revoked: revokedKeys(c.record),
      nextStoreIndex: c.record.nextStoreIndex,
      now: this.#runtime.clock.now(),
    });
  }

  /**
   * Revokes `keys` and installs `grace`; when a revoked license served the running level it runs on, from
   * now, the license a boot would pick among those left (the grace line of its feature).
   */
  #applyRevoke(keys: readonly string[], grace: readonly VerifiedInstall[], permissionTicket: string): void {
    const c = this.#actor.getSnapshot().context;
    let running = c.running;
    if (keys.includes(c.running.license ?? '')) {
      const left = [...c.licenses.filter((l) => !keys.includes(l.key)), ...grace.map((g) => g.license)];
      const deviceNow = this.#runtime.clock.now() + c.device.clockOffsetMs;
      const next = licenseForLevel(this.#platform, left, c.record, deviceNow, c.running.level);
      running = { ...c.running, license: next?.key };
    }
    this.#actor.send({ type: 'license.revoke', keys, grace, running, permissionTicket });
  }

  /** A call-home request checked and sent; the dialog is printed now, the answer when it comes. */
  #callHomeSend(command: CallHomeCommand): ActionResult {
    const callHome = this.#callHome;
    const client = this.#runtime.callHome?.client;
    if (!callHome || !client)
      return { ok: false, error: '% License call-home is not available: the lab gives this device no Cisco.com login' };
    if (!callHome.getSnapshot().matches('idle'))
      return { ok: false, error: '% A license call-home request is in progress; try again when it has answered' };
    const c = this.#actor.getSnapshot().context;
    const checked = callHomeRequest(command, c.device.udi);
    if (!checked.ok) return checked;
    this.#callHomeCommand = command;
    callHome.send({ type: 'callHome.request', request: checked.request });
    return { ok: true, output: callHomeDialog(checked.request, c.device.licenseUdi, client.description.username) };
  }

  #callHomeAnswered(request: CallHomeRequest, answer: Parameters<typeof applyCallHomeAnswer>[2]): void {
    const command = this.#callHomeCommand;
    this.#callHomeCommand = undefined;
    if (!command || this.#actor.getSnapshot().status !== 'active') return;
    const port: CallHomePort = {
      install: (url, text) => this.execute({ type: 'license.install', url, text }),
      revoke: (revoked, graceFile, ticket) => {
        const check = this.#checkInstall(graceFile);
        if (!check.ok) return check;
        const held = this.#actor.getSnapshot().context.licenses.filter((l) => l.text !== undefined);
        const gone = held.filter((l) => revoked.includes(l.key));
        this.#applyRevoke(
          gone.map((l) => l.key),
          check.fresh,
          ticket,
        );
        return { ok: true, revoked: gone.map((l) => l.feature), installed: check.fresh.map((g) => g.license.feature) };
      },
    };
    const deviceNow = this.#runtime.clock.now() + this.#actor.getSnapshot().context.device.clockOffsetMs;
    const outcome = applyCallHomeAnswer(command, request, answer, port, deviceNow);
    this.#callHome?.send({ type: 'callHome.applied', outcome });
  }

  /** Right-to-Use: checked (traditional-rtu.ts), recorded by the chart; the device saves the next boot level. */
  #rightToUse(request: Extract<TraditionalRequest, { type: 'license.rightToUse' }>): ActionResult {
    const r = rtuCommand(this.#platform, this.#actor.getSnapshot().context, request, this.#runtime.clock.now());
    if (!r.ok) return r;
    this.#actor.send(r.event);
    return { ok: true, output: RTU_REBOOT_NOTICE };
  }

  /** The installed (clearable, commentable) licenses of a feature, or IOS's refusal. */
  #installed(feature: string): { ok: true; licenses: License[] } | { ok: false; error: string } {
    const features = featureNames(this.#platform);
    const name = features.find((f) => f.toLowerCase() === feature.toLowerCase());
    if (name === undefined)
      return {
        ok: false,
        error: `% Feature ${feature} is not licensable here; features: ${features.join(', ')}`,
      };
    const licenses = this.#actor
      .getSnapshot()
      .context.licenses.filter((l) => l.feature === name && l.text !== undefined);
    if (licenses.length === 0)
      return { ok: false, error: `% No installed license of feature ${name} (built-in licenses stay)` };
    return { ok: true, licenses };
  }

  notify(fact: TraditionalFact): void {
    this.#actor.send(fact);
  }

  view(): TraditionalView {
    const base =
      this.#platform.levelModel === 'technology-package' ? `factory:${this.#platform.defaultLevel}` : undefined;
    const subscriptions = this.#subscriptions.states();
    const view = {
      ...traditionalViewOf(this.#actor.getSnapshot(), this.#runtime.clock.now(), base),
      ...(Object.keys(subscriptions).length > 0 ? { subscriptions } : {}),
    };
    const client = this.#runtime.callHome?.client;
    if (!this.#callHome || !client) return view;
    return { ...view, callHome: callHomeView(this.#callHome.getSnapshot(), client.description) };
  }

  /** The record with the running usage segment banked: a reload never gives evaluation time back. */
  record(): TraditionalRecord {
    const c = this.#actor.getSnapshot().context;
    if (c.segmentStart === undefined || c.running.license === undefined) return c.record;
    return { ...c.record, usedMs: { ...c.record.usedMs, [c.running.license]: usedNow(c, this.#runtime.clock.now()) } };
  }

  state(): AgentState {
    const { value, context } = this.#actor.getSnapshot();
    return { mode: this.mode, value, context };
  }

  stop(): TraditionalRecord {
    const record = this.record();
    this.#callHome?.stop();
    this.#subscriptions.stop();
    this.#actor.stop();
    return record;
  }
}
