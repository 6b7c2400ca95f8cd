/**
 * `lab cslu`: the Cisco Smart License Utility stand-in on its own port (8182, as real CSLU), for devices
 * configured with `license smart transport cslu` + `license smart url cslu http://<host>:8182/cslu/v1/pi`.
 * Connected to a `lab cloud` (or any CSSM-shaped cloud) by OAuth client credentials, or --offline: usage
 * leaves by export file and ACKs come back by import, through its admin API.
 */
import { readFileSync } from 'node:fs';
import { createCsluApp, createUpstream, CsluService, CsluStore, httpSender, serve, type SlpUpstream } from '#cloud';
import { CSLU_DEFAULT_PORT } from '#protocol';
import { LabClock } from './clock/index.ts';
import { UsageError } from './usage-error.ts';

export const csluHelp = `Usage: lab cslu (--cloud URL --client-id ID --client-secret SECRET --account DOMAIN [--va NAME] [--ca FILE] | --offline) [--port N] [--host ADDR] [--db PATH] [--admin USER:PASSWORD]

Runs a CSLU stand-in: devices push RUM reports to http://<host>:<port>/cslu/v1/pi and poll for their ACKs;
CSLU sends the reports to CSSM and brings the ACKs back.

  --cloud URL       the CSSM it reports to (a 'lab cloud': http(s)://host:port)
  --client-id ID, --client-secret SECRET
                    the OAuth client CSLU signs in with (an apiClients entry of the cloud's seed)
  --account DOMAIN  smart account domain (X-CSW-SMART-ACCOUNT-ID); --va NAME its virtual account (default "Default")
  --ca FILE         PEM of the cloud's CA, for https
  --offline         not connected to CSSM: POST /cslu/v1/usage/export gives the file to upload,
                    POST /cslu/v1/acks/import takes the ACK file CSSM gives back
  --port N          TCP port (default ${CSLU_DEFAULT_PORT}; 0 picks a free one)
  --host ADDR       address to listen on (default 127.0.0.1)
  --db PATH         where CSLU keeps product instances and reports (default ./.lab/cslu.db)
  --admin U:P       HTTP Basic credentials of the admin API under /cslu/v1/ (also CSLU_ADMIN); without them it is off
`;

export interface CsluFlags {
  cloud?: string | undefined;
  'client-id'?: string | undefined;
  'client-secret'?: string | undefined;
  account?: string | undefined;
  va?: string | undefined;
  ca?: string | undefined;
  offline?: boolean | undefined;
  port?: string | undefined;
  host?: string | undefined;
  db?: string | undefined;
  admin?: string | undefined;
}

function portOf(value: string | undefined): number {
  if (value === undefined) return CSLU_DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a whole number from 0 to 65535, got "${value}"`);
  return port;
}

function adminOf(value: string | undefined): { user: string; password: string } | undefined {
  if (value === undefined || value === '') return undefined;
  const colon = value.indexOf(':');
  if (colon < 1 || colon === value.length - 1) throw new UsageError('--admin must be USER:PASSWORD');
  return { user: value.slice(0, colon), password: value.slice(colon + 1) };
}

function upstreamOf(flags: CsluFlags, clock: LabClock): SlpUpstream | undefined {
  if (flags.offline) {
    if (flags.cloud !== undefined) throw new UsageError('--offline and --cloud exclude each other: choose one');
    return undefined;
  }
  const missing = (['cloud', 'client-id', 'client-secret', 'account'] as const).filter((f) => !flags[f]);
  if (missing.length > 0)
    throw new UsageError(`a connected CSLU needs ${missing.map((m) => `--${m}`).join(', ')} (or run it --offline)`);
  let url: URL;
  try {
    url = new URL(flags.cloud!);
  } catch {
    throw new UsageError(`--cloud must be an http(s) URL, got "${flags.cloud}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--cloud must be an http(s) URL, got "${flags.cloud}"`);
  let ca: string | undefined;
  if (flags.ca !== undefined) {
    try {
      ca = readFileSync(flags.ca, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --ca ${flags.ca}: ${(err as Error).message}`);
    }
  }
  const account = {
    clientId: flags['client-id']!,
    clientSecret: flags['client-secret']!,
    smartAccount: flags.account!,
    virtualAccount: flags.va ?? 'Default',
  };
  return createUpstream(httpSender(url.toString(), ca), account, clock, url.origin);
}

export async function runCslu(flags: CsluFlags, log: (line: string) => void): Promise<{ close(): Promise<void> }> {
  const port = portOf(flags.port);
  const host = flags.host ?? '127.0.0.1';
  const admin = adminOf(flags.admin ?? process.env.CSLU_ADMIN);
  const clock = LabClock.create({ mode: 'real' });
  let service: CsluService | undefined;
  try {
    const upstream = upstreamOf(flags, clock);
    let store: CsluStore;
    try {
      store = new CsluStore(flags.db ?? '.lab/cslu.db');
    } catch (err) {
      throw new UsageError(`cannot open --db ${flags.db ?? '.lab/cslu.db'}: ${(err as Error).message}`);
    }
    service = new CsluService({ clock, store, ...(upstream ? { upstream } : {}), log });
    const app = createCsluApp(service, { ...(admin ? { admin } : {}), log });
    const server = await serve(app, { port, host }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        throw new UsageError(`port ${port} on ${host} is in use; choose another with --port (0 picks a free one)`);
      throw new UsageError(`cannot listen on --host ${host}: ${err.code ?? err.message}`);
    });
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
