/**
 * The portal as a device's `license call-home` reaches it: the request carries the Cisco.com login the
 * device prompted for, which must be a lab user with a password (verifyCallHomeLogin, then the work). What
 * that user may do is what the management API lets them do: licenses.manage on the whole smart account
 * (PAKs belong to the smart account, not to a virtual account). A PAK or a device of another account is
 * not found, as if absent.
 */
import { udiString, type CallHomeInstallRequest, type Udi } from '#protocol';
import type { SmartAccount, Tx } from '../store/index.ts';
import type { CloudService } from './cloud-service.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { fulfilPak, remaining, type SkuPick } from './paks.ts';
import { activeLicensesOf, licenseFile, resendLicenses, type IssuedFile } from './portal-licenses.ts';
import { rehostOnline, type OnlineRehost } from './rehost.ts';
import { can } from './roles.ts';
import { dummySecretHash, verifySecret } from './secrets.ts';
import { appliesTo, requireTraditionalSku, traditionalSkus } from './traditional-skus.ts';

export interface CallHomeLogin {
  username: string;
  password: string;
}

/**
 * The user id of the Cisco.com login, or CALL_HOME_LOGIN_FAILED. The scrypt check runs outside any store
 * transaction (as the password grant's does), so a login never holds the serialised store for its ~50 ms.
 */
export async function verifyCallHomeLogin(service: CloudService, login: CallHomeLogin): Promise<string> {
  const username = login.username.trim();
  const user = await service.run('call-home', (tx) => tx.findOne('users', { username }));
  const ok = await verifySecret(login.password, user?.passwordHash ?? dummySecretHash(service.policy.secretHashCost));
  if (!user?.passwordHash || !ok)
    fail('CALL_HOME_LOGIN_FAILED', `the Cisco.com login ${JSON.stringify(username.slice(0, 64))} was refused`);
  return user.id;
}

export interface CallHomeUser {
  username: string;
  /** The smart accounts the user may manage licenses of, now. */
  accounts: SmartAccount[];
}

/** The verified user's accounts, read in the work's own transaction (roles may have changed since the login). */
export async function callHomeUser(tx: Tx, ctx: DomainContext, userId: string): Promise<CallHomeUser> {
  const user = await tx.get('users', userId);
  if (!user) fail('CALL_HOME_LOGIN_FAILED', 'the Cisco.com login was removed');
  ctx.actor = `user:${user.username}`;
  const caller = { user, clientId: 'call-home', actor: ctx.actor };
  const accounts: SmartAccount[] = [];
  for (const id of new Set(user.roles.map((g) => g.accountId))) {
    const account = await tx.get('smartAccounts', id);
    if (account && can(caller, 'licenses.manage', account)) accounts.push(account);
  }
  return { username: user.username, accounts };
}

/** `license call-home install pak`: the SKUs named, or one unit of each SKU that fits the device and has units left. */
export async function callHomeInstall(
  tx: Tx,
  ctx: DomainContext,
  userId: string,
  r: Omit<CallHomeInstallRequest, 'login'>,
): Promise<IssuedFile> {
  const { username, accounts } = await callHomeUser(tx, ctx, userId);
  const pak = await tx.get('paks', r.pak.toUpperCase());
  const account = accounts.find((a) => a.id === pak?.accountId);
  if (!pak || !account)
    fail('PAK_NOT_FOUND', `no smart account of ${username} has PAK ${JSON.stringify(r.pak.toUpperCase())}`);
  const picks: SkuPick[] =
    r.skus ??
    pak.items
      .filter((i) => remaining(i) > 0 && appliesTo(requireTraditionalSku(i.sku), r.udi.pid))
      .map((i) => ({ sku: i.sku }));
  if (picks.length === 0) {
    const fits = traditionalSkus.some((s) => pak.items.some((i) => i.sku === s.sku) && appliesTo(s, r.udi.pid));
    fail(
      fits ? 'PAK_EXHAUSTED' : 'SKU_NOT_FOR_PLATFORM',
      fits ? `PAK ${pak.id} has no units left for a ${r.udi.pid}` : `PAK ${pak.id} holds no SKU for a ${r.udi.pid}`,
    );
  }
  return fulfilPak(tx, ctx, account, pak.id, r.udi, picks);
}

/** `license call-home resend`: every active license of the UDI in the login's accounts, as issued. */
export async function callHomeResend(tx: Tx, ctx: DomainContext, userId: string, udi: Udi): Promise<IssuedFile> {
  const { username, accounts } = await callHomeUser(tx, ctx, userId);
  const files: IssuedFile[] = [];
  for (const account of accounts)
    if ((await activeLicensesOf(tx, account, udi)).length > 0) files.push(await resendLicenses(tx, ctx, account, udi));
  if (files.length === 0)
    fail('LICENSE_NOT_FOUND', `no smart account of ${username} holds an active license for ${udiString(udi)}`);
  return files.length === 1
    ? files[0]!
    : licenseFile(
        ctx,
        udi,
        files.flatMap((f) => f.licenses),
        'Resent licenses',
      );
}

/** `license call-home revoke udi <target> <url>`: from the first of the login's accounts holding the UDI's licenses. */
export async function callHomeRevoke(
  tx: Tx,
  ctx: DomainContext,
  userId: string,
  r: { udi: Udi; targetUdi: Udi; features?: string[] },
): Promise<OnlineRehost> {
  const { username, accounts } = await callHomeUser(tx, ctx, userId);
  for (const account of accounts)
    if ((await activeLicensesOf(tx, account, r.udi)).length > 0)
      return rehostOnline(tx, ctx, account, r.udi, r.targetUdi, r.features);
  return fail('LICENSE_NOT_FOUND', `no smart account of ${username} holds an active license for ${udiString(r.udi)}`);
}
