/** `lab cloud`: the mock licensing cloud alone, on the embedded store by default. */
import { readFileSync } from 'node:fs';
import { defaultRateLimit, DEFAULT_DB_PATH, type RateLimit } from '#cloud';
import { LabClock } from './clock/index.ts';
import { openInProcessCloud, type InProcessCloud } from './in-process-cloud.ts';
import { cloudLabKey, LAB_KEY_FILE, labDirectory } from './lab-key.ts';
import { labTls, listen, portFlag } from './service-flags.ts';
import { UsageError } from './usage-error.ts';

export const cloudHelp = `Usage: lab cloud [--port N] [--host ADDR] [--tls] [--db PATH|postgres://…] [--seed FILE.yaml] [--step | --speed N] [--rate-limit N[/BURST]] [--lab-key VALUE|FILE]

Runs the mock licensing cloud: the device protocol, the management API (OAuth2 at /as/token.oauth2,
/services/api/smart-accounts-and-licensing/…), lab control under /lab/, OpenAPI at /openapi.json, /docs.

  --port N        TCP port (default 8480; 0 picks a free one)
  --host ADDR     address to listen on (default 127.0.0.1; beyond loopback, set --lab-key or LAB_KEY)
  --tls           HTTPS with a certificate from the lab CA (its PEM is written next to the database)
  --db TARGET     SQLite file (default ${DEFAULT_DB_PATH}) or postgres://… (also DATABASE_URL)
  --seed FILE     apply a seed file (YAML) at start; accounts that exist are skipped
  --step          stepped lab clock: time moves only through POST /lab/clock
  --speed N       lab time runs N× real time
  --rate-limit R  management API requests per second per API client, optionally /BURST
                  (default ${defaultRateLimit.perSecond}/${defaultRateLimit.burst}, lab time; 0 = unlimited); over it: 429 with Retry-After
  --lab-key K     the key /lab/… routes need (X-Lab-Key or Authorization: Bearer), or a file holding it
                  (also LAB_KEY); default: ${LAB_KEY_FILE} beside the database, made on first start (mode 0600)
`;

export interface CloudFlags {
  port?: string | undefined;
  host?: string | undefined;
  tls?: boolean | undefined;
  db?: string | undefined;
  seed?: string | undefined;
  step?: boolean | undefined;
  speed?: string | undefined;
  'rate-limit'?: string | undefined;
  'lab-key'?: string | undefined;
}

/** `--rate-limit 10` or `10/100` (per second / burst); `0` turns limits off. */
export function rateLimitOf(value: string | undefined): RateLimit | null {
  if (value === undefined) return defaultRateLimit;
  const m = /^(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(value.trim());
  const perSecond = Number(m?.[1]);
  const burst = m?.[2] === undefined ? Math.max(1, Math.ceil(perSecond * 10)) : Number(m[2]);
  if (!m || !Number.isFinite(perSecond) || burst < 1)
    throw new UsageError(
      `--rate-limit must be requests per second with an optional /burst (like 10 or 10/100; 0 = unlimited), got "${value}"`,
    );
  return perSecond === 0 ? null : { perSecond, burst };
}

const isLoopback = (host: string) => /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i.test(host);

function clockOf(flags: CloudFlags): LabClock {
  if (flags.step && flags.speed !== undefined)
    throw new UsageError('--step and --speed exclude each other: choose one');
  if (flags.step) return LabClock.create({ mode: 'stepped' });
  if (flags.speed !== undefined) {
    const speed = Number(flags.speed);
    if (!Number.isFinite(speed) || speed <= 0)
      throw new UsageError(`--speed must be a number > 0, got "${flags.speed}"`);
    return LabClock.create({ mode: 'scaled', speed });
  }
  return LabClock.create({ mode: 'real' });
}

export async function runCloud(flags: CloudFlags, log: (line: string) => void): Promise<{ close(): Promise<void> }> {
  const port = portFlag('--port', flags.port) ?? 8480;
  const rateLimit = rateLimitOf(flags['rate-limit']);
  const clock = clockOf(flags);
  const seed = flags.seed !== undefined ? readSeedFile(flags.seed) : undefined;
  const db = flags.db || process.env.DATABASE_URL || DEFAULT_DB_PATH;
  const dir = labDirectory(db);
  const labKey = cloudLabKey(flags['lab-key'], process.env.LAB_KEY, dir);
  const host = flags.host ?? '127.0.0.1';
  let cloud: InProcessCloud | undefined;
  try {
    cloud = await openInProcessCloud(clock, {
      db,
      rateLimit,
      labKey: labKey.key,
      log,
      ...(seed !== undefined ? { seed, seedSource: flags.seed } : {}),
    });
    if (cloud.seeded) {
      const { created, skipped } = cloud.seeded;
      log(
        `[cloud] seeded from ${flags.seed}: ${JSON.stringify(created)}${skipped.length ? `; skipped: ${skipped.join('; ')}` : ''}`,
      );
    }
    const tls = flags.tls ? labTls(cloud, clock.now(), dir, 'cloud', log) : undefined;
    const server = await listen(cloud.app, { port, host, ...(tls ? { tls } : {}) });
    // Before the "listening" line, which callers wait for.
    log(`[cloud] ${labKey.describe}`);
    if (labKey.generated && !isLoopback(host))
      log(
        `[cloud] warning: listening on ${host} beyond this machine with the generated lab key; for a shared lab set --lab-key or LAB_KEY and give it to its users`,
      );
    log(`[cloud] listening on ${server.url} (store: ${cloud.store.location}; clock: ${clock.mode})`);
    log(`[cloud] health: ${server.url}/lab/health  API document: ${server.url}/openapi.json`);

    const opened = cloud;
    return {
      async close() {
        await server.close();
        clock.dispose();
        await opened.close();
      },
    };
  } catch (err) {
    await cloud?.close().catch(() => undefined);
    clock.dispose();
    throw err;
  }
}

export function readSeedFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read seed file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
}
