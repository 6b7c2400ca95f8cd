/** Product instances: list, transfer between virtual accounts, remove (cssm-api.md §1.3.8). */
import { Type } from '@sinclair/typebox';
import { releaseInstance, requireInstance, transferInstance } from '../domain/index.ts';
import type { VirtualAccount } from '../store/index.ts';
import { deviceJson, page, success, sudiJson } from './cisco-format.ts';
import { accountFor, asCaller, managementRoute, vaFor, vasFor, type Scope } from './management-access.ts';
import { DEFAULT_LIMIT, PageQuery, Sudi, VaName, VaPageBody } from './management-schemas.ts';
import { json } from './respond.ts';
import type { Route } from './route.ts';
import { jsonBody, validate } from './validate.ts';

const TransferDevices = Type.Object(
  {
    productInstances: Type.Array(
      Type.Object(
        { sudi: Sudi, productTagName: Type.Optional(Type.String({ maxLength: 255, description: 'ignored: the sudi names the instance' })), targetVirtualAccount: VaName },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

/** Cisco's spelling, missing "n" (cssm-api.md §1.3.8). */
const RemoveDevices = Type.Object(
  {
    productInstacesRemoveRequests: Type.Array(
      Type.Object(
        {
          sudi: Sudi,
          productTagName: Type.Optional(Type.String({ maxLength: 255 })),
          returnCode: Type.Optional(Type.String({ maxLength: 255, description: 'SLR return code; not checked (no reservations in the lab yet)' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

const udiOf = (sudi: { udiPid: string; udiSerialNumber: string }) => ({ pid: sudi.udiPid, sn: sudi.udiSerialNumber });

async function devicesOf(s: Scope, vas: VirtualAccount[]) {
  const out = [];
  for (const va of vas) {
    const instances = (await s.tx.list('productInstances', { va_id: va.id })).sort((a, b) => a.registeredAt - b.registeredAt || a.udiKey.localeCompare(b.udiKey));
    out.push(...instances.map((pi) => deviceJson(pi, va)));
  }
  return out;
}

const DEVICES = '/v1/accounts/:domain/virtual-accounts/:va/devices';

export const managementDeviceRoutes: Route[] = [
  managementRoute({
    method: 'GET',
    path: DEVICES,
    summary: 'The product instances of a virtual account',
    query: PageQuery,
    async handler(input) {
      return json(
        200,
        await asCaller(input, async (s) => {
          const account = await accountFor(s, input.params.domain!, 'licenses.read', true);
          const va = await vaFor(s, account, input.params.va!, 'licenses.read');
          const q = validate(PageQuery, Object.fromEntries(input.req.query), 'query');
          const devices = await devicesOf(s, [va]);
          return success({ totalRecords: devices.length, devices: page(devices, Number(q.limit ?? -1), Number(q.offset ?? 0)) });
        }),
      );
    },
  }),
  managementRoute({
    method: 'POST',
    path: '/v1/accounts/:domain/devices',
    summary: 'The product instances of several virtual accounts (empty list: every one the caller may see)',
    request: VaPageBody,
    async handler(input) {
      return json(
        200,
        await asCaller(input, async (s) => {
          const account = await accountFor(s, input.params.domain!, 'licenses.read', true);
          const body = jsonBody(input.req, VaPageBody);
          const devices = await devicesOf(s, await vasFor(s, account, body.virtualAccounts, 'licenses.read'));
          return success({ totalRecords: devices.length, devices: page(devices, body.limit ?? DEFAULT_LIMIT, body.offset ?? 0) });
        }),
      );
    },
  }),
  managementRoute({
    method: 'POST',
    path: `${DEVICES}/transfer`,
    summary: 'Move product instances (and their license usage) to other virtual accounts',
    request: TransferDevices,
    errors: ['404 INSTANCE_NOT_FOUND (nothing moves)'],
    async handler(input) {
      return json(
        200,
        await asCaller(input, async (s) => {
          const account = await accountFor(s, input.params.domain!, 'licenses.manage', true);
          const from = await vaFor(s, account, input.params.va!, 'licenses.manage');
          const body = jsonBody(input.req, TransferDevices);
          const moved = [];
          for (const p of body.productInstances) {
            const to = await vaFor(s, account, p.targetVirtualAccount, 'licenses.manage');
            const instance = await requireInstance(s.tx, udiOf(p.sudi), from);
            await transferInstance(s.tx, s.ctx, account, instance, to);
            moved.push({ sudi: sudiJson(instance), targetVirtualAccount: to.name, status: 'SUCCESS' });
          }
          return success({ productInstances: moved }, `${moved.length} product instance(s) transferred from ${from.name}`);
        }),
      );
    },
  }),
  managementRoute({
    method: 'POST',
    path: '/v2/accounts/:domain/virtual-accounts/:va/devices/remove',
    summary: 'Remove product instances: their licenses are released and their ID certificates stop working',
    request: RemoveDevices,
    errors: ['404 INSTANCE_NOT_FOUND (nothing is removed)'],
    async handler(input) {
      return json(
        200,
        await asCaller(input, async (s) => {
          const account = await accountFor(s, input.params.domain!, 'licenses.manage', true);
          const va = await vaFor(s, account, input.params.va!, 'licenses.manage');
          const body = jsonBody(input.req, RemoveDevices);
          let released = 0;
          for (const r of body.productInstacesRemoveRequests) released += await releaseInstance(s.tx, s.ctx, await requireInstance(s.tx, udiOf(r.sudi), va), 'instance.removed');
          return success({}, `${body.productInstacesRemoveRequests.length} product instance(s) removed from ${va.name}; ${released} license(s) released`);
        }),
      );
    },
  }),
];
