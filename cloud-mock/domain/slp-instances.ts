/**
 * Product instances that speak Smart Licensing Using Policy. They hold no ID certificate: a trust code
 * (direct transport) or the first key their RUM reports carry (CSLU and tools) is what identifies them.
 */
import { randomUUID } from 'node:crypto';
import { udiString, verifyBytes, type Sudi, type Udi } from '#protocol';
import type { ProductInstance, SlpInstanceState, Tx, VirtualAccount } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { parsedKey } from './device-auth.ts';
import { fail } from './domain-error.ts';
import { logEvent } from './event-log.ts';

export const udiOfSudi = (sudi: Sudi): Udi => ({ pid: sudi.udi_pid, sn: sudi.udi_serial_number });
export const sudiOfUdi = (udi: Udi): Sudi => ({ udi_pid: udi.pid, udi_serial_number: udi.sn });

export function slpStateOf(instance: ProductInstance): SlpInstanceState {
  return (instance.slp ??= {
    trustedKey: null,
    trustValidUntil: null,
    reportKey: null,
    usage: {},
    policySentAt: null,
  });
}

/**
 * A new SLP product instance in `va`. Its certSerial is `slp-<id>` (unique, as the column wants) and its
 * certificate is already expired, so the classic routes refuse it (CERTIFICATE_EXPIRED: register).
 */
export function newSlpInstance(
  ctx: DomainContext,
  va: VirtualAccount,
  udi: Udi,
  fields: { hostname: string; publicKey: string; tokenId: string; exportControlled: boolean },
): ProductInstance {
  const id = randomUUID();
  const now = ctx.clock.now();
  const instance: ProductInstance = {
    id,
    accountId: va.accountId,
    vaId: va.id,
    udi,
    udiKey: udiString(udi),
    registeredAt: now,
    certSerial: `slp-${id}`,
    certNotAfter: 0,
    lastContactAt: now,
    softwareVersion: null,
    entitlements: {},
    ...fields,
  };
  slpStateOf(instance);
  return instance;
}

/**
 * A direct-transport SLP request: signed (X-Lab-Signature over the body bytes) with the key the UDI's trust
 * code binds. No trust code, or an expired one, is "insufficient trust".
 */
/**
 * A classic registration upgraded to a 17.x image (smart-licensing.md §9.1 conversion): its ID certificate's
 * key becomes the trusted key until the certificate would have expired, as the device took it for its
 * trust code. An expired or SLP-only instance is left as it is.
 */
async function registrationAsTrust(tx: Tx, ctx: DomainContext, instance: ProductInstance): Promise<void> {
  if (instance.certSerial.startsWith('slp-') || instance.certNotAfter <= ctx.clock.now()) return;
  instance.slp = {
    usage: {},
    policySentAt: null,
    ...instance.slp,
    trustedKey: instance.publicKey,
    trustValidUntil: instance.certNotAfter,
    reportKey: instance.publicKey,
  };
  await tx.put('productInstances', instance);
  await logEvent(tx, ctx, {
    accountId: instance.accountId,
    vaId: instance.vaId,
    kind: 'slp.trusted',
    message: `${instance.udiKey} trusted by its registration (a 17.x image) until ${new Date(instance.certNotAfter).toISOString()}`,
    data: { udi: instance.udiKey, converted: true, validUntil: instance.certNotAfter },
  });
}

export async function authenticateTrusted(
  tx: Tx,
  ctx: DomainContext,
  req: { udi: Udi; signature: string | undefined; body: Uint8Array },
): Promise<ProductInstance> {
  if (!req.signature)
    fail('SIGNATURE_MISSING', 'SLP requests must be signed (X-Lab-Signature) with the key of the trust code');
  const udiKey = udiString(req.udi);
  const instance = await tx.findOne('productInstances', { udi: udiKey });
  if (instance && !instance.slp?.trustedKey) await registrationAsTrust(tx, ctx, instance);
  const slp = instance?.slp;
  if (!instance || !slp?.trustedKey || slp.trustValidUntil === null)
    fail('TRUST_MISSING', `insufficient trust: ${udiKey} holds no trust code; run license smart trust idtoken`);
  if (ctx.clock.now() >= slp.trustValidUntil)
    fail(
      'TRUST_MISSING',
      `insufficient trust: the trust code of ${udiKey} expired on ${new Date(slp.trustValidUntil).toISOString()}`,
    );
  if (!verifyBytes(req.body, req.signature, parsedKey(slp.trustedKey)!))
    fail('SIGNATURE_INVALID', `the signature does not verify with the key of the trust code of ${udiKey}`);
  return instance;
}

/**
 * Whose entries a request may carry: `trusted` is the direct transport (only the signer's own, its trust
 * code's key signs them), `pinned` the API for CSLU and tools (an unknown UDI becomes an instance of `va`).
 */
export type UploadMode = { kind: 'trusted'; instance: ProductInstance } | { kind: 'pinned'; va: VirtualAccount };

/** The instance an entry of a request names, made in the VA under the pinned mode (with `publicKey`). */
export async function entryInstance(
  tx: Tx,
  ctx: DomainContext,
  entry: { sudi: Sudi; hostname?: string | undefined },
  mode: UploadMode,
  publicKey: string,
): Promise<ProductInstance> {
  const udi = udiOfSudi(entry.sudi);
  const udiKey = udiString(udi);
  if (mode.kind === 'trusted') {
    if (udiKey !== mode.instance.udiKey)
      fail('IDENTITY_MISMATCH', `the request is signed by ${mode.instance.udiKey}; it cannot speak for ${udiKey}`);
    return mode.instance;
  }
  const found = await tx.findOne('productInstances', { udi: udiKey });
  if (found && found.vaId !== mode.va.id)
    fail('UDI_REGISTERED_ELSEWHERE', `${udiKey} is a product instance of another virtual account than ${mode.va.name}`);
  return (
    found ??
    newSlpInstance(ctx, mode.va, udi, {
      hostname: entry.hostname ?? entry.sudi.udi_serial_number,
      publicKey,
      tokenId: '',
      exportControlled: false,
    })
  );
}
