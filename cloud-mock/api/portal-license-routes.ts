/**
 * The portal's license pages for one device, as management routes: its licenses, resend, evaluation and
 * extension licenses, RMA replacement, rehost (permission ticket, then the rehost ticket for the target)
 * and conversion of its licenses to Smart Licensing. All on the smart account (smart-account roles).
 */
import { Type } from '@sinclair/typebox';
import { udiString, Udi } from '#protocol';
import {
  completeRehost,
  convertDeviceLicenses,
  createPermissionTicket,
  issueEvaluation,
  issueExtension,
  replaceForRma,
  resendLicenses,
} from '../domain/index.ts';
import { success } from './cisco-format.ts';
import { vaFor } from './management-access.ts';
import { accountRoute } from './management-handlers.ts';
import { VaName } from './management-schemas.ts';
import { issuedJson, portalLicenseJson } from './portal-format.ts';
import type { Route } from './route.ts';

const DEVICE = '/v1/accounts/:domain/device-licenses';
const REHOST = '/v1/accounts/:domain/rehost';
const Feature = Type.String({ minLength: 1, maxLength: 64 });
const Issued = Type.Object({
  licenseFile: Type.String(),
  fileName: Type.String(),
  licenses: Type.Array(Type.Object({})),
});
const ForUdi = Type.Object({ udi: Udi }, { additionalProperties: false });

const Lookup = Type.Object({
  pid: Type.String({ minLength: 1, maxLength: 64 }),
  sn: Type.String({ minLength: 1, maxLength: 64 }),
});

export const portalLicenseRoutes: Route[] = [
  accountRoute({
    method: 'GET',
    path: DEVICE,
    summary: 'Every license the smart account was issued for a UDI (?pid=&sn=), with its status (ACTIVE, REHOSTED…)',
    query: Lookup,
    response: Type.Object({ totalRecords: Type.Integer(), licenses: Type.Array(Type.Object({})) }),
    permission: 'licenses.read',
    async run({ tx, account, query }) {
      const licenses = (await tx.list('portalLicenses', { udi: udiString(query), account_id: account.id })).sort(
        (a, b) => a.issuedAt - b.issuedAt || a.feature.localeCompare(b.feature),
      );
      return success({ totalRecords: licenses.length, licenses: licenses.map(portalLicenseJson) });
    },
  }),
  accountRoute({
    method: 'POST',
    path: `${DEVICE}/resend`,
    summary: 'Resend: every active license of the UDI in one license file, the lines as issued',
    request: ForUdi,
    response: Issued,
    errors: ['404 LICENSE_NOT_FOUND'],
    permission: 'licenses.manage',
    async run({ tx, ctx, account, body }) {
      return success(issuedJson(await resendLicenses(tx, ctx, account, body.udi)));
    },
  }),
  accountRoute({
    method: 'POST',
    path: `${DEVICE}/evaluation`,
    summary: 'An evaluation (demo) license: node-locked, 60 days of use, once per UDI and feature',
    request: Type.Object({ udi: Udi, feature: Feature }, { additionalProperties: false }),
    response: Issued,
    errors: ['409 EVALUATION_ALREADY_ISSUED'],
    permission: 'licenses.manage',
    async run({ tx, ctx, account, body }) {
      return success(issuedJson(await issueEvaluation(tx, ctx, account, body.udi, body.feature)));
    },
  }),
  accountRoute({
    method: 'POST',
    path: `${DEVICE}/extension`,
    summary: 'An extension license (TAC): needs approved: true; node-locked, 1–60 days of use',
    request: Type.Object(
      {
        udi: Udi,
        feature: Feature,
        approved: Type.Boolean({ description: 'the approval an extension needs' }),
        days: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
      },
      { additionalProperties: false },
    ),
    response: Issued,
    errors: ['409 EXTENSION_NOT_APPROVED'],
    permission: 'licenses.manage',
    async run({ tx, ctx, account, body }) {
      return success(issuedJson(await issueExtension(tx, ctx, account, body)));
    },
  }),
  accountRoute({
    method: 'POST',
    path: `${DEVICE}/rma`,
    summary: "RMA: the failed device's licenses reissued for the replacement; the old ones marked RMA_REPLACED",
    request: Type.Object(
      { failedUdi: Udi, replacementUdi: Udi, rmaNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })) },
      { additionalProperties: false },
    ),
    response: Issued,
    errors: ['404 LICENSE_NOT_FOUND', '400 SKU_NOT_FOR_PLATFORM'],
    permission: 'licenses.manage',
    async run({ tx, ctx, account, body }) {
      const r = { failed: body.failedUdi, replacement: body.replacementUdi };
      const issued = await replaceForRma(tx, ctx, account, body.rmaNumber ? { ...r, rmaNumber: body.rmaNumber } : r);
      return success(issuedJson(issued));
    },
  }),
  accountRoute({
    method: 'POST',
    path: `${DEVICE}/convert`,
    summary: "Convert a device's PAK licenses to Smart Licensing (its lines marked CONVERTED)",
    request: Type.Object({ udi: Udi, virtualAccount: VaName }, { additionalProperties: false }),
    response: Type.Object({ converted: Type.Array(Type.Object({})) }),
    errors: ['404 LICENSE_NOT_FOUND'],
    permission: 'licenses.manage',
    async run(c) {
      const va = await vaFor(c, c.account, c.body.virtualAccount, 'licenses.manage');
      return success({ converted: await convertDeviceLicenses(c.tx, c.ctx, c.account, va, c.body.udi) });
    },
  }),
  accountRoute({
    method: 'POST',
    path: `${REHOST}/permission-tickets`,
    summary: 'Rehost step 1: a permission ticket for the source device (what it revokes, its 60-day grace lines)',
    request: Type.Object(
      { udi: Udi, features: Type.Optional(Type.Array(Feature, { minItems: 1, maxItems: 64 })) },
      { additionalProperties: false },
    ),
    response: Type.Object({ permissionTicketId: Type.String(), permissionTicket: Type.String() }),
    errors: ['404 LICENSE_NOT_FOUND'],
    permission: 'licenses.manage',
    async run({ tx, ctx, account, body }) {
      const t = await createPermissionTicket(tx, ctx, account, body.udi, body.features);
      return success({
        permissionTicketId: t.id,
        permissionTicket: t.permissionTicket,
        licenses: t.revoke.map(portalLicenseJson),
      });
    },
  }),
  accountRoute({
    method: 'POST',
    path: `${REHOST}/transfers`,
    summary: "Rehost step 3: the source's rehost ticket and the target UDI ⇒ the target's license file",
    request: Type.Object(
      { rehostTicket: Type.String({ minLength: 1, maxLength: 16_384 }), targetUdi: Udi },
      { additionalProperties: false },
    ),
    response: Issued,
    errors: ['400 REHOST_TICKET_INVALID', '404 PERMISSION_TICKET_NOT_FOUND', '409 PERMISSION_TICKET_USED'],
    permission: 'licenses.manage',
    async run({ tx, ctx, account, body }) {
      const r = await completeRehost(tx, ctx, account, body.rehostTicket, body.targetUdi);
      return success({ ...issuedJson(r), grace: r.grace.map(portalLicenseJson) });
    },
  }),
];
