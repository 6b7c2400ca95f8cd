/** Product instances: list, transfer between virtual accounts, remove (cssm-api.md §1.3.8). */
import { Type } from '@sinclair/typebox';
import { releaseInstance, requireInstance, transferInstance } from '../domain/index.ts';
import type { VirtualAccount } from '../store/index.ts';
import { deviceJson, page, success, sudiJson } from './cisco-format.ts';
import { vaFor, type Scope } from './management-access.ts';
import { accountRoute, vaPage, vaRoute } from './management-handlers.ts';
import { PageQuery, Sudi, VaName, VaPageBody } from './management-schemas.ts';
import type { Route } from './route.ts';

const TransferDevices = Type.Object(
  {
    productInstances: Type.Array(
      Type.Object(
        {
          sudi: Sudi,
          productTagName: Type.Optional(
            Type.String({ maxLength: 255, description: 'ignored: the sudi names the instance' }),
          ),
          targetVirtualAccount: VaName,
        },
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
          returnCode: Type.Optional(
            Type.String({
              maxLength: 255,
              description: 'not checked here: reservations are returned through reserve-licenses/return',
            }),
          ),
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
    const instances = (await s.tx.list('productInstances', { va_id: va.id })).sort(
      (a, b) => a.registeredAt - b.registeredAt || a.udiKey.localeCompare(b.udiKey),
    );
    out.push(...instances.map((pi) => deviceJson(pi, va)));
  }
  return out;
}

const DEVICES = '/v1/accounts/:domain/virtual-accounts/:va/devices';

export const managementDeviceRoutes: Route[] = [
  vaRoute({
    method: 'GET',
    path: DEVICES,
    summary: 'The product instances of a virtual account',
    query: PageQuery,
    permission: 'licenses.read',
    async run(c) {
      const devices = await devicesOf(c, [c.va]);
      return success({
        totalRecords: devices.length,
        devices: page(devices, Number(c.query.limit ?? -1), Number(c.query.offset ?? 0)),
      });
    },
  }),
  accountRoute({
    method: 'POST',
    path: '/v1/accounts/:domain/devices',
    summary: 'The product instances of several virtual accounts (empty list: every one the caller may see)',
    request: VaPageBody,
    permission: 'licenses.read',
    vaLevel: true,
    run: (c) => vaPage(c, 'licenses.read', 'devices', (va) => devicesOf(c, [va])),
  }),
  vaRoute({
    method: 'POST',
    path: `${DEVICES}/transfer`,
    summary: 'Move product instances (and their license usage) to other virtual accounts',
    request: TransferDevices,
    errors: ['404 INSTANCE_NOT_FOUND (nothing moves)'],
    permission: 'licenses.manage',
    async run(c) {
      const moved = [];
      for (const p of c.body.productInstances) {
        const to = await vaFor(c, c.account, p.targetVirtualAccount, 'licenses.manage');
        const instance = await requireInstance(c.tx, udiOf(p.sudi), c.va);
        await transferInstance(c.tx, c.ctx, c.account, instance, to);
        moved.push({ sudi: sudiJson(instance), targetVirtualAccount: to.name, status: 'SUCCESS' });
      }
      return success({ productInstances: moved }, `${moved.length} product instance(s) transferred from ${c.va.name}`);
    },
  }),
  vaRoute({
    method: 'POST',
    path: '/v2/accounts/:domain/virtual-accounts/:va/devices/remove',
    summary: 'Remove product instances: their licenses are released and their ID certificates stop working',
    request: RemoveDevices,
    errors: ['404 INSTANCE_NOT_FOUND (nothing is removed)'],
    permission: 'licenses.manage',
    async run({ tx, ctx, va, body }) {
      let released = 0;
      for (const r of body.productInstacesRemoveRequests)
        released += await releaseInstance(tx, ctx, await requireInstance(tx, udiOf(r.sudi), va), 'instance.removed');
      return success(
        {},
        `${body.productInstacesRemoveRequests.length} product instance(s) removed from ${va.name}; ${released} license(s) released`,
      );
    },
  }),
];
