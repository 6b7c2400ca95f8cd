/**
 * The OAuth2 token endpoint's logic (RFC 6749 §4.3 password, §4.4 client credentials, §6 refresh) and
 * bearer-token authentication of management requests. Client authentication is always required.
 * The slow secret checks (scrypt) run outside any store transaction, so they never hold the store's
 * writer lock that device requests wait on.
 */
import type { AccessToken, ApiClient, Tx, User } from '../store/index.ts';
import type { CloudService } from './cloud-service.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import type { Caller } from './roles.ts';
import { dummySecretHash, newTokenValue, tokenDigest, verifySecret } from './secrets.ts';

export const grantTypes = ['client_credentials', 'password', 'refresh_token'] as const;

export interface TokenRequest {
  grant_type?: string;
  client_id?: string;
  client_secret?: string;
  username?: string;
  password?: string;
  refresh_token?: string;
}

/** RFC 6749 §5.1 (cloudsso.cisco.com answers the same three fields, cssm-api.md §1.2). */
export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
}

interface Loaded {
  client: ApiClient | undefined;
  user: User | undefined;
  refresh: AccessToken | undefined;
}

function invalidClient(id: string): never {
  fail(
    'OAUTH_INVALID_CLIENT',
    `client_id ${JSON.stringify(id.slice(0, 128))} is unknown or client_secret does not match it`,
  );
}

export async function grantToken(service: CloudService, r: TokenRequest): Promise<TokenAnswer> {
  const grant = r.grant_type;
  if (!grant || !(grantTypes as readonly string[]).includes(grant)) {
    fail(
      'OAUTH_UNSUPPORTED_GRANT_TYPE',
      `grant_type ${JSON.stringify(grant ?? '')} is not supported; use one of ${grantTypes.join(', ')}`,
    );
  }
  if (!r.client_id || r.client_secret === undefined)
    fail(
      'OAUTH_INVALID_CLIENT',
      'client_id and client_secret are required (form fields, query parameters, JSON members or HTTP Basic)',
    );
  if (grant === 'password' && (!r.username || r.password === undefined))
    fail('INVALID_VALUE', 'the password grant needs username and password');
  if (grant === 'refresh_token' && !r.refresh_token)
    fail('INVALID_VALUE', 'the refresh_token grant needs refresh_token');

  const loaded = await service.run('oauth', async (tx): Promise<Loaded> => {
    const client = await tx.get('apiClients', r.client_id!);
    const refresh = grant === 'refresh_token' ? await tx.get('accessTokens', tokenDigest(r.refresh_token!)) : undefined;
    const userId = grant === 'password' ? undefined : grant === 'refresh_token' ? refresh?.userId : client?.userId;
    const user =
      grant === 'password'
        ? await tx.findOne('users', { username: r.username!.trim() })
        : userId
          ? await tx.get('users', userId)
          : undefined;
    return { client, user, refresh };
  });
  const secretOk = await verifySecret(
    r.client_secret,
    loaded.client?.secretHash ?? dummySecretHash(service.policy.secretHashCost),
  );
  if (!loaded.client || !secretOk) invalidClient(r.client_id);
  const now = service.clock.now();
  if (
    grant === 'password' &&
    !(loaded.user?.passwordHash && (await verifySecret(r.password!, loaded.user.passwordHash)))
  ) {
    fail(
      'OAUTH_INVALID_GRANT',
      `username ${JSON.stringify(r.username!.slice(0, 128))} is unknown or the password does not match`,
    );
  }
  if (grant === 'refresh_token') {
    const t = loaded.refresh;
    if (!t || t.kind !== 'refresh' || t.clientId !== loaded.client.id || now >= t.expiresAt)
      fail('OAUTH_INVALID_GRANT', 'the refresh token is unknown, expired or was issued to another client');
  }
  if (!loaded.user) fail('OAUTH_INVALID_GRANT', `the user of client ${loaded.client.id} no longer exists`);
  const origin = grant === 'refresh_token' ? loaded.refresh!.grant : grant;
  return service.run('oauth', (tx, ctx) =>
    issue(tx, ctx, loaded.client!, loaded.user!, origin as AccessToken['grant'], grant === 'password'),
  );
}

async function issue(
  tx: Tx,
  ctx: DomainContext,
  client: ApiClient,
  user: User,
  grant: AccessToken['grant'],
  withRefresh: boolean,
): Promise<TokenAnswer> {
  const now = ctx.clock.now();
  // Expired tokens of this client go when it asks for a new one, so the table holds live tokens only.
  for (const old of await tx.list('accessTokens', { client_id: client.id }))
    if (now >= old.expiresAt) await tx.remove('accessTokens', old.id);
  const put = async (kind: AccessToken['kind'], seconds: number): Promise<string> => {
    const value = newTokenValue();
    await tx.put('accessTokens', {
      id: tokenDigest(value),
      kind,
      clientId: client.id,
      userId: user.id,
      grant,
      issuedAt: now,
      expiresAt: now + seconds * 1000,
    });
    return value;
  };
  const answer: TokenAnswer = {
    access_token: await put('access', ctx.policy.accessTokenSeconds),
    token_type: 'Bearer',
    expires_in: ctx.policy.accessTokenSeconds,
  };
  if (withRefresh) answer.refresh_token = await put('refresh', ctx.policy.refreshTokenSeconds);
  return answer;
}

/** The caller named by an `Authorization: Bearer <token>` header (a bare token is accepted too). */
export async function authenticateBearer(
  tx: Tx,
  ctx: DomainContext,
  authorization: string | undefined,
): Promise<Caller> {
  const value = authorization?.trim().replace(/^bearer\s+/i, '');
  if (!value)
    fail(
      'ACCESS_TOKEN_MISSING',
      'send Authorization: Bearer <access_token>; get one from POST /as/token.oauth2 (grant_type=client_credentials)',
    );
  const token = await tx.get('accessTokens', tokenDigest(value));
  if (!token || token.kind !== 'access')
    fail(
      'ACCESS_TOKEN_INVALID',
      'the bearer token is not known to the cloud (never issued, a refresh token, or the lab was reset); get a new one',
    );
  const now = ctx.clock.now();
  if (now >= token.expiresAt)
    fail(
      'ACCESS_TOKEN_INVALID',
      `the bearer token expired at ${new Date(token.expiresAt).toISOString()} (lab clock); get a new one`,
    );
  const user = await tx.get('users', token.userId);
  if (!user) fail('ACCESS_TOKEN_INVALID', 'the user this bearer token was issued for no longer exists');
  return { user, clientId: token.clientId, actor: `user:${user.username}` };
}
