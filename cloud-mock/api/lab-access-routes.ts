/**
 * Lab control of who may use the management API: users with roles and their OAuth2 API clients (the
 * same shapes as the seed file's `users` and `apiClients`). A client secret is answered once, when the
 * client is created; passwords and secrets are stored as scrypt hashes and never listed or logged.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { createApiClient, createUser, describeGrants, type DomainContext } from '../domain/index.ts';
import { SeedApiClient, SeedUser } from '../seed/index.ts';
import type { Tx } from '../store/index.ts';
import { json } from './respond.ts';
import type { Route } from './route.ts';
import { jsonBody } from './validate.ts';

const RoleJson = Type.Object({
  account: Type.String(),
  role: Type.String(),
  virtualAccount: Type.Optional(Type.String()),
});
const UserJson = Type.Object({ username: Type.String(), hasPassword: Type.Boolean(), roles: Type.Array(RoleJson) });
const ClientJson = Type.Object({ clientId: Type.String(), name: Type.String(), user: Type.String() });

/** A lab control route: its body checked by schema before the transaction, its answer a 200. */
function labRoute<B extends TSchema>(
  r: Omit<Route, 'tag' | 'handler' | 'request'> & {
    request?: B;
    answerHeaders?: Record<string, string>;
    run(tx: Tx, ctx: DomainContext, body: Static<B>): Promise<unknown>;
  },
): Route {
  const { run, answerHeaders, ...doc } = r;
  return {
    ...doc,
    tag: 'lab',
    async handler({ req, app }) {
      const body = (doc.request ? jsonBody(req, doc.request) : undefined) as Static<B>;
      return json(200, await app.service.run('lab', (tx, ctx) => run(tx, ctx, body)), answerHeaders);
    },
  };
}

export const labAccessRoutes: Route[] = [
  labRoute({
    method: 'POST',
    path: '/lab/users',
    summary: 'Add a management API user with roles on smart and virtual accounts',
    request: SeedUser,
    response: UserJson,
    errors: ['409 USER_EXISTS', '404 ACCOUNT_NOT_FOUND / VIRTUAL_ACCOUNT_NOT_FOUND'],
    async run(tx, ctx, body) {
      const user = await createUser(tx, ctx, body);
      return {
        username: user.username,
        hasPassword: user.passwordHash !== null,
        roles: await describeGrants(tx, user),
      };
    },
  }),
  labRoute({
    method: 'GET',
    path: '/lab/users',
    summary: 'The management API users and their roles (no passwords)',
    response: Type.Object({ users: Type.Array(UserJson) }),
    async run(tx) {
      const users = (await tx.list('users')).sort((a, b) => a.username.localeCompare(b.username));
      return {
        users: await Promise.all(
          users.map(async (u) => ({
            username: u.username,
            hasPassword: u.passwordHash !== null,
            roles: await describeGrants(tx, u),
          })),
        ),
      };
    },
  }),
  labRoute({
    method: 'POST',
    path: '/lab/api-clients',
    summary: 'Register an OAuth2 API client for a user; answers its client secret (the only time it is shown)',
    request: SeedApiClient,
    response: Type.Object({
      clientId: Type.String(),
      clientSecret: Type.String(),
      name: Type.String(),
      user: Type.String(),
    }),
    errors: ['409 API_CLIENT_EXISTS', '404 USER_NOT_FOUND'],
    answerHeaders: { 'cache-control': 'no-store' },
    async run(tx, ctx, body) {
      const { client, clientSecret } = await createApiClient(tx, ctx, body);
      return { clientId: client.id, clientSecret, name: client.name, user: body.user.trim() };
    },
  }),
  labRoute({
    method: 'GET',
    path: '/lab/api-clients',
    summary: 'The registered API clients and their owners (no secrets)',
    response: Type.Object({ apiClients: Type.Array(ClientJson) }),
    async run(tx) {
      const users = new Map((await tx.list('users')).map((u) => [u.id, u.username]));
      return {
        apiClients: (await tx.list('apiClients')).map((c) => ({
          clientId: c.id,
          name: c.name,
          user: users.get(c.userId) ?? '',
        })),
      };
    },
  }),
];
