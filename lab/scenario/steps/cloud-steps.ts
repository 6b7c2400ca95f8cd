/**
 * What a Smart Account user does in the portal, as steps (`cloud: { <operation>: … }`), each one
 * transaction on the lab's cloud; the devices learn of it at their next contact, as with CSSM:
 * - `removeInstance: <devices>`: the product instances of the selected devices removed;
 * - `revokeToken: <token>`: a registration token revoked;
 * - `deposit: { account, virtualAccount, tag, quantity, licenseType?, termDays? }`: licenses bought;
 * - `removeLicenses: { on, quantity? }`: licenses the selected devices use leave their pools;
 * - `transfer: { account, from, to, tag, quantity, licenseType? }`: available licenses move between VAs.
 */
import type { LicenseDeposit, LicenseMove } from '#cloud';
import { udiString } from '#protocol';
import type { Fail, Path } from '../../fleet/yaml-source.ts';
import { devicesOn, OK } from '../step-context.ts';
import {
  mapping,
  selector,
  selectorAt,
  text,
  textAt,
  wholeNumber,
  type Fields,
  type StepReader,
  keyedBy,
  oneOf,
} from '../step-reader.ts';
import type { StepKind } from './step-kind.ts';

export type CloudOperation =
  | { removeInstance: string }
  | { revokeToken: string }
  | { deposit: LicenseDeposit }
  | { removeLicenses: { on: string; quantity: number | undefined } }
  | { transfer: LicenseMove };

export type CloudStep = { kind: 'cloud'; operation: CloudOperation };

export const LICENSE_TYPES = ['PERPETUAL', 'TERM', 'DEMO'] as const;

const OPERATIONS: Record<string, (value: unknown, at: Path, reader: StepReader) => CloudOperation> = {
  removeInstance: (value, at, reader) => ({ removeInstance: selectorAt(value, at, reader) }),
  revokeToken: (value, at, { fail }) => ({ revokeToken: textAt(value, at, 'the token', fail) }),
  deposit: (value, at, { fail }) => ({ deposit: readDeposit(value, at, fail) }),
  removeLicenses: (value, at, reader) => {
    const m = mapping(value, at, reader.fail, ['on', 'quantity'], ['on']);
    return {
      removeLicenses: { on: selector(m, at, reader), quantity: wholeNumber(m, 'quantity', at, reader.fail, 1) },
    };
  },
  transfer: (value, at, { fail }) => {
    const keys = ['account', 'from', 'to', 'tag', 'quantity', 'licenseType'];
    const m = mapping(value, at, fail, keys, ['account', 'from', 'to', 'tag', 'quantity']);
    const type = licenseType(m, at, fail);
    return {
      transfer: {
        account: text(m, 'account', at, fail),
        from: text(m, 'from', at, fail),
        to: text(m, 'to', at, fail),
        tag: text(m, 'tag', at, fail),
        quantity: wholeNumber(m, 'quantity', at, fail, 1)!,
        ...(type !== undefined ? { licenseType: type } : {}),
      },
    };
  },
};

const licenseType = (m: Fields, at: Path, fail: Fail): LicenseDeposit['licenseType'] =>
  m.licenseType === undefined
    ? undefined
    : oneOf(m.licenseType, [...at, 'licenseType'], fail, 'licenseType', LICENSE_TYPES);

function readDeposit(value: unknown, at: Path, fail: Fail): LicenseDeposit {
  const keys = ['account', 'virtualAccount', 'tag', 'quantity', 'licenseType', 'termDays'];
  const m = mapping(value, at, fail, keys, ['account', 'virtualAccount', 'tag', 'quantity']);
  const type = licenseType(m, at, fail);
  const termDays = wholeNumber(m, 'termDays', at, fail, 1);
  return {
    account: text(m, 'account', at, fail),
    virtualAccount: text(m, 'virtualAccount', at, fail),
    tag: text(m, 'tag', at, fail),
    quantity: wholeNumber(m, 'quantity', at, fail, 1)!,
    ...(type !== undefined ? { licenseType: type } : {}),
    ...(termDays !== undefined ? { termDays } : {}),
  };
}

export const cloud: StepKind<CloudStep> = {
  read: (value, at, reader) => {
    const [name, arg] = keyedBy(value, at, reader.fail, OPERATIONS, {
      shape: 'a cloud step is a mapping with one operation',
      one: 'cloud operation',
      many: 'operations',
    });
    return { kind: 'cloud', operation: OPERATIONS[name]!(arg, [...at, name], reader) };
  },
  explain: ({ operation: op }) => {
    if ('removeInstance' in op) return `in the cloud, remove the product instances of ${op.removeInstance}`;
    if ('revokeToken' in op) return `in the cloud, revoke registration token ${op.revokeToken}`;
    if ('deposit' in op)
      return `in the cloud, deposit ${op.deposit.quantity} ${op.deposit.licenseType ?? 'PERPETUAL'} ${op.deposit.tag} into ${op.deposit.account}/${op.deposit.virtualAccount}`;
    if ('transfer' in op) {
      const t = op.transfer;
      return `in the cloud, transfer ${t.quantity} ${t.licenseType ? `${t.licenseType} ` : ''}${t.tag} from ${t.account}/${t.from} to ${t.to}`;
    }
    const { on, quantity } = op.removeLicenses;
    return `in the cloud, take ${quantity === undefined ? 'as many as they use' : quantity} of each license ${on} uses out of their pools`;
  },
  run: async ({ operation: op }, ctx) => {
    const udis = (on: string) => devicesOn(ctx, on).map((d) => udiString(d.udi));
    if ('removeInstance' in op) {
      const missing: string[] = [];
      for (const udi of udis(op.removeInstance))
        if ((await ctx.cloud.instance(udi)) === undefined) missing.push(udi);
        else await ctx.cloud.removeInstance(udi);
      if (missing.length > 0)
        return { ok: false, why: `the cloud holds no product instance for ${missing.join(', ')}` };
    } else if ('revokeToken' in op) await ctx.cloud.revokeToken(op.revokeToken);
    else if ('deposit' in op) await ctx.cloud.depositLicenses(op.deposit);
    else if ('transfer' in op) await ctx.cloud.transferLicenses(op.transfer);
    else await ctx.cloud.removeLicenses(udis(op.removeLicenses.on), op.removeLicenses.quantity);
    return OK;
  },
};
