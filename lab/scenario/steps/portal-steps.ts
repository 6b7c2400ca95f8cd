/**
 * The license registration portal as steps (traditional licensing), by smart account domain:
 * - `portal: { addPak: { account, pak, items: [{ sku, quantity }] } }`: a PAK bought (an order);
 * - `portal: { fulfil: { account, pak, on, skus: [SL-4330-SEC-K9, { sku, quantity }], to? } }`: the PAK
 *   fulfilled for the device's UDI, a signed license file issued;
 * - `portal: { resend: { account, on, to? } }`: every license of the device's UDI issued again;
 * - `portal: { rma: { account, on, to? } }`: the licenses of the chassis an `rma` step replaced at `on`
 *   issued again for its replacement (the failed one's marked RMA_REPLACED);
 * - `portal: { permissionTicket: { account, on, features?, to } }`: a rehost's first step, the permission
 *   ticket for the source device written to its `to` (then `license revoke <to> <rehost ticket file>`);
 * - `portal: { rehost: { account, from, ticket, on, to? } }`: the rehost ticket the source wrote to its file
 *   `ticket` taken to the portal, which issues the licenses for the target device `on`;
 * `to: flash:sec.lic` copies the license file onto the device (then `license install flash:sec.lic`).
 * A second key `refused: PAK_EXHAUSTED` says the portal must refuse the operation with that error code.
 */
import { DomainError } from '#cloud';
import { errorCatalogue } from '#protocol';
import type { Fail, Path } from '../../fleet/yaml-source.ts';
import { deviceNamed, OK, type StepContext } from '../step-context.ts';
import {
  deviceFile,
  hostnameAt,
  mapping,
  text,
  textAt,
  wholeNumber,
  type StepReader,
  keyedBy,
} from '../step-reader.ts';
import type { StepKind } from './step-kind.ts';

type Sku = { sku: string; quantity?: number };

export type PortalOperation =
  | { addPak: { account: string; pak: string; items: { sku: string; quantity: number }[] } }
  | { fulfil: { account: string; pak: string; on: string; skus: Sku[]; to?: string } }
  | { resend: { account: string; on: string; to?: string } }
  | { rma: { account: string; on: string; to?: string } }
  | { permissionTicket: { account: string; on: string; features?: string[]; to: string } }
  | { rehost: { account: string; from: string; ticket: string; on: string; to?: string } };

export type PortalStep = { kind: 'portal'; operation: PortalOperation; refused: string | undefined };

export const PAK = /^[0-9A-Z]{11}$/;

/** One of the cloud's error codes (cloud-mock/protocol/errors.ts). */
function errorCode(value: unknown, at: Path, fail: Fail): string {
  if (typeof value !== 'string' || !Object.hasOwn(errorCatalogue, value))
    fail(
      at,
      `refused takes one of the cloud's error codes (${Object.keys(errorCatalogue).join(', ')}), got ${JSON.stringify(value)}`,
    );
  return value as string;
}

function pakKey(m: Record<string, unknown>, at: Path, fail: Fail): string {
  const pak = text(m, 'pak', at, fail);
  if (!PAK.test(pak)) fail([...at, 'pak'], `a PAK is 11 capital letters and digits, got ${JSON.stringify(pak)}`);
  return pak;
}

function list<T>(value: unknown, at: Path, fail: Fail, what: string, item: (v: unknown, at: Path) => T): T[] {
  if (!Array.isArray(value) || value.length === 0) fail(at, `${what} must be a list of one or more`);
  return (value as unknown[]).map((v, i) => item(v, [...at, i]));
}

/** Where on the device the issued file goes, if anywhere. */
const destination = (m: Record<string, unknown>, at: Path, fail: Fail): { to?: string } =>
  m.to === undefined ? {} : { to: deviceFile(m, 'to', at, fail) };

/** The step's device: one hostname, for the UDI a license is locked to. */
const oneDevice = (m: Record<string, unknown>, at: Path, reader: StepReader): string =>
  hostnameAt(m.on, [...at, 'on'], reader);

function forDevice(value: unknown, at: Path, reader: StepReader) {
  const m = mapping(value, at, reader.fail, ['account', 'on', 'to'], ['account', 'on']);
  return {
    account: text(m, 'account', at, reader.fail),
    on: oneDevice(m, at, reader),
    ...destination(m, at, reader.fail),
  };
}

const OPERATIONS: Record<string, (value: unknown, at: Path, reader: StepReader) => PortalOperation> = {
  addPak: (value, at, { fail }) => {
    const m = mapping(value, at, fail, ['account', 'pak', 'items'], ['account', 'pak', 'items']);
    const items = list(m.items, [...at, 'items'], fail, 'items', (v, where) => {
      const item = mapping(v, where, fail, ['sku', 'quantity'], ['sku', 'quantity']);
      return { sku: text(item, 'sku', where, fail), quantity: wholeNumber(item, 'quantity', where, fail, 1)! };
    });
    return { addPak: { account: text(m, 'account', at, fail), pak: pakKey(m, at, fail), items } };
  },
  fulfil: (value, at, reader) => {
    const { fail } = reader;
    const m = mapping(value, at, fail, ['account', 'pak', 'on', 'skus', 'to'], ['account', 'pak', 'on', 'skus']);
    const skus = list(m.skus, [...at, 'skus'], fail, 'skus', (v, where): Sku => {
      if (typeof v === 'string') return { sku: textAt(v, where, 'a SKU', fail) };
      const pick = mapping(v, where, fail, ['sku', 'quantity'], ['sku']);
      const quantity = wholeNumber(pick, 'quantity', where, fail, 1);
      return { sku: text(pick, 'sku', where, fail), ...(quantity !== undefined ? { quantity } : {}) };
    });
    const fulfil = { account: text(m, 'account', at, fail), pak: pakKey(m, at, fail), on: oneDevice(m, at, reader) };
    return { fulfil: { ...fulfil, skus, ...destination(m, at, fail) } };
  },
  resend: (value, at, reader) => ({ resend: forDevice(value, at, reader) }),
  rma: (value, at, reader) => ({ rma: forDevice(value, at, reader) }),
  permissionTicket: (value, at, reader) => {
    const { fail } = reader;
    const m = mapping(value, at, fail, ['account', 'on', 'features', 'to'], ['account', 'on', 'to']);
    const features =
      m.features === undefined
        ? {}
        : {
            features: list(m.features, [...at, 'features'], fail, 'features', (v, w) =>
              textAt(v, w, 'a feature', fail),
            ),
          };
    const ticket = {
      account: text(m, 'account', at, fail),
      on: oneDevice(m, at, reader),
      to: deviceFile(m, 'to', at, fail),
    };
    return { permissionTicket: { ...ticket, ...features } };
  },
  rehost: (value, at, reader) => {
    const { fail } = reader;
    const m = mapping(value, at, fail, ['account', 'from', 'ticket', 'on', 'to'], ['account', 'from', 'ticket', 'on']);
    const rehost = {
      account: text(m, 'account', at, fail),
      from: hostnameAt(m.from, [...at, 'from'], reader),
      ticket: deviceFile(m, 'ticket', at, fail),
      on: oneDevice(m, at, reader),
    };
    return { rehost: { ...rehost, ...destination(m, at, fail) } };
  },
};

/** Carries the operation out; a file to copy onto the device that it refuses is the failure, in words. */
async function perform(op: PortalOperation, ctx: StepContext): Promise<string | undefined> {
  const device = (on: string) => deviceNamed(ctx, on);
  if ('addPak' in op) {
    await ctx.cloud.portal.addPak(op.addPak.account, op.addPak);
    return undefined;
  }
  if ('permissionTicket' in op) {
    const t = op.permissionTicket;
    const issued = await ctx.cloud.portal.permissionTicket(t.account, device(t.on).udi, t.features);
    const written = device(t.on).putFile(t.to, issued.permissionTicket);
    return written.ok ? undefined : `${t.on} refused the file: ${written.error}`;
  }
  const { account, on, to } =
    'fulfil' in op ? op.fulfil : 'resend' in op ? op.resend : 'rma' in op ? op.rma : op.rehost;
  let issued;
  if ('rehost' in op) {
    const ticket = device(op.rehost.from).readFile(op.rehost.ticket);
    if (!ticket.ok) return `${op.rehost.from} has no rehost ticket ${op.rehost.ticket}: ${ticket.error}`;
    issued = await ctx.cloud.portal.rehost(account, ticket.output, device(on).udi);
  } else if ('fulfil' in op)
    issued = await ctx.cloud.portal.fulfil(account, op.fulfil.pak, device(on).udi, op.fulfil.skus);
  else if ('resend' in op) issued = await ctx.cloud.portal.resend(account, device(on).udi);
  else {
    const failed = ctx.replaced.get(on);
    if (failed === undefined) return `no rma step replaced ${on}'s chassis before`;
    issued = await ctx.cloud.portal.rma(account, { failed, replacement: device(on).udi });
  }
  if (to === undefined) return undefined;
  const copied = device(on).putFile(to, issued.licenseFile);
  return copied.ok ? undefined : `${on} refused the file: ${copied.error}`;
}

const copied = (f: { on: string; to?: string }) => (f.to ? `, the file copied to ${f.on} ${f.to}` : '');

export const portal: StepKind<PortalStep> = {
  read: (value, at, reader) => {
    const [name, arg] = keyedBy(value, at, reader.fail, OPERATIONS, {
      shape: 'a portal step is a mapping with one operation, and refused if it must fail',
      one: 'portal operation',
      many: 'operations',
      extra: ['refused'],
    });
    const fields = value as Record<string, unknown>;
    const refused =
      fields.refused === undefined ? undefined : errorCode(fields.refused, [...at, 'refused'], reader.fail);
    return { kind: 'portal', operation: OPERATIONS[name]!(arg, [...at, name], reader), refused };
  },
  explain: ({ operation: op, refused }) => {
    const then = refused ? `, which the portal refuses with ${refused}` : '';
    if ('addPak' in op)
      return `in the portal, add PAK ${op.addPak.pak} to ${op.addPak.account}: ${op.addPak.items.map((i) => `${i.quantity} × ${i.sku}`).join(', ')}${then}`;
    if ('fulfil' in op)
      return `in the portal, fulfil PAK ${op.fulfil.pak} of ${op.fulfil.account} for ${op.fulfil.on}: ${op.fulfil.skus.map((s) => `${s.quantity ?? 1} × ${s.sku}`).join(', ')}${copied(op.fulfil)}${then}`;
    if ('permissionTicket' in op)
      return `in the portal of ${op.permissionTicket.account}, ask to rehost ${op.permissionTicket.features?.join(', ') ?? 'every license'} of ${op.permissionTicket.on}: the permission ticket to ${op.permissionTicket.on} ${op.permissionTicket.to}${then}`;
    if ('rehost' in op)
      return `in the portal of ${op.rehost.account}, take ${op.rehost.from}'s rehost ticket ${op.rehost.ticket} and issue its licenses for ${op.rehost.on}${copied(op.rehost)}${then}`;
    if ('resend' in op)
      return `in the portal of ${op.resend.account}, resend every license of ${op.resend.on}${copied(op.resend)}${then}`;
    return `in the portal of ${op.rma.account}, reissue the failed chassis's licenses for ${op.rma.on}'s replacement${copied(op.rma)}${then}`;
  },
  run: async ({ operation, refused }, ctx) => {
    try {
      const why = await perform(operation, ctx);
      if (why !== undefined) return { ok: false, why };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (refused === err.code) return OK;
      return { ok: false, why: `the portal refused it: ${err.code}: ${err.message}` };
    }
    return refused === undefined ? OK : { ok: false, why: `the portal did it; it should have refused with ${refused}` };
  },
};
