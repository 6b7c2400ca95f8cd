/** Request shapes the management routes share (cssm-api.md §1.3). */
import { Type } from '@sinclair/typebox';

export const VaName = Type.String({ minLength: 1, maxLength: 64 });

/** `{virtualAccounts, limit, offset}` of the licenses, devices and alerts lists; an empty list means every VA. */
export const VaPageBody = Type.Object(
  {
    virtualAccounts: Type.Optional(Type.Array(VaName, { maxItems: 100 })),
    limit: Type.Optional(
      Type.Integer({ minimum: -1, maximum: 1000, description: '-1: everything (On-Prem clients send it); default 50' }),
    ),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.String({ pattern: '^(-1|[0-9]{1,4})$' })),
  offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
});

export const DEFAULT_LIMIT = 50;

/** Cisco clients send some integers as strings (`"expiresAfterDays": "365"`, cssm-api.md §1.3.5). */
export const IntOrString = (min: number, max: number, description?: string) =>
  Type.Union(
    [Type.Integer({ minimum: min, maximum: max }), Type.String({ pattern: '^[0-9]{1,7}$' })],
    description ? { description } : {},
  );

export const Sudi = Type.Object(
  {
    udiPid: Type.String({ minLength: 1, maxLength: 64 }),
    udiSerialNumber: Type.String({ minLength: 1, maxLength: 64 }),
    udiVid: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    uuid: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    suvi: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    hostIdentifier: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    macAddress: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  },
  { additionalProperties: false },
);
