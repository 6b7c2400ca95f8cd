/**
 * Fixtures of the domain suites (they run on both stores): a CloudService over a fresh store on a stepped
 * lab clock, accounts, tokens, device keys, registrations, and DomainError assertions.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterEach, beforeEach, expect } from 'vitest';
import type { ErrorCode, RegisterResponse, Udi } from '#protocol';
import { LabClock } from '#lab';
import { openTestStore, T0, type StoreKind, type TestStore } from '#test-support/test-stores.ts';
import type { RegistrationToken, SmartAccount, VirtualAccount } from '../store/records.ts';
import { createSmartAccount, requireVirtualAccount } from './accounts.ts';
import { CloudService } from './cloud-service.ts';
import { DomainError } from './domain-error.ts';
import type { CloudPolicy } from './policy.ts';
import { registerInstance } from './product-instances.ts';
import { createToken, type NewToken } from './tokens.ts';

// ---------------------------------------------------------------------------------------------- cloud

export interface TestCloud {
  cloud: CloudService;
  clock: LabClock;
  db: TestStore;
  /** Closes the store, reopens it and opens a new CloudService over it (same clock and policy). */
  reopen(): Promise<CloudService>;
  cleanup(): Promise<void>;
}

export async function openTestCloud(kind: StoreKind, policy?: Partial<CloudPolicy>): Promise<TestCloud> {
  const clock = LabClock.create({ mode: 'stepped', start: T0 });
  const db = await openTestStore(kind);
  const open = () => CloudService.open({ store: db.store, clock, ...(policy ? { policy } : {}) });
  let cloud: CloudService;
  try {
    cloud = await open();
  } catch (err) {
    await db.cleanup();
    throw err;
  }
  const handle: TestCloud = {
    cloud,
    clock,
    db,
    async reopen() {
      await db.reopen();
      handle.cloud = await open();
      return handle.cloud;
    },
    cleanup: async () => {
      clock.dispose();
      await db.cleanup();
    },
  };
  return handle;
}

/** Opens a fresh cloud before each test of the enclosing describe (then runs `setup` on it) and cleans it up after. */
export function eachTestCloud(kind: StoreKind, setup: (opened: TestCloud) => Promise<void> | void): void {
  let opened: TestCloud | undefined;
  beforeEach(async () => {
    opened = await openTestCloud(kind);
    await setup(opened);
  });
  afterEach(async () => {
    await opened?.cleanup();
  });
}

// ---------------------------------------------------------------------------------------------- domain helpers

/** A smart account and its DEFAULT virtual account. */
export async function setupAccount(
  cloud: CloudService,
  domain = 'example.com',
  name = 'Example Corp',
): Promise<{ account: SmartAccount; va: VirtualAccount }> {
  return cloud.run('test', async (tx, ctx) => {
    const account = await createSmartAccount(tx, ctx, { name, domain });
    return { account, va: await requireVirtualAccount(tx, account, 'DEFAULT') };
  });
}

export function newToken(
  cloud: CloudService,
  account: SmartAccount,
  va: VirtualAccount,
  input: NewToken = {},
): Promise<RegistrationToken> {
  return cloud.run('test', (tx, ctx) => createToken(tx, ctx, account, va, input));
}

export type KeyKind = 'p256' | 'p384' | 'p521' | 'rsa1024' | 'rsa2048' | 'ed25519';

export interface DeviceKey {
  privateKey: KeyObject;
  /** base64 SPKI DER, as a registration presents it. */
  publicKey: string;
}

export function newDeviceKey(kind: KeyKind = 'p256'): DeviceKey {
  const pair =
    kind === 'rsa1024' || kind === 'rsa2048'
      ? generateKeyPairSync('rsa', { modulusLength: kind === 'rsa1024' ? 1024 : 2048 })
      : kind === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: kind === 'p256' ? 'P-256' : kind === 'p384' ? 'P-384' : 'P-521' });
  return {
    privateKey: pair.privateKey,
    publicKey: pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

export interface TestDevice extends DeviceKey {
  udi: Udi;
  response: RegisterResponse;
}

export async function registerDevice(
  cloud: CloudService,
  idToken: string,
  udi: Udi,
  opts: { force?: boolean; hostname?: string; key?: DeviceKey } = {},
): Promise<TestDevice> {
  const key = opts.key ?? newDeviceKey();
  const response = await cloud.run('test', (tx, ctx) =>
    registerInstance(tx, ctx, {
      idToken,
      udi,
      hostname: opts.hostname ?? `sw-${udi.sn.toLowerCase()}`,
      publicKey: key.publicKey,
      force: opts.force ?? false,
    }),
  );
  return { ...key, udi, response };
}

// ---------------------------------------------------------------------------------------------- assertions

function checkDomainError(err: unknown, code: ErrorCode, mentions: string[]): DomainError {
  expect(err, `expected DomainError ${code}`).toBeInstanceOf(DomainError);
  const e = err as DomainError;
  expect(e.code).toBe(code);
  for (const m of mentions) expect(e.message).toContain(m);
  return e;
}

/** Asserts the promise rejects with a DomainError of `code` whose message contains every `mentions`. */
export async function expectDomainError(
  work: Promise<unknown>,
  code: ErrorCode,
  ...mentions: string[]
): Promise<DomainError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  return checkDomainError(err, code, mentions);
}

export function expectDomainErrorSync(work: () => unknown, code: ErrorCode, ...mentions: string[]): DomainError {
  let err: unknown;
  try {
    work();
  } catch (e) {
    err = e;
  }
  return checkDomainError(err, code, mentions);
}
