/**
 * The contract between a device and its licensing agent, whatever the licensing model: commands in (typed
 * at the CLI or sent by the lab), a view out (what `show license …` prints), every message out through the
 * host's log, and a record the device keeps in trusted storage across reloads. One implementation per
 * model (smart-agent.ts now; traditional and Smart Licensing Using Policy next); the device starts the one
 * its platform and release run (kinds/licensing-mode.ts) at every boot and stops it at every reload.
 */
import type { ActionResult } from '../cli/cli-device.ts';
import type { LicensingMode } from '../kinds/platform.ts';

/** The agent's state for tests, the dashboard and worker threads: plain JSON, structured-clone safe. */
export interface AgentState {
  mode: LicensingMode;
  /** The chart's state value, e.g. `{ communication: 'ok', agent: { enabled: { registered: … } } }`. */
  value: unknown;
  /** The chart's context. */
  context: unknown;
}

export interface LicensingAgent<TCommand, TFact, TView, TRecord> {
  readonly mode: LicensingMode;
  /** Runs one command; a refusal comes back as the `% …` line IOS prints. Exchanges it starts run on. */
  execute(command: TCommand): ActionResult;
  /** Tells the agent something changed on the device (clock set, hostname). */
  notify(fact: TFact): void;
  /** What `show` commands print, at this instant. */
  view(): TView;
  /** What trusted storage keeps, as of now (running counters banked). */
  record(): TRecord;
  state(): AgentState;
  /** Powers the agent off (reload, lab stop): timers cancelled, exchanges abandoned. Returns the record to keep. */
  stop(): TRecord;
}

/** What the device gives its agent. A host function that throws never stops the agent. */
export interface AgentHost<TEmission, TRecord> {
  /** Every message the agent logs, in order. */
  emit(emission: TEmission): void;
  /** The record changed: keep it. */
  save(record: TRecord): void;
  /** A failure inside the agent itself (a crashed chart): reported with the device's name, never thrown. */
  report(problem: string): void;
}
