/**
 * The SLP routes of the Smart Accounts and Licensing API for CSLU and tools (cssm-api.md §1.3.11): an OAuth
 * bearer as every management route, the smart and virtual account in X-CSW-SMART-ACCOUNT-ID /
 * X-CSW-VIRTUAL-ACCOUNT-ID (Cisco's numeric ids, or the domain and VA name), the caller in
 * X-CSW-REQUESTING-SYSTEM (a JSON object). The roles are checked before the body is read, as on the other
 * management routes; errors are swapi's `status: "FAILED"`.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { parseSlpJson } from '#protocol';
import { fail, type Permission } from '../domain/index.ts';
import type { SmartAccount, VirtualAccount } from '../store/index.ts';
import { numericId } from './cisco-format.ts';
import type { LabResponse } from './http-types.ts';
import { accountFor, asCaller, vaFor, type Scope } from './management-access.ts';
import type { Route, RouteInput } from './route.ts';
import { jsonBody } from './validate.ts';

export const CSW_HEADERS = {
  account: 'x-csw-smart-account-id',
  virtualAccount: 'x-csw-virtual-account-id',
  requestingSystem: 'x-csw-requesting-system',
} as const;

export interface SlpApiCall<B> extends Scope {
  input: RouteInput;
  account: SmartAccount;
  va: VirtualAccount;
  body: B;
}

function header(input: RouteInput, name: string, what: string): string {
  const value = input.req.headers[name]?.trim();
  if (!value) fail('SCHEMA_VIOLATION', `header ${name.toUpperCase()} is required: ${what}`);
  return value;
}

function checkRequestingSystem(input: RouteInput): void {
  const text = header(input, CSW_HEADERS.requestingSystem, 'a JSON object naming the caller ({"display_name":"CSLU"})');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(
      'INVALID_VALUE',
      `header X-CSW-REQUESTING-SYSTEM must be a JSON object, got ${JSON.stringify(text.slice(0, 64))}`,
    );
}

/** A numeric id names the account among those the caller holds a role on; anything else is its domain. */
async function accountDomain(s: Scope, named: string): Promise<string> {
  if (!/^[0-9]{1,12}$/.test(named)) return named;
  for (const accountId of new Set(s.caller.user.roles.map((g) => g.accountId))) {
    const account = await s.tx.get('smartAccounts', accountId);
    if (account && String(numericId(account.id)) === named) return account.domain;
  }
  return named;
}

async function vaName(s: Scope, account: SmartAccount, named: string): Promise<string> {
  if (!/^[0-9]{1,12}$/.test(named)) return named;
  const vas = await s.tx.list('virtualAccounts', { account_id: account.id });
  return vas.find((v) => String(numericId(v.id)) === named)?.name ?? named;
}

/** An SLP API route: path under the SLA base (already whole in slpApiPaths), POST, answers what `run` makes. */
export function slpApiRoute<B extends TSchema>(
  r: Omit<Route, 'method' | 'tag' | 'bearer' | 'envelope' | 'handler' | 'request'> & {
    request: B;
    permission: Permission;
    run(c: SlpApiCall<Static<B>>): Promise<LabResponse>;
  },
): Route {
  const { run, permission, ...doc } = r;
  return {
    ...doc,
    method: 'POST',
    tag: 'slp',
    bearer: true,
    envelope: 'slp',
    handler: (input) =>
      asCaller(input, async (s) => {
        const domain = await accountDomain(
          s,
          header(input, CSW_HEADERS.account, "the smart account's numeric id or domain"),
        );
        const account = await accountFor(s, domain, permission, true);
        const named = header(input, CSW_HEADERS.virtualAccount, "the virtual account's numeric id or name");
        const va = await vaFor(s, account, await vaName(s, account, named), permission);
        checkRequestingSystem(input);
        return run({ ...s, input, account, va, body: jsonBody(input.req, r.request, parseSlpJson) });
      }),
  };
}
