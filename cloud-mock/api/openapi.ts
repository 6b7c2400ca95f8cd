/** The OpenAPI 3.1 document, generated from the route table so it cannot drift from the routes. */
import { errorCatalogue } from '#protocol';
import type { Route } from './route.ts';

export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

export function buildOpenApi(routes: Route[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const p = openApiPath(r.path);
    const params = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    (paths[p] ??= {})[r.method.toLowerCase()] = {
      tags: [r.tag],
      summary: r.summary,
      ...(params.length ? { parameters: params } : {}),
      ...(r.request ? { requestBody: { required: true, content: { 'application/json': { schema: r.request } } } } : {}),
      responses: {
        200: { description: 'OK (signed: X-Lab-Signature over the body bytes, X-Lab-Key-Id)', ...(r.response ? { content: { 'application/json': { schema: r.response } } } : {}) },
        default: { description: `Error from the catalogue${r.errors?.length ? `; notably ${r.errors.join(', ')}` : ''}`, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'License Lab mock licensing cloud', version, description: 'Device protocol (Smart Licensing stand-in) and lab control. Errors carry a stable code from the catalogue below.' },
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string', enum: Object.keys(errorCatalogue) }, message: { type: 'string' }, details: {} },
            },
          },
        },
      },
    },
    'x-error-catalogue': errorCatalogue,
  };
}
