/**
 * The device-facing protocol (cloud-mock/protocol): registration, authorization, ID renewal, deregistration,
 * usage and device-led conversion.
 */
import { deviceSchemas, devicePaths, headers, udiString } from '#protocol';
import type { Tx } from '../store/index.ts';
import {
  authenticateDevice,
  authorizeInstance,
  checkProofOfPossession,
  claimFreshness,
  convertInstanceLicenses,
  registerInstance,
  releaseInstance,
  renewInstanceId,
  reportUsage,
  type DomainContext,
  type Freshness,
} from '../domain/index.ts';
import type { ProductInstance } from '../store/index.ts';
import { json } from './respond.ts';
import type { Route, RouteInput } from './route.ts';
import { jsonBody } from './validate.ts';

/**
 * Runs `work` for one signed device request, at most once: `authenticate` first (only the signer may use up
 * a nonce; registration proves possession of its key before), then the freshness claim in the same
 * transaction. A request refused after that (a revoked token, a removed instance) still counts as received,
 * so replaying it later cannot succeed either.
 */
export async function once<R, A>(
  { app }: RouteInput,
  body: Freshness,
  authenticate: (tx: Tx, ctx: DomainContext) => Promise<A>,
  work: (tx: Tx, ctx: DomainContext, authenticated: A) => Promise<R>,
): Promise<R> {
  const actor = `device:${udiString(body.udi)}`;
  let fresh = false;
  try {
    return await app.service.run(actor, async (tx, ctx) => {
      const authenticated = await authenticate(tx, ctx);
      await claimFreshness(tx, ctx, body);
      fresh = true;
      return work(tx, ctx, authenticated);
    });
  } catch (err) {
    if (fresh) await app.service.run(actor, (tx, ctx) => claimFreshness(tx, ctx, body)).catch(() => undefined);
    throw err;
  }
}

/** Runs `work` as the device that signed the request (its ID certificate named, its signature checked). */
function asDevice<R>(
  input: RouteInput,
  body: Freshness,
  work: (tx: Tx, ctx: DomainContext, instance: ProductInstance) => Promise<R>,
): Promise<R> {
  const { req } = input;
  return once(
    input,
    body,
    (tx, ctx) =>
      authenticateDevice(tx, ctx, {
        certificateSerial: req.headers[headers.certificateSerial],
        signature: req.headers[headers.signature],
        body: req.body,
        udi: body.udi,
      }),
    work,
  );
}

const signedErrors = ['401 signature, certificate or clock problems', '403 IDENTITY_MISMATCH', '409 REQUEST_REPLAYED'];

export const deviceRoutes: Route[] = [
  {
    method: 'POST',
    path: devicePaths.register,
    tag: 'device',
    summary: 'Register a product instance with an ID token; answers its ID certificate',
    request: deviceSchemas.register.request,
    response: deviceSchemas.register.response,
    errors: [
      '401 PROOF_OF_POSSESSION_FAILED / CLOCK_SKEW',
      '409 REQUEST_REPLAYED',
      '404 TOKEN_UNKNOWN',
      '410 TOKEN_EXPIRED / TOKEN_REVOKED',
      '409 TOKEN_USES_EXHAUSTED / UDI_REGISTERED_ELSEWHERE',
    ],
    async handler(input) {
      const { req } = input;
      const body = jsonBody(req, deviceSchemas.register.request);
      // Outside the transaction: a verify is CPU work that should not hold the store.
      checkProofOfPossession(body.publicKey, req.body, req.headers[headers.signature]);
      const result = await once(
        input,
        body,
        async () => undefined,
        (tx, ctx) =>
          registerInstance(tx, ctx, {
            idToken: body.idToken,
            udi: body.udi,
            hostname: body.hostname,
            publicKey: body.publicKey,
            force: body.force ?? false,
            ...(body.softwareVersion !== undefined ? { softwareVersion: body.softwareVersion } : {}),
          }),
      );
      return json(200, result);
    },
  },
  {
    method: 'POST',
    path: devicePaths.authorize,
    tag: 'device',
    summary: 'Request authorization of the entitlements in use; answers per-tag status, validity and next renewal',
    request: deviceSchemas.authorize.request,
    response: deviceSchemas.authorize.response,
    errors: signedErrors,
    async handler(input) {
      const body = jsonBody(input.req, deviceSchemas.authorize.request);
      return json(200, await asDevice(input, body, (tx, ctx, pi) => authorizeInstance(tx, ctx, pi, body.entitlements)));
    },
  },
  {
    method: 'POST',
    path: devicePaths.renewId,
    tag: 'device',
    summary: 'Renew the ID certificate (automatic every 180 days, or `license smart renew id`)',
    request: deviceSchemas.renewId.request,
    response: deviceSchemas.renewId.response,
    errors: signedErrors,
    async handler(input) {
      const body = jsonBody(input.req, deviceSchemas.renewId.request);
      return json(200, await asDevice(input, body, (tx, ctx, pi) => renewInstanceId(tx, ctx, pi)));
    },
  },
  {
    method: 'POST',
    path: devicePaths.deregister,
    tag: 'device',
    summary: 'Deregister (`license smart deregister`): the product instance is removed and its licenses released',
    request: deviceSchemas.deregister.request,
    response: deviceSchemas.deregister.response,
    errors: signedErrors,
    async handler(input) {
      const body = jsonBody(input.req, deviceSchemas.deregister.request);
      const released = await asDevice(input, body, (tx, ctx, pi) =>
        releaseInstance(tx, ctx, pi, 'instance.deregistered'),
      );
      return json(200, { status: 'DEREGISTERED', releasedEntitlements: released });
    },
  },
  {
    method: 'POST',
    path: devicePaths.reportUsage,
    tag: 'device',
    summary: 'Report the entitlements in use without asking for authorization',
    request: deviceSchemas.reportUsage.request,
    response: deviceSchemas.reportUsage.response,
    errors: signedErrors,
    async handler(input) {
      const body = jsonBody(input.req, deviceSchemas.reportUsage.request);
      await asDevice(input, body, (tx, ctx, pi) => reportUsage(tx, ctx, pi, body.entitlements));
      return json(200, { status: 'ACK', acknowledgedAt: new Date(input.app.clock.now()).toISOString() });
    },
  },
  {
    method: 'POST',
    path: devicePaths.convert,
    tag: 'device',
    summary:
      'Device-led conversion (`license smart conversion start`): the traditional licenses the device holds go into its VA, once per UDI',
    request: deviceSchemas.convert.request,
    response: deviceSchemas.convert.response,
    errors: [...signedErrors, '404 LICENSE_NOT_FOUND', '409 ALREADY_CONVERTED', '400 ENTITLEMENT_UNKNOWN'],
    async handler(input) {
      const body = jsonBody(input.req, deviceSchemas.convert.request);
      return json(
        200,
        await asDevice(input, body, (tx, ctx, pi) => convertInstanceLicenses(tx, ctx, pi, body.licenses)),
      );
    },
  },
];
