/**
 * `lab cslu`: the Cisco Smart License Utility stand-in on its own port (8182, as real CSLU), for devices
 * configured with `license smart transport cslu` + `license smart url cslu http://<host>:8182/cslu/v1/pi`.
 * Connected to a `lab cloud` (or any CSSM-shaped cloud) by OAuth client credentials, or --offline: usage
 * leaves by export file and ACKs come back by import, through its admin API. Pull mode too: the admin adds
 * devices by host and CSLU fetches their reports from the on-box REST API and imports their ACKs.
 */
import {
  createCsluApp,
  CsluPull,
  CsluService,
  CsluStore,
  DEFAULT_PULL_INTERVAL_MS,
  deviceHttpSender,
  DEFAULT_VA_NAME as DEFAULT_VA,
} from '#cloud';
import { CSLU_DEFAULT_PORT } from '#protocol';
import { LabClock } from './clock/index.ts';
import { adminFlag, listen, portFlag, upstreamFlags, upstreamHelp, type UpstreamFlags } from './service-flags.ts';
import { UsageError } from './usage-error.ts';

export const csluHelp = `Usage: lab cslu (--cloud URL --client-id ID --client-secret SECRET --account DOMAIN [--va NAME] [--ca FILE] | --offline) [--port N] [--host ADDR] [--db PATH] [--admin USER:PASSWORD] [--pull-interval HOURS] [--devices-via URL]

Runs a CSLU stand-in: devices push RUM reports to http://<host>:<port>/cslu/v1/pi and poll for their ACKs;
CSLU sends the reports to CSSM and brings the ACKs back. In pull mode CSLU fetches the reports itself from
the devices' on-box REST API (/smartlic-service, HTTP Basic as a privilege-15 user) and imports their ACKs:
add devices with POST /cslu/v1/pull/devices { host, user, password[, port] } (admin API), list them with
GET, remove one with DELETE /cslu/v1/pull/devices/<host>, collect now with POST /cslu/v1/pull/collect.

${upstreamHelp}
                    (POST /cslu/v1/usage/export gives the file, POST /cslu/v1/acks/import takes the ACKs)
  --va NAME         the virtual account CSLU reports for (X-CSW-VIRTUAL-ACCOUNT-ID; default ${DEFAULT_VA})
  --port N          TCP port (default ${CSLU_DEFAULT_PORT}; 0 picks a free one)
  --host ADDR       address to listen on (default 127.0.0.1)
  --db PATH         where CSLU keeps product instances and reports (default ./.lab/cslu.db)
  --admin U:P       HTTP Basic credentials of the admin API under /cslu/v1/ (also CSLU_ADMIN); without them it is off
  --pull-interval H how often CSLU pulls from the devices it was given, in hours (default ${DEFAULT_PULL_INTERVAL_MS / 3_600_000}; 0: on demand only)
  --devices-via URL reach every device through this HTTP gateway, naming it in Host: (a lab's device HTTP server);
                    default: http://<host>:<port> of each device
`;

export interface CsluFlags extends UpstreamFlags {
  va?: string | undefined;
  port?: string | undefined;
  host?: string | undefined;
  db?: string | undefined;
  admin?: string | undefined;
  'pull-interval'?: string | undefined;
  'devices-via'?: string | undefined;
}

function pullIntervalFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const hours = Number(value);
  if (value.trim() === '' || !Number.isFinite(hours) || hours < 0 || hours > 24 * 365)
    throw new UsageError(`--pull-interval must be a number of hours from 0 to 8760, got "${value}"`);
  return Math.round(hours * 3_600_000);
}

function gatewayFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--devices-via must be an http URL, got "${value}"`);
  }
  if (url.protocol !== 'http:') throw new UsageError(`--devices-via must be an http URL, got "${value}"`);
  return value;
}

export async function runCslu(flags: CsluFlags, log: (line: string) => void): Promise<{ close(): Promise<void> }> {
  const port = portFlag('--port', flags.port) ?? CSLU_DEFAULT_PORT;
  const host = flags.host ?? '127.0.0.1';
  const admin = adminFlag(flags.admin ?? process.env.CSLU_ADMIN);
  const intervalMs = pullIntervalFlag(flags['pull-interval']);
  const gateway = gatewayFlag(flags['devices-via']);
  const clock = LabClock.create({ mode: 'real' });
  let service: CsluService | undefined;
  let pull: CsluPull | undefined;
  try {
    const upstream = upstreamFlags(flags, clock, 'CSLU')?.(flags.va ?? DEFAULT_VA);
    let store: CsluStore;
    try {
      store = new CsluStore(flags.db ?? '.lab/cslu.db');
    } catch (err) {
      throw new UsageError(`cannot open --db ${flags.db ?? '.lab/cslu.db'}: ${(err as Error).message}`);
    }
    service = new CsluService({ clock, store, ...(upstream ? { upstream } : {}), log });
    pull = new CsluPull({
      service,
      clock,
      send: deviceHttpSender(gateway ? { gateway } : {}),
      ...(intervalMs !== undefined ? { intervalMs } : {}),
      log,
    });
    const app = createCsluApp(service, { ...(admin ? { admin } : {}), pull, log });
    const server = await listen(app, { port, host });
    log(`[cslu] ${upstream ? `reporting to CSSM at ${upstream.description}` : 'offline: usage leaves by export file'}`);
    log(`[cslu] admin API ${admin ? `on, as ${admin.user}` : 'off (set --admin USER:PASSWORD)'}`);
    log(
      `[cslu] pull: ${pull.list().length} device(s), ${pull.intervalMs === 0 ? 'on demand only' : `every ${pull.intervalMs / 3_600_000} h`}${gateway ? ` via ${gateway}` : ''}`,
    );
    log(`[cslu] listening on ${server.url}; devices: license smart url cslu ${server.url}/cslu/v1/pi`);
    const running = service;
    const pulling = pull;
    return {
      async close() {
        await server.close();
        pulling.close();
        running.close();
        clock.dispose();
      },
    };
  } catch (err) {
    pull?.close();
    service?.close();
    clock.dispose();
    throw err;
  }
}
