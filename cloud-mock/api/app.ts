/**
 * The cloud as a function from request to response: routing, lab faults, error catalogue and the
 * response signature. server.ts puts it on node:http(s); the in-process transport calls it directly.
 */
import { Type } from '@sinclair/typebox';
import { headers as h } from '#protocol';
import { callHomeRoutes } from './call-home-routes.ts';
import { deviceRoutes } from './device-routes.ts';
import { docsRoute } from './docs-page.ts';
import { FaultInjector } from './faults.ts';
import { DROP, type LabRequest, type LabResponse, type LabResult } from './http-types.ts';
import { labAccessRoutes } from './lab-access-routes.ts';
import { labPortalRoutes } from './lab-portal-routes.ts';
import { needsLabKey, refuseWithoutLabKey } from './lab-key.ts';
import { labRoutes } from './lab-routes.ts';
import { managementAccountRoutes } from './management-account-routes.ts';
import { managementDeviceRoutes } from './management-device-routes.ts';
import { managementEventRoutes } from './management-event-routes.ts';
import { managementLicenseRoutes } from './management-license-routes.ts';
import { managementReservationRoutes } from './management-reservation-routes.ts';
import { managementSlpPolicyRoutes } from './management-slp-policy-routes.ts';
import { managementTokenRoutes } from './management-token-routes.ts';
import { oauthRoutes } from './oauth-routes.ts';
import { portalLicenseRoutes } from './portal-license-routes.ts';
import { portalPakRoutes } from './portal-pak-routes.ts';
import { buildOpenApi } from './openapi.ts';
import { defaultRateLimit, RateLimiter, type RateLimit } from './rate-limiter.ts';
import { errorResponse, fromError, json } from './respond.ts';
import type { AppContext, Route } from './route.ts';
import { normalisePath, Router } from './router.ts';
import { slpApiRoutes } from './slp-api-routes.ts';
import { slpDeviceRoutes } from './slp-device-routes.ts';
import { refuseBody } from './validate.ts';

export const CLOUD_VERSION = '0.1.0';

export interface CloudApp {
  readonly routes: readonly Route[];
  readonly context: AppContext;
  handle(req: LabRequest): Promise<LabResult>;
  /** Adds the cloud's signature headers (for answers made outside handle(), like the transport's 413). */
  sign(res: LabResponse): LabResponse;
}

export interface CloudAppOptions extends Omit<AppContext, 'faults' | 'rateLimiter'> {
  faults?: FaultInjector;
  /** Per API client (management API and token endpoints); null: unlimited. Default 10/s, burst 100. */
  rateLimit?: RateLimit | null;
}

export function createCloudApp(options: CloudAppOptions): CloudApp {
  const { rateLimit, ...context } = options;
  const app: AppContext = {
    ...context,
    faults: options.faults ?? new FaultInjector(),
    rateLimiter: new RateLimiter(options.clock, rateLimit === undefined ? defaultRateLimit : rateLimit),
  };
  const routes: Route[] = [
    ...deviceRoutes,
    ...slpDeviceRoutes,
    ...callHomeRoutes,
    ...oauthRoutes,
    ...managementAccountRoutes,
    ...managementTokenRoutes,
    ...managementLicenseRoutes,
    ...managementDeviceRoutes,
    ...managementEventRoutes,
    ...managementSlpPolicyRoutes,
    ...managementReservationRoutes,
    ...slpApiRoutes,
    ...portalPakRoutes,
    ...portalLicenseRoutes,
    ...labRoutes,
    ...labAccessRoutes,
    ...labPortalRoutes,
    docsRoute,
  ];
  const openapi = buildOpenApi([...routes, openApiRoute()], CLOUD_VERSION);
  function openApiRoute(): Route {
    return {
      method: 'GET',
      path: '/openapi.json',
      tag: 'lab',
      summary: 'This OpenAPI 3.1 document',
      response: Type.Object({ openapi: Type.String() }),
      handler: async () => json(200, openapi),
    };
  }
  routes.push(openApiRoute());
  const router = new Router(routes);

  function sign(res: LabResponse): LabResponse {
    res.headers[h.signature] = app.service.ca.sign(res.body);
    res.headers[h.keyId] = app.service.ca.keyId;
    return res;
  }

  async function route(req: LabRequest, path: string): Promise<LabResponse> {
    const m = router.match(req.method, path);
    if ('error' in m) {
      return m.error === 'METHOD_NOT_ALLOWED'
        ? errorResponse(
            'METHOD_NOT_ALLOWED',
            `${req.method} is not allowed on ${path}; allowed: ${m.allowed!.join(', ')}`,
          )
        : errorResponse('ROUTE_NOT_FOUND', `no route ${path} (the OpenAPI document at /openapi.json lists them)`);
    }
    try {
      if (app.labKey && needsLabKey(m.route)) {
        const refusal = await refuseWithoutLabKey(app, app.labKey, req, path);
        if (refusal) return refusal;
      }
      if (!m.route.request) refuseBody(req);
      return await m.route.handler({ req, params: m.params, app });
    } catch (err) {
      return fromError(err, app.log, m.route.envelope);
    }
  }

  return {
    routes,
    context: app,
    sign,
    async handle(req) {
      const path = normalisePath(req.path);
      const fault = app.faults.match(req.method, path);
      if (fault) {
        if (fault.delayMs > 0) await new Promise<void>((resolve) => app.clock.setTimeout(resolve, fault.delayMs));
        if (fault.then === 'drop') return DROP;
        if (fault.then === 'status') {
          return sign(
            errorResponse(
              'FAULT_INJECTED',
              `lab fault rule ${fault.rule.id} (${fault.rule.path}) answered ${fault.status}`,
              undefined,
              fault.status,
            ),
          );
        }
      }
      return sign(await route(req, path));
    },
  };
}
