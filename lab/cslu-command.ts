/**
 * `lab cslu`: the Cisco Smart License Utility stand-in on its own port (8182, as real CSLU), for devices
 * configured with `license smart transport cslu` + `license smart url cslu http://<host>:8182/cslu/v1/pi`.
 * Connected to a `lab cloud` (or any CSSM-shaped cloud) by OAuth client credentials, or --offline: usage
 * leaves by export file and ACKs come back by import, through its admin API.
 */
import { createCsluApp, CsluService, CsluStore, DEFAULT_VA_NAME as DEFAULT_VA } from '#cloud';
import { CSLU_DEFAULT_PORT } from '#protocol';
import { LabClock } from './clock/index.ts';
import { adminFlag, listen, portFlag, upstreamFlags, upstreamHelp, type UpstreamFlags } from './service-flags.ts';
import { UsageError } from './usage-error.ts';

export const csluHelp = `Usage: lab cslu (--cloud URL --client-id ID --client-secret SECRET --account DOMAIN [--va NAME] [--ca FILE] | --offline) [--port N] [--host ADDR] [--db PATH] [--admin USER:PASSWORD]

Runs a CSLU stand-in: devices push RUM reports to http://<host>:<port>/cslu/v1/pi and poll for their ACKs;
CSLU sends the reports to CSSM and brings the ACKs back.

${upstreamHelp}
                    (POST /cslu/v1/usage/export gives the file, POST /cslu/v1/acks/import takes the ACKs)
  --va NAME         the virtual account CSLU reports for (X-CSW-VIRTUAL-ACCOUNT-ID; default ${DEFAULT_VA})
  --port N          TCP port (default ${CSLU_DEFAULT_PORT}; 0 picks a free one)
  --host ADDR       address to listen on (default 127.0.0.1)
  --db PATH         where CSLU keeps product instances and reports (default ./.lab/cslu.db)
  --admin U:P       HTTP Basic credentials of the admin API under /cslu/v1/ (also CSLU_ADMIN); without them it is off
`;

export interface CsluFlags extends UpstreamFlags {
  va?: string | undefined;
  port?: string | undefined;
  host?: string | undefined;
  db?: string | undefined;
  admin?: string | undefined;
}

export async function runCslu(flags: CsluFlags, log: (line: string) => void): Promise<{ close(): Promise<void> }> {
  const port = portFlag('--port', flags.port) ?? CSLU_DEFAULT_PORT;
  const host = flags.host ?? '127.0.0.1';
  const admin = adminFlag(flags.admin ?? process.env.CSLU_ADMIN);
  const clock = LabClock.create({ mode: 'real' });
  let service: CsluService | undefined;
  try {
    const upstream = upstreamFlags(flags, clock, 'CSLU')?.(flags.va ?? DEFAULT_VA);
    let store: CsluStore;
    try {
      store = new CsluStore(flags.db ?? '.lab/cslu.db');
    } catch (err) {
      throw new UsageError(`cannot open --db ${flags.db ?? '.lab/cslu.db'}: ${(err as Error).message}`);
    }
    service = new CsluService({ clock, store, ...(upstream ? { upstream } : {}), log });
    const app = createCsluApp(service, { ...(admin ? { admin } : {}), log });
    const server = await listen(app, { port, host });
    log(`[cslu] ${upstream ? `reporting to CSSM at ${upstream.description}` : 'offline: usage leaves by export file'}`);
    log(`[cslu] admin API ${admin ? `on, as ${admin.user}` : 'off (set --admin USER:PASSWORD)'}`);
    log(`[cslu] listening on ${server.url}; devices: license smart url cslu ${server.url}/cslu/v1/pi`);
    const running = service;
    return {
      async close() {
        await server.close();
        running.close();
        clock.dispose();
      },
    };
  } catch (err) {
    service?.close();
    clock.dispose();
    throw err;
  }
}
