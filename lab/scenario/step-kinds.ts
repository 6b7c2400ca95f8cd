/**
 * The steps a scenario is made of, as data: one table from the key a step is written with to its kind
 * (reader, explain(), run). The engine looks kinds up here and knows nothing of them.
 */
import { cloud, type CloudStep } from './steps/cloud-steps.ts';
import {
  cli,
  powerLoss,
  reload,
  rma,
  upgrade,
  type CliStep,
  type ReloadStep,
  type RmaStep,
  type UpgradeStep,
} from './steps/device-steps.ts';
import { expect, type ExpectStep } from './steps/expect-step.ts';
import { clear, fault, type ClearStep, type FaultStep } from './steps/fault-steps.ts';
import { portal, type PortalStep } from './steps/portal-steps.ts';
import { slp, type SlpStep } from './steps/slp-steps.ts';
import type { StepKind } from './steps/step-kind.ts';
import { advance, runUntil, type AdvanceStep, type RunUntilStep } from './steps/time-steps.ts';
import type { StepContext, StepOutcome } from './step-context.ts';

export type Step =
  | AdvanceStep
  | RunUntilStep
  | CliStep
  | ReloadStep
  | RmaStep
  | UpgradeStep
  | FaultStep
  | ClearStep
  | CloudStep
  | PortalStep
  | SlpStep
  | ExpectStep;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const STEP_KINDS: Record<Step['kind'], StepKind<any>> = {
  advance,
  runUntil,
  cli,
  reload,
  powerLoss,
  rma,
  upgrade,
  fault,
  clear,
  cloud,
  portal,
  slp,
  expect,
};

export function explainStep(step: Step): string {
  return STEP_KINDS[step.kind].explain(step);
}

export function runStep(step: Step, ctx: StepContext): Promise<StepOutcome> {
  return STEP_KINDS[step.kind].run(step, ctx);
}
