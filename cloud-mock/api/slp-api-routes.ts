/**
 * SLP on the Smart Accounts and Licensing API (slpApiPaths, cssm-api.md §1.3.11): CSLU, SSM On-Prem and tools
 * upload RUM reports and poll for their ACKs on behalf of devices, and read the license summary. Reports
 * need no trust code here: the key of a UDI's first report is pinned and later reports must carry it.
 */
import { Type } from '@sinclair/typebox';
import { SatelliteSyncRequest, SatelliteSyncResponse, slpApiPaths, slpSchemas } from '#protocol';
import {
  acceptUsage,
  answerPoll,
  licenseSummary,
  requestAuthorization,
  requirePoll,
  syncSatellite,
  vaPollOwner,
} from '../domain/index.ts';
import { SLA_BASE } from './management-access.ts';
import type { Route } from './route.ts';
import { slpApiRoute } from './slp-api-access.ts';
import { pollAccepted, slpJson } from './slp-device-routes.ts';

const SummaryRequest = Type.Object(
  {
    data: Type.Object(
      {
        timestamp: Type.Integer({ minimum: 0 }),
        nonce: Type.String({ minLength: 1, maxLength: 64 }),
        tags: Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 1000 }),
        softwareTags: Type.Optional(Type.Array(Type.String({ maxLength: 255 }), { maxItems: 1000 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const headers = 'X-CSW-SMART-ACCOUNT-ID, X-CSW-VIRTUAL-ACCOUNT-ID, X-CSW-REQUESTING-SYSTEM';

export const slpApiRoutes: Route[] = [
  slpApiRoute({
    path: slpApiPaths.reportUsage,
    status: 202,
    summary: `SLP: upload RUM reports for devices (${headers}); answers 202 OK_POLL (acknowledgements)`,
    request: slpSchemas.reportUsage.request,
    response: slpSchemas.reportUsage.response,
    errors: [
      '400 RUM_REPORT_INVALID / KEY_INVALID',
      '403 RUM_KEY_MISMATCH',
      '409 RUM_REPORT_DUPLICATE / UDI_REGISTERED_ELSEWHERE',
    ],
    permission: 'licenses.manage',
    async run({ tx, ctx, va, body }) {
      const poll = await acceptUsage(tx, ctx, body.data.reports, { kind: 'pinned', va }, vaPollOwner(va));
      return pollAccepted(poll, body.data.nonce, ctx.clock.now());
    },
  }),
  slpApiRoute({
    path: slpApiPaths.authRequest,
    status: 202,
    summary: `SLP: ask for SLACs for devices, or return them (keys [] + remove_code) (${headers}); answers 202 OK_POLL`,
    request: slpSchemas.authRequest.request,
    response: slpSchemas.authRequest.response,
    errors: [
      '400 ENTITLEMENT_UNKNOWN / SLAC_NOT_APPLICABLE / SLAC_RETURN_CODE_INVALID / INVALID_VALUE',
      '403 EXPORT_NOT_ALLOWED',
      '404 SLAC_NOT_FOUND',
      '409 INSUFFICIENT_LICENSES / UDI_REGISTERED_ELSEWHERE',
    ],
    permission: 'licenses.manage',
    async run({ tx, ctx, va, body }) {
      const poll = await requestAuthorization(tx, ctx, body.data.licenses, { kind: 'pinned', va }, vaPollOwner(va));
      return pollAccepted(poll, body.data.nonce, ctx.clock.now());
    },
  }),
  slpApiRoute({
    path: slpApiPaths.poll,
    summary: `SLP: fetch the result of an upload or authorization request made in this VA (${headers})`,
    request: slpSchemas.poll.request,
    response: slpSchemas.poll.response,
    errors: ['404 POLL_UNKNOWN (unknown, of another VA, or another action)'],
    permission: 'licenses.manage',
    async run({ tx, ctx, va, body }) {
      const poll = await requirePoll(tx, body.data.poll_id, body.data.action, vaPollOwner(va));
      return slpJson(200, await answerPoll(tx, ctx, poll));
    },
  }),
  slpApiRoute({
    path: slpApiPaths.satelliteSync,
    summary: `SSM On-Prem synchronization (${headers}): its product instances of the VA in, the VA's licenses out`,
    request: SatelliteSyncRequest,
    response: SatelliteSyncResponse,
    errors: ['400 INVALID_VALUE'],
    permission: 'licenses.manage',
    async run({ tx, ctx, va, body }) {
      return slpJson(200, await syncSatellite(tx, ctx, va, body.data.satellite, body.data.instances));
    },
  }),
  slpApiRoute({
    path: `${SLA_BASE}/v3/licenses/summary`,
    summary: `SLP: license summary by entitlement tag, usage-based compliance (${headers}); tags [] = every pool`,
    request: SummaryRequest,
    response: Type.Object({
      status: Type.Literal('SUCCESS'),
      summary: Type.Array(Type.Object({ tag: Type.String() })),
    }),
    errors: ['400 ENTITLEMENT_UNKNOWN'],
    permission: 'licenses.read',
    async run({ tx, ctx, va, body }) {
      const summary = await licenseSummary(tx, ctx, va, body.data.tags);
      const n = summary.length;
      return slpJson(200, {
        status: 'SUCCESS',
        message: `Retrieved summary for ${n} license${n === 1 ? '' : 's'} in the pool.`,
        out_standing_reports: 0,
        summary,
      });
    },
  }),
];
