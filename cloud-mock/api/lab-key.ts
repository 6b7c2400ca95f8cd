/**
 * Lab control (/lab/…) can delete every account or create a smart-account admin, so it needs the lab key:
 * `X-Lab-Key: <key>` or `Authorization: Bearer <key>`. Only `GET /lab/health` and `GET /lab/ca` answer
 * without it. Each refusal is a 401 in the catalogue envelope, naming where the key lives, and an event.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { logEvent } from '../domain/index.ts';
import type { LabRequest, LabResponse } from './http-types.ts';
import { errorResponse } from './respond.ts';
import type { AppContext, Route } from './route.ts';

export interface LabKey {
  value: string;
  /** Where a user on the cloud's machine finds it (`.lab/lab-key beside the database`), for the 401. */
  where: string;
}

export const LAB_KEY_HEADER = 'x-lab-key';

export const needsLabKey = (route: Route): boolean => route.path.startsWith('/lab/') && route.keyless !== true;

/** The key a request presents (`X-Lab-Key`, else `Authorization: Bearer`), or undefined. */
export function presentedLabKey(headers: { [name: string]: string | string[] | undefined }): string | undefined {
  const header = headers[LAB_KEY_HEADER];
  if (typeof header === 'string') return header.trim();
  const authorization = headers.authorization;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(typeof authorization === 'string' ? authorization : '');
  return bearer?.[1];
}

/** Equal-length digests, so the comparison takes the same time whatever the key sent. */
const digest = (s: string) => createHash('sha256').update(s).digest();

export const isLabKey = (sent: string, key: string): boolean => timingSafeEqual(digest(sent), digest(key));

/** undefined when the request carries the key; else the signed-to-be 401, after logging the refusal. */
export async function refuseWithoutLabKey(
  app: AppContext,
  key: LabKey,
  req: LabRequest,
  path: string,
): Promise<LabResponse | undefined> {
  const sent = presentedLabKey(req.headers);
  if (sent !== undefined && isLabKey(sent, key.value)) return undefined;
  const code = sent === undefined ? 'LAB_KEY_MISSING' : 'LAB_KEY_INVALID';
  const what = sent === undefined ? 'has no lab key' : 'carries a key that is not the lab key';
  const shown = path.slice(0, 300);
  await app.service
    .run('unauthenticated', (tx, ctx) =>
      logEvent(tx, ctx, {
        accountId: null,
        vaId: null,
        kind: 'lab.key.refused',
        message: `Refused ${req.method} ${shown}: the request ${what}`,
        data: { method: req.method, path: shown, code },
      }),
    )
    .catch((err: Error) => app.log(`[cloud] could not log a lab key refusal: ${err.message}`));
  return errorResponse(
    code,
    `${req.method} ${shown} ${what}; lab control needs the X-Lab-Key header (or Authorization: Bearer) with the key in ${key.where}`,
  );
}
