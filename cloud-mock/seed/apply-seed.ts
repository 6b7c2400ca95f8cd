/**
 * Applies a seed document in ONE transaction: it all lands or none of it does. Re-seeding a cloud that
 * keeps its data is safe: an account whose domain exists is skipped whole (so licenses are never
 * deposited twice), and so is a token whose fixed value exists, a user whose username exists and an API
 * client whose client id exists, and a PAK whose fixed key exists. Passwords and client secrets are hashed
 * before they are stored.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import {
  createApiClient,
  createPak,
  createSmartAccount,
  createUser,
  createToken,
  createVirtualAccount,
  depositLicenses,
  depositOrder,
  fail,
  type CloudService,
} from '../domain/index.ts';
import { SeedDocument, type SeedResult } from './seed-format.ts';
import { TypeCompiler } from '@sinclair/typebox/compiler';

const checker = TypeCompiler.Compile(SeedDocument);

/** Parses YAML (JSON is YAML too) and checks it against the seed format; errors name line and field. */
export function parseSeed(text: string, source = 'seed'): SeedDocument {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true, maxAliasCount: 100 });
  } catch (err) {
    const where =
      err instanceof YAMLParseError && err.linePos
        ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}`
        : '';
    fail('SEED_INVALID', `${source} is not valid YAML${where}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!checker.Check(doc)) {
    const problems = [...checker.Errors(doc)].slice(0, 5).map((e) => `${e.path || '/'}: ${e.message}`);
    fail('SEED_INVALID', `${source} does not match the seed format: ${problems.join('; ')}`, problems);
  }
  return doc;
}

export function applySeed(service: CloudService, seed: SeedDocument, actor = 'lab:seed'): Promise<SeedResult> {
  return service.run(actor, async (tx, ctx) => {
    const result: SeedResult = {
      created: {
        accounts: 0,
        virtualAccounts: 0,
        licenseDeposits: 0,
        tokens: 0,
        paks: 0,
        skus: 0,
        users: 0,
        apiClients: 0,
      },
      skipped: [],
    };
    if (seed.skus?.length) {
      await service.addSkus(tx, seed.skus);
      result.created.skus = seed.skus.length;
    }
    for (const a of seed.accounts ?? []) {
      if (await tx.findOne('smartAccounts', { domain: a.domain.trim().toLowerCase() })) {
        result.skipped.push(`smart account ${a.domain} exists`);
        continue;
      }
      const account = await createSmartAccount(tx, ctx, {
        name: a.name,
        domain: a.domain,
        ...(a.type ? { type: a.type } : {}),
      });
      result.created.accounts += 1;
      for (const v of a.virtualAccounts ?? []) {
        let va = await tx.findOne('virtualAccounts', { account_id: account.id, name: v.name });
        if (!va) {
          va = await createVirtualAccount(tx, ctx, account, {
            name: v.name,
            ...(v.description !== undefined ? { description: v.description } : {}),
          });
          result.created.virtualAccounts += 1;
        }
        if (v.exportControlled !== undefined || v.plrAllowed !== undefined) {
          if (v.exportControlled !== undefined) va.exportControlled = v.exportControlled;
          if (v.plrAllowed !== undefined) va.plrAllowed = v.plrAllowed;
          await tx.put('virtualAccounts', va);
        }
        for (const [i, l] of (v.licenses ?? []).entries()) {
          if ('sku' in l)
            await depositOrder(tx, ctx, service.skus, va, {
              orderId: `seed-${a.domain}-${v.name}-${i + 1}`,
              lines: [l],
            });
          else
            await depositLicenses(tx, ctx, va, {
              tag: l.tag,
              quantity: l.quantity,
              licenseType: l.licenseType,
              ...(l.termDays !== undefined ? { termDays: l.termDays } : {}),
            });
          result.created.licenseDeposits += 1;
        }
        for (const t of v.tokens ?? []) {
          if (t.value !== undefined && (await tx.get('registrationTokens', t.value))) {
            result.skipped.push(`token ${t.value.slice(0, 16)}… exists`);
            continue;
          }
          await createToken(tx, ctx, account, va, t);
          result.created.tokens += 1;
        }
      }
      for (const p of a.paks ?? []) {
        if (p.pak !== undefined && (await tx.get('paks', p.pak.toUpperCase()))) {
          result.skipped.push(`PAK ${p.pak.toUpperCase()} exists`);
          continue;
        }
        await createPak(tx, ctx, account, p);
        result.created.paks += 1;
      }
    }
    for (const u of seed.users ?? []) {
      if (await tx.findOne('users', { username: u.username.trim() })) {
        result.skipped.push(`user ${u.username} exists`);
        continue;
      }
      await createUser(tx, ctx, u);
      result.created.users += 1;
    }
    for (const c of seed.apiClients ?? []) {
      if (c.clientId !== undefined && (await tx.get('apiClients', c.clientId))) {
        result.skipped.push(`API client ${c.clientId} exists`);
        continue;
      }
      await createApiClient(tx, ctx, c);
      result.created.apiClients += 1;
    }
    return result;
  });
}
