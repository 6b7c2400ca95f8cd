/** The device-facing protocol (cloud-mock/protocol): registration, authorization, ID renewal, deregistration, usage. */
import { deviceSchemas, devicePaths, headers, udiString, type Udi } from '#protocol';
import type { Tx } from '../store/index.ts';
import {
  authenticateDevice,
  authorizeInstance,
  checkProofOfPossession,
  registerInstance,
  releaseInstance,
  renewInstanceId,
  reportUsage,
  type DomainContext,
} from '../domain/index.ts';
import type { ProductInstance } from '../store/index.ts';
import { json } from './respond.ts';
import type { Route, RouteInput } from './route.ts';
import { jsonBody } from './validate.ts';

/** Runs `work` as the device that signed the request, after authenticating it in the same transaction. */
function asDevice<B extends { udi: Udi; timestamp: number }, R>(
  { req, app }: RouteInput,
  body: B,
  work: (tx: Tx, ctx: DomainContext, instance: ProductInstance) => Promise<R>,
): Promise<R> {
  return app.service.run(`device:${udiString(body.udi)}`, async (tx, ctx) => {
    const instance = await authenticateDevice(tx, ctx, {
      certificateSerial: req.headers[headers.certificateSerial],
      signature: req.headers[headers.signature],
      body: req.body,
      udi: body.udi,
      timestamp: body.timestamp,
    });
    return work(tx, ctx, instance);
  });
}

const signedErrors = ['401 signature, certificate or clock problems', '403 IDENTITY_MISMATCH'];

export const deviceRoutes: Route[] = [
  {
    method: 'POST',
    path: devicePaths.register,
    tag: 'device',
    summary: 'Register a product instance with an ID token; answers its ID certificate',
    request: deviceSchemas.register.request,
    response: deviceSchemas.register.response,
    errors: [
      '401 PROOF_OF_POSSESSION_FAILED',
      '404 TOKEN_UNKNOWN',
      '410 TOKEN_EXPIRED / TOKEN_REVOKED',
      '409 TOKEN_USES_EXHAUSTED / UDI_REGISTERED_ELSEWHERE',
    ],
    async handler({ req, app }) {
      const body = jsonBody(req, deviceSchemas.register.request);
      checkProofOfPossession(body.publicKey, req.body, req.headers[headers.signature]);
      const result = await app.service.run(`device:${udiString(body.udi)}`, (tx, ctx) =>
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
];
