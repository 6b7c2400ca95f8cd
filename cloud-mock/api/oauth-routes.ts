/**
 * OAuth2 token endpoints in every form the public clients use (cssm-api.md §1.2, §3): Cisco SSO's
 * `/as/token.oauth2`, the newer `/oauth2/default/v1/token`, and On-Prem's `/oauth/token` and
 * `/backend/oauth/token`. Each accepts a form body, a JSON body, query parameters (some IOS-XR scripts
 * post the fields as a query string) and HTTP Basic client authentication (RFC 6749 §2.3.1).
 */
import { Type, type Static } from '@sinclair/typebox';
import { fail, grantToken } from '../domain/index.ts';
import type { LabRequest } from './http-types.ts';
import { json } from './respond.ts';
import type { Route } from './route.ts';
import { parseJson, validate } from './validate.ts';

const Field = Type.String({ maxLength: 4096 });

export const TokenParams = Type.Object(
  {
    grant_type: Type.String({ maxLength: 64, description: 'client_credentials, password or refresh_token' }),
    client_id: Type.Optional(Field),
    client_secret: Type.Optional(Field),
    username: Type.Optional(Field),
    password: Type.Optional(Field),
    refresh_token: Type.Optional(Field),
    scope: Type.Optional(Field),
  },
  // RFC 6749 §3.1: unrecognised parameters are ignored.
  { additionalProperties: true },
);
type TokenParams = Static<typeof TokenParams>;

const TokenAnswer = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: '3599 s, by the lab clock' }),
  refresh_token: Type.Optional(Type.String({ description: 'password grant only' })),
});

const FORM = 'application/x-www-form-urlencoded';

function basicCredentials(header: string | undefined): { client_id: string; client_secret: string } | undefined {
  const m = /^basic\s+(\S+)$/i.exec(header?.trim() ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0)
    fail('OAUTH_INVALID_CLIENT', 'the Basic Authorization header is not base64 of client_id:client_secret');
  // RFC 6749 §2.3.1: both halves are form-urlencoded before base64.
  const unescape = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { client_id: unescape(decoded.slice(0, colon)), client_secret: unescape(decoded.slice(colon + 1)) };
}

/**
 * The token request's fields from the query, the body (form or JSON) and the Basic header, in that order of precedence
 * (last wins).
 */
export function tokenParams(req: LabRequest): TokenParams {
  let body: object = {};
  if (req.body.length > 0) {
    const type = (req.headers['content-type'] ?? FORM).split(';')[0]!.trim().toLowerCase();
    if (type === FORM) body = Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
    else if (type === 'application/json' || type.endsWith('+json')) {
      const parsed = parseJson(req.body.toString('utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        fail('SCHEMA_VIOLATION', 'the JSON body must be an object of the token request fields', [
          { path: 'body', message: 'Expected object' },
        ]);
      body = parsed;
    } else
      fail('UNSUPPORTED_MEDIA_TYPE', `content-type "${type}" is not accepted here; send ${FORM} or application/json`);
  }
  // Spread, not Object.assign: a "__proto__" member stays a plain field.
  const fields = { ...Object.fromEntries(req.query), ...body, ...basicCredentials(req.headers.authorization) };
  const p = validate(TokenParams, fields);
  const pick = (k: keyof TokenParams) => (p[k] === undefined ? {} : { [k]: p[k] });
  return {
    grant_type: p.grant_type,
    ...pick('client_id'),
    ...pick('client_secret'),
    ...pick('username'),
    ...pick('password'),
    ...pick('refresh_token'),
  };
}

const paths = [
  { path: '/as/token.oauth2', summary: 'OAuth2 token (Cisco SSO cloudsso.cisco.com path)' },
  { path: '/oauth2/default/v1/token', summary: 'OAuth2 token (id.cisco.com path of apps on the newer API portal)' },
  { path: '/oauth/token', summary: 'OAuth2 token (SSM On-Prem path; JSON body)' },
  { path: '/backend/oauth/token', summary: 'OAuth2 token (SSM On-Prem backend path; JSON body)' },
];

export const oauthRoutes: Route[] = paths.map(({ path, summary }) => ({
  method: 'POST',
  path,
  tag: 'oauth',
  summary: `${summary}: client_credentials, password or refresh_token; expires_in 3599`,
  request: TokenParams,
  requestTypes: [FORM],
  response: TokenAnswer,
  envelope: 'oauth',
  errors: ['401 OAUTH_INVALID_CLIENT', '400 OAUTH_INVALID_GRANT / OAUTH_UNSUPPORTED_GRANT_TYPE', '429 RATE_LIMITED'],
  async handler({ req, app }) {
    const params = tokenParams(req);
    if (params.client_id) app.rateLimiter.take(params.client_id);
    return json(200, await grantToken(app.service, params), { 'cache-control': 'no-store', pragma: 'no-cache' });
  },
}));
