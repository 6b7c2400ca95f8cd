/** One kind of scenario step: how it is read from YAML, how it explains itself, and how it runs. */
import type { Path } from '../../fleet/yaml-source.ts';
import type { StepContext, StepOutcome } from '../step-context.ts';
import type { StepReader } from '../step-reader.ts';

export interface StepKind<S extends { kind: string }> {
  /** YAML value → step; every mistake fails at its file:line:column with the valid choices. */
  read(value: unknown, at: Path, reader: StepReader): S;
  /** One line a person reads in a report. */
  explain(step: S): string;
  run(step: S, ctx: StepContext): Promise<StepOutcome>;
}
