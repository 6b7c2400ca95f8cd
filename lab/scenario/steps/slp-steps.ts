/**
 * What an admin does for Smart Licensing Using Policy without a connection to CSSM (smart-licensing.md
 * §9.6), as steps (`slp: { <operation>: … }`):
 * - `usageFile: { account, virtualAccount, on, file, ackTo }`: the device's usage file (written by `license
 *   smart save usage … file <file>`) carried to CSSM, and the ACK file CSSM gives back put on the device as
 *   `ackTo`, for `license smart import`;
 * - `csluExchange: { account, virtualAccount }`: the same for the lab's CSLU when it runs offline — its
 *   export file uploaded, the ACK file imported into it, where its devices collect their ACKs at their next
 *   poll.
 */
import { DomainError, type VaRef } from '#cloud';
import { deviceNamed, OK, type StepContext, type StepOutcome } from '../step-context.ts';
import { deviceFile, hostnameAt, keyedBy, mapping, text, type StepReader } from '../step-reader.ts';
import type { StepKind } from './step-kind.ts';

export type SlpOperation = { usageFile: VaRef & { on: string; file: string; ackTo: string } } | { csluExchange: VaRef };

export type SlpStep = { kind: 'slp'; operation: SlpOperation };

function va(m: Record<string, unknown>, at: (string | number)[], reader: StepReader): VaRef {
  return { account: text(m, 'account', at, reader.fail), virtualAccount: text(m, 'virtualAccount', at, reader.fail) };
}

const OPERATIONS: Record<string, (value: unknown, at: (string | number)[], reader: StepReader) => SlpOperation> = {
  usageFile: (value, at, reader) => {
    const keys = ['account', 'virtualAccount', 'on', 'file', 'ackTo'];
    const m = mapping(value, at, reader.fail, keys, keys);
    return {
      usageFile: {
        ...va(m, at, reader),
        on: hostnameAt(m.on, [...at, 'on'], reader),
        file: deviceFile(m, 'file', at, reader.fail),
        ackTo: deviceFile(m, 'ackTo', at, reader.fail),
      },
    };
  },
  csluExchange: (value, at, reader) => {
    const m = mapping(value, at, reader.fail, ['account', 'virtualAccount'], ['account', 'virtualAccount']);
    return { csluExchange: va(m, at, reader) };
  },
};

/** The cloud's refusal in its words; anything else is a defect and goes on up. */
async function cloudSays(work: () => Promise<string | undefined>): Promise<StepOutcome> {
  try {
    const why = await work();
    return why === undefined ? OK : { ok: false, why };
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, why: `the cloud refused it (${err.code}): ${err.message}` };
    throw err;
  }
}

async function perform(op: SlpOperation, ctx: StepContext): Promise<StepOutcome> {
  if ('usageFile' in op) {
    const { on, file, ackTo, ...ref } = op.usageFile;
    const device = deviceNamed(ctx, on);
    const usage = device.readFile(file);
    if (!usage.ok) return { ok: false, why: `${on} has no usage file ${file}: ${usage.error}` };
    return cloudSays(async () => {
      const written = device.putFile(ackTo, await ctx.cloud.slp.usageFile(ref, usage.output));
      return written.ok ? undefined : `${on} refused the ACK file: ${written.error}`;
    });
  }
  const cslu = ctx.cslu;
  if (!cslu) return { ok: false, why: "this scenario's topology has no lab CSLU (cslu: { offline: true })" };
  if (cslu.connected) return { ok: false, why: 'the lab CSLU is connected to the cloud: it sends usage itself' };
  const { file, reports } = cslu.exportUsage();
  if (reports === 0) return { ok: false, why: 'the lab CSLU holds no usage to export' };
  return cloudSays(async () => {
    const imported = cslu.importAcks(await ctx.cloud.slp.usageFile(op.csluExchange, file));
    return imported.ok ? undefined : `the lab CSLU refused the ACK file: ${imported.reason}`;
  });
}

export const slp: StepKind<SlpStep> = {
  read: (value, at, reader) => {
    const [name, arg] = keyedBy(value, at, reader.fail, OPERATIONS, {
      shape: 'an slp step is a mapping with one operation',
      one: 'slp operation',
      many: 'operations',
    });
    return { kind: 'slp', operation: OPERATIONS[name]!(arg, [...at, name], reader) };
  },
  explain: ({ operation: op }) => {
    if ('usageFile' in op) {
      const u = op.usageFile;
      return `carry ${u.on}'s usage file ${u.file} to ${u.account}/${u.virtualAccount} in CSSM, and its ACK file back to ${u.on} ${u.ackTo}`;
    }
    const c = op.csluExchange;
    return `export the lab CSLU's usage to ${c.account}/${c.virtualAccount} in CSSM, and import the ACK file into CSLU`;
  },
  run: ({ operation }, ctx) => perform(operation, ctx),
};
