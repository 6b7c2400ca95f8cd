/** The OpenAPI 3.1 document, generated from the route table so it cannot drift from the routes. */
import type { TSchema } from '@sinclair/typebox';
import { errorCatalogue } from '#protocol';
import { needsLabKey } from './lab-key.ts';
import type { Route } from './route.ts';

export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

function queryParameters(schema: TSchema | undefined): object[] {
  const props = (schema as { properties?: Record<string, TSchema> } | undefined)?.properties ?? {};
  const required = (schema as { required?: string[] } | undefined)?.required ?? [];
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: 'query',
    required: required.includes(name),
    schema: s,
  }));
}

const errorSchema = (r: Route) =>
  r.envelope === 'oauth'
    ? '#/components/schemas/OAuthError'
    : r.envelope === 'classic'
      ? '#/components/schemas/CiscoError'
      : r.envelope === 'slp'
        ? '#/components/schemas/SlpError'
        : '#/components/schemas/Error';

export function buildOpenApi(routes: Route[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const p = openApiPath(r.path);
    const params = [
      ...[...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      })),
      ...queryParameters(r.query),
    ];
    const types = ['application/json', ...(r.requestTypes ?? [])];
    (paths[p] ??= {})[r.method.toLowerCase()] = {
      tags: [r.tag],
      summary: r.summary,
      ...(r.bearer ? { security: [{ bearer: [] }, { oauth2: [] }] } : {}),
      ...(needsLabKey(r) ? { security: [{ labKey: [] }, { labKeyBearer: [] }] } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(r.request
        ? { requestBody: { required: true, content: Object.fromEntries(types.map((t) => [t, { schema: r.request }])) } }
        : {}),
      responses: {
        [r.status ?? 200]: {
          description: 'OK (signed: X-Lab-Signature over the body bytes, X-Lab-Key-Id)',
          ...(r.response ? { content: { 'application/json': { schema: r.response } } } : {}),
        },
        default: {
          description: `Error from the catalogue${r.errors?.length ? `; notably ${r.errors.join(', ')}` : ''}`,
          content: { 'application/json': { schema: { $ref: errorSchema(r) } } },
        },
      },
    };
  }
  const code = { type: 'string', enum: Object.keys(errorCatalogue) };
  const catalogueError = {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code, message: { type: 'string' }, details: {} },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'License Lab mock licensing cloud',
      version,
      description:
        'Device protocol (Smart Licensing stand-in), the Smart Accounts and Licensing management API (OAuth2 bearer tokens, CSSM roles) and lab control. Errors carry a stable code from the catalogue below. Try it at /docs.',
    },
    paths,
    components: {
      securitySchemes: {
        labKey: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Lab-Key',
          description: 'the lab key: lab cloud --lab-key, LAB_KEY, or the file lab-key beside its database',
        },
        labKeyBearer: { type: 'http', scheme: 'bearer', description: 'the lab key as a bearer token' },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'access_token from a token endpoint (expires_in 3599 s, lab clock)',
        },
        oauth2: {
          type: 'oauth2',
          flows: {
            clientCredentials: { tokenUrl: '/as/token.oauth2', scopes: {} },
            password: { tokenUrl: '/as/token.oauth2', refreshUrl: '/as/token.oauth2', scopes: {} },
          },
        },
      },
      schemas: {
        Error: catalogueError,
        CiscoError: {
          ...catalogueError,
          required: ['status', 'statusMessage', 'error'],
          properties: { status: { const: 'ERROR' }, statusMessage: { type: 'string' }, ...catalogueError.properties },
        },
        SlpError: {
          ...catalogueError,
          required: ['status', 'message', 'message_code', 'error'],
          properties: {
            status: { const: 'FAILED' },
            message: { type: 'string' },
            message_code: code,
            ...catalogueError.properties,
          },
        },
        OAuthError: {
          type: 'object',
          required: ['error', 'error_description', 'code'],
          properties: {
            error: {
              type: 'string',
              enum: [
                'invalid_request',
                'invalid_client',
                'invalid_grant',
                'unsupported_grant_type',
                'temporarily_unavailable',
                'server_error',
              ],
            },
            error_description: { type: 'string' },
            code,
          },
        },
      },
    },
    'x-error-catalogue': errorCatalogue,
  };
}
