/**
 * SSM On-Prem synchronization with CSSM (issue 12: "synchronises with the cloud mock online or by file
 * exchange"): per virtual account, On-Prem sends the product instances it serves and what each uses; CSSM
 * shows them in the VA of the same name (their usage counted against its pools) and answers the licenses of
 * that VA, which On-Prem then serves. Online it goes over the swapi path with an OAuth client and the
 * X-CSW-* headers (as CSLU's uploads do); offline the same bodies travel as files (a synchronization file
 * out of On-Prem, CSSM's answer file back in). The path and shapes are the lab's: Cisco documents neither.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { MAX_EPOCH_MS, Udi } from './messages.ts';

export const SATELLITE_SYNC_PATH = '/services/api/smart-accounts-and-licensing/v2/satellites/sync';

const SatelliteName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]*$' });
const Tag = Type.String({ minLength: 1, maxLength: 255 });

export const SatelliteInstance = Type.Object(
  {
    udi: Udi,
    hostname: Type.String({ minLength: 1, maxLength: 63 }),
    entitlements: Type.Array(
      Type.Object(
        { tag: Tag, count: Type.Integer({ minimum: 0, maximum: 1_000_000 }) },
        { additionalProperties: false },
      ),
      { maxItems: 256 },
    ),
  },
  { additionalProperties: false },
);
export type SatelliteInstance = Static<typeof SatelliteInstance>;

export const SatelliteSyncRequest = Type.Object(
  {
    data: Type.Object(
      {
        timestamp: Type.Integer({ minimum: 0, maximum: MAX_EPOCH_MS }),
        nonce: Type.String({ minLength: 8, maxLength: 64 }),
        satellite: SatelliteName,
        instances: Type.Array(SatelliteInstance, { maxItems: 10_000 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type SatelliteSyncRequest = Static<typeof SatelliteSyncRequest>;

/** One license pool entry of the CSSM VA, as On-Prem serves it (epoch ms; `endAt` null for perpetual). */
export const SyncedEntry = Type.Object({
  quantity: Type.Integer({ minimum: 1 }),
  licenseType: Type.Union([Type.Literal('PERPETUAL'), Type.Literal('TERM'), Type.Literal('DEMO')]),
  startAt: Type.Integer(),
  endAt: Type.Union([Type.Integer(), Type.Null()]),
});
export type SyncedEntry = Static<typeof SyncedEntry>;

export const SatelliteSyncResponse = Type.Object({
  status: Type.Literal('SYNCED'),
  virtualAccount: Type.String(),
  syncedAt: Type.Integer(),
  pools: Type.Array(Type.Object({ tag: Type.String(), licenseName: Type.String(), entries: Type.Array(SyncedEntry) })),
  /** UDIs CSSM holds elsewhere (registered directly, or through another satellite): not taken over. */
  conflicts: Type.Array(Type.String()),
});
export type SatelliteSyncResponse = Static<typeof SatelliteSyncResponse>;

/** The synchronization file On-Prem exports when it has no connection (one request per virtual account). */
export const SatelliteSyncFile = Type.Object(
  {
    kind: Type.Literal('SSM On-Prem synchronization'),
    satellite: SatelliteName,
    virtualAccounts: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 64 }),
          instances: Type.Array(SatelliteInstance, { maxItems: 10_000 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);
export type SatelliteSyncFile = Static<typeof SatelliteSyncFile>;

/** CSSM's answer file, imported into On-Prem. */
export const SatelliteAnswerFile = Type.Object(
  { kind: Type.Literal('CSSM synchronization answer'), answers: Type.Array(SatelliteSyncResponse, { maxItems: 100 }) },
  { additionalProperties: false },
);
export type SatelliteAnswerFile = Static<typeof SatelliteAnswerFile>;

const checkers = {
  sync: TypeCompiler.Compile(SatelliteSyncFile),
  answer: TypeCompiler.Compile(SatelliteAnswerFile),
  response: TypeCompiler.Compile(SatelliteSyncResponse),
};
interface SatelliteDocuments {
  sync: SatelliteSyncFile;
  answer: SatelliteAnswerFile;
  response: SatelliteSyncResponse;
}

/** A synchronization file, answer file or online answer read whole, or the first reason it is not one. */
export function readSatelliteDocument<K extends keyof typeof checkers>(
  kind: K,
  text: string | Uint8Array | unknown,
): { ok: true; value: SatelliteDocuments[K] } | { ok: false; reason: string } {
  let value: unknown = text;
  if (typeof text === 'string' || text instanceof Uint8Array) {
    try {
      value = JSON.parse(typeof text === 'string' ? text : Buffer.from(text).toString('utf8'));
    } catch {
      return { ok: false, reason: 'not JSON' };
    }
  }
  const checker = checkers[kind];
  if (checker.Check(value)) return { ok: true, value: value as never };
  const first = [...checker.Errors(value)][0];
  return { ok: false, reason: first ? `${first.path || '/'}: ${first.message}` : 'not a synchronization document' };
}
