/**
 * Faults as steps: `fault: { kind: unreachable, on: all, for: 95d }` starts one of the lab's faults
 * (lab/faults, the same kinds and fields as `lab fault add` and topology faults) on the selected devices,
 * named by `name` (default its kind); `clear: <name> | all` ends it before its `for` runs out.
 */
import { checkFaultSpec } from '../../faults/fault-schedule.ts';
import { CLOUD_FAULTS, DEVICE_FAULTS, FAULT_KINDS, NETWORK_FAULTS, type FaultSpec } from '../../faults/fault-spec.ts';
import { UsageError } from '../../usage-error.ts';
import { OK } from '../step-context.ts';
import { mapping, optionalText, selector } from '../step-reader.ts';
import type { StepKind } from './step-kind.ts';

export type FaultStep = { kind: 'fault'; name: string; spec: FaultSpec };
export type ClearStep = { kind: 'clear'; name: string };

const FIELDS = ['name', 'kind', 'on', 'at', 'for', 'how', 'why', 'ms', 'status', 'retryAfter', 'quantity'];
const WHAT: Record<string, string> = { ...NETWORK_FAULTS, ...DEVICE_FAULTS, ...CLOUD_FAULTS };

export const fault: StepKind<FaultStep> = {
  read: (value, at, reader) => {
    const { fail } = reader;
    const m = mapping(value, at, fail, FIELDS, ['kind', 'on']);
    if (!FAULT_KINDS.includes(m.kind as FaultSpec['kind']))
      fail([...at, 'kind'], `unknown fault "${String(m.kind)}"; valid faults: ${FAULT_KINDS.join(', ')}`);
    const { name: _name, on: _on, ...fields } = m;
    let spec: FaultSpec;
    try {
      spec = checkFaultSpec({ ...fields, select: selector(m, at, reader) });
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      // `fault status: …` names the field: point at it when the step has it.
      const field = /^fault ([A-Za-z]+)[:.]/.exec(err.message)?.[1];
      return fail(field !== undefined && field in m ? [...at, field] : at, err.message);
    }
    const name = optionalText(m, 'name', at, fail) ?? spec.kind;
    if (name === 'all' || reader.faultNames.has(name))
      fail(
        m.name === undefined ? at : [...at, 'name'],
        name === 'all'
          ? '"all" names every fault for clear: give this one another name'
          : `a fault named "${name}" comes before: give this one a name of its own (name: …) so clear can tell them apart`,
      );
    reader.faultNames.add(name);
    return { kind: 'fault', name, spec };
  },
  explain: ({ spec }) =>
    `fault ${spec.kind} on ${spec.select}${spec.at ? ` in ${spec.at}` : ''}${spec.for ? ` for ${spec.for}` : ''}: ${WHAT[spec.kind]}`,
  run: async (s, ctx) => {
    ctx.faultIds.set(s.name, ctx.faults.add(s.spec).id);
    return OK;
  },
};

export const clear: StepKind<ClearStep> = {
  read: (value, at, reader) => {
    const known = reader.faultNames;
    if (typeof value !== 'string' || (value !== 'all' && !known.has(value)))
      reader.fail(
        at,
        `clear names a fault started by an earlier step, or all; ${known.size > 0 ? `faults: ${[...known].join(', ')}` : 'no fault step comes before'}; got ${JSON.stringify(value)}`,
      );
    return { kind: 'clear', name: value as string };
  },
  explain: (s) => (s.name === 'all' ? 'clear every fault' : `clear fault ${s.name}`),
  run: async (s, ctx) => {
    if (s.name === 'all') ctx.faults.clear();
    else {
      const id = ctx.faultIds.get(s.name);
      // A once fault (reload, token-revoked) is over by the time it is cleared: nothing to end.
      if (id !== undefined && ctx.faults.list().some((f) => f.id === id)) ctx.faults.clear(id);
    }
    return OK;
  },
};
