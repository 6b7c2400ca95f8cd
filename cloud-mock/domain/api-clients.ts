/**
 * OAuth2 API clients ("apps" a user registers on Cisco's API console). A client's tokens act with the
 * roles of the user who owns it; its secret is shown once, when it is created, and stored as a hash.
 */
import { randomBytes } from 'node:crypto';
import type { ApiClient, Tx } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { hashSecret } from './secrets.ts';
import { requireUser } from './users.ts';

const CLIENT_ID_RE = /^[A-Za-z0-9._-]{4,128}$/;

export interface NewApiClient {
  /** The owner's username. */
  user: string;
  clientId?: string;
  clientSecret?: string;
  name?: string;
}

/** The client as created, with its secret in clear (the only time it exists outside the caller). */
export async function createApiClient(
  tx: Tx,
  ctx: DomainContext,
  input: NewApiClient,
): Promise<{ client: ApiClient; clientSecret: string }> {
  const owner = await requireUser(tx, input.user);
  const id = input.clientId ?? `lab-${randomBytes(12).toString('hex')}`;
  if (!CLIENT_ID_RE.test(id))
    fail('INVALID_VALUE', `clientId ${JSON.stringify(id.slice(0, 40))} must be 4–128 characters of A-Z a-z 0-9 . _ -`);
  if (await tx.get('apiClients', id)) fail('API_CLIENT_EXISTS', `an API client with client id ${id} exists`);
  const clientSecret = input.clientSecret ?? randomBytes(24).toString('base64url');
  if (clientSecret.length < 8 || clientSecret.length > 256)
    fail('INVALID_VALUE', `the client secret of ${id} must be 8–256 characters`);
  const name = input.name ?? id;
  if (name.length > 128) fail('INVALID_VALUE', `API client name is ${name.length} characters; at most 128`);
  const client: ApiClient = {
    id,
    name,
    secretHash: await hashSecret(clientSecret, ctx.policy.secretHashCost),
    userId: owner.id,
    createdAt: ctx.clock.now(),
  };
  await tx.put('apiClients', client);
  return { client, clientSecret };
}
