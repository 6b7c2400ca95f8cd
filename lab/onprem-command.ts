/**
 * `lab onprem`: an SSM On-Prem stand-in (cloud-mock/onprem): HTTPS on 8443 with a certificate from its own CA,
 * its own accounts (a seed), classic devices on /SmartTransport, SLP devices on /cslu/v1/pi/<VA>-1 relayed
 * to CSSM per virtual account (or held for export when --offline), and the /api/v1 management API.
 */
import { join } from 'node:path';
import { createOnPremApp, CsluStore, DEFAULT_DB_PATH, type OnPremApp } from '#cloud';
import { LabClock } from './clock/index.ts';
import { openInProcessCloud, type InProcessCloud } from './in-process-cloud.ts';
import { labDirectory } from './lab-key.ts';
import { readSeedFile } from './cloud-command.ts';
import {
  adminFlag,
  labTls,
  listen,
  portFlag,
  upstreamFlags,
  upstreamHelp,
  type UpstreamFlags,
} from './service-flags.ts';

export const onpremHelp = `Usage: lab onprem (--cloud URL --client-id ID --client-secret SECRET --account DOMAIN [--ca FILE] | --offline) [--seed FILE.yaml] [--db PATH] [--port N] [--host ADDR] [--http] [--admin USER:PASSWORD]

Runs an SSM On-Prem stand-in. Devices: license smart url cslu https://<host>:<port>/cslu/v1/pi/<VA>-1 (SLP),
license smart url https://<host>:<port>/SmartTransport (classic). API: /api/v1/… with a token from /oauth/token.

${upstreamHelp}
  --seed FILE       the On-Prem's accounts, virtual accounts, tokens, licenses and API clients (YAML)
  --db PATH         its store (default ${DEFAULT_DB_PATH.replace('cloud', 'onprem')}); its relays keep their reports beside it
  --port N          TCP port (default 8443; 0 picks a free one)
  --host ADDR       address to listen on (default 127.0.0.1)
  --http            plain HTTP instead of HTTPS
  --admin U:P       HTTP Basic credentials of each relay's admin API (/cslu/v1/pi/<VA>-1/… export and import)
`;

export interface OnPremFlags extends UpstreamFlags {
  seed?: string | undefined;
  db?: string | undefined;
  port?: string | undefined;
  host?: string | undefined;
  http?: boolean | undefined;
  admin?: string | undefined;
}

export async function runOnPrem(flags: OnPremFlags, log: (line: string) => void): Promise<{ close(): Promise<void> }> {
  const port = portFlag('--port', flags.port) ?? 8443;
  const host = flags.host ?? '127.0.0.1';
  const admin = adminFlag(flags.admin);
  const clock = LabClock.create({ mode: 'real' });
  let onprem: OnPremApp | undefined;
  let cloud: InProcessCloud | undefined;
  try {
    const upstream = upstreamFlags(flags, clock, 'On-Prem');
    const seed = flags.seed !== undefined ? readSeedFile(flags.seed) : undefined;
    const db = flags.db ?? DEFAULT_DB_PATH.replace('cloud', 'onprem');
    const dir = labDirectory(db);
    cloud = await openInProcessCloud(clock, {
      db,
      log,
      ...(seed !== undefined ? { seed, seedSource: flags.seed } : {}),
    });
    const local = cloud;
    const app = createOnPremApp({
      cloud: local.app,
      service: local.service,
      clock,
      ...(upstream ? { upstream } : {}),
      relayStore: (va) => new CsluStore(join(dir, `onprem-relay-${encodeURIComponent(va)}.db`)),
      ...(admin ? { admin } : {}),
      log,
    });
    onprem = app;
    const tls = flags.http ? undefined : labTls(local, clock.now(), dir, 'onprem', log);
    const server = await listen(app, { port, host, ...(tls ? { tls } : {}) });
    log(
      `[onprem] ${upstream ? `relaying SLP usage to CSSM at ${flags.cloud}` : 'offline: SLP usage leaves by export file'}`,
    );
    log(`[onprem] listening on ${server.url}; SLP devices: license smart url cslu ${server.url}/cslu/v1/pi/<VA>-1`);
    return {
      async close() {
        await server.close();
        app.close();
        await local.close();
        clock.dispose();
      },
    };
  } catch (err) {
    onprem?.close();
    await cloud?.close().catch(() => undefined);
    clock.dispose();
    throw err;
  }
}
