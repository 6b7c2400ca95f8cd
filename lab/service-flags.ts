/**
 * Flags the lab's services share (`lab cloud`, `lab cslu`, `lab onprem`, `lab up`): ports, listening with
 * a one-line error when the port is taken, admin credentials, and the CSSM a relay reports to.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpSender, serve, upstreamFor, type RunningServer, type ServedApp, type SlpUpstream } from '#cloud';
import type { Clock } from '#protocol';
import { UsageError } from './usage-error.ts';

export function portFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`${flag} must be a whole number from 0 to 65535, got "${value}"`);
  return port;
}

/** serve(), with a taken port or an address that is not this machine's as a usage error. */
export function listen(
  app: ServedApp,
  options: { port: number; host: string; tls?: { key: string; cert: string } },
): Promise<RunningServer> {
  return serve(app, options).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE')
      throw new UsageError(
        `port ${options.port} on ${options.host} is in use; choose another with --port (0 picks a free one)`,
      );
    if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND')
      throw new UsageError(`cannot listen on --host ${options.host}: ${err.code}`);
    throw err;
  });
}

/** `--admin USER:PASSWORD`. */
export function adminFlag(value: string | undefined): { user: string; password: string } | undefined {
  if (value === undefined || value === '') return undefined;
  const colon = value.indexOf(':');
  if (colon < 1 || colon === value.length - 1) throw new UsageError('--admin must be USER:PASSWORD');
  return { user: value.slice(0, colon), password: value.slice(colon + 1) };
}

export interface UpstreamFlags {
  cloud?: string | undefined;
  'client-id'?: string | undefined;
  'client-secret'?: string | undefined;
  account?: string | undefined;
  ca?: string | undefined;
  offline?: boolean | undefined;
}

export const upstreamHelp = `  --cloud URL       the CSSM it reports to (a 'lab cloud': http(s)://host:port)
  --client-id ID, --client-secret SECRET
                    the OAuth client it signs in with (an apiClients entry of the cloud's seed)
  --account DOMAIN  the smart account on CSSM (X-CSW-SMART-ACCOUNT-ID)
  --ca FILE         PEM of the cloud's CA, for https
  --offline         not connected to CSSM: usage leaves by export file, ACKs come back by import`;

/**
 * The CSSM a relay sends usage to, as a function of the virtual account it reports for; undefined when
 * --offline. Checked whole before anything starts.
 */
export function upstreamFlags(
  flags: UpstreamFlags,
  clock: Clock,
  what: string,
): ((virtualAccount: string) => SlpUpstream) | undefined {
  if (flags.offline) {
    if (flags.cloud !== undefined) throw new UsageError('--offline and --cloud exclude each other: choose one');
    return undefined;
  }
  const missing = (['cloud', 'client-id', 'client-secret', 'account'] as const).filter((f) => !flags[f]);
  if (missing.length > 0)
    throw new UsageError(`a connected ${what} needs ${missing.map((m) => `--${m}`).join(', ')} (or run it --offline)`);
  let url: URL | undefined;
  try {
    url = new URL(flags.cloud!);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
    throw new UsageError(`--cloud must be an http(s) URL, got "${flags.cloud}"`);
  let ca: string | undefined;
  if (flags.ca !== undefined) {
    try {
      ca = readFileSync(flags.ca, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --ca ${flags.ca}: ${(err as Error).message}`);
    }
  }
  const login = { clientId: flags['client-id']!, clientSecret: flags['client-secret']!, smartAccount: flags.account! };
  return upstreamFor(httpSender(url.toString(), ca), login, clock, url.origin);
}

/**
 * A server certificate from the cloud's own CA for localhost, and the CA's PEM written to `<dir>/<name>-ca.pem`
 * for clients to trust (`curl --cacert`).
 */
export function labTls(
  cloud: { service: { ca: { issueServerCertificate: IssueServerCertificate } }; caPem: string },
  now: number,
  dir: string,
  name: string,
  log: (line: string) => void,
): { key: string; cert: string } {
  const { certPem, keyPem } = cloud.service.ca.issueServerCertificate({
    hostnames: ['localhost'],
    ips: ['127.0.0.1', '::1'],
    now,
  });
  const caFile = join(dir, `${name}-ca.pem`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(caFile, cloud.caPem);
  log(`[${name}] TLS certificate issued by the lab CA; trust ${caFile} (e.g. curl --cacert ${caFile})`);
  return { key: keyPem, cert: certPem };
}

type IssueServerCertificate = (opts: { hostnames: string[]; ips: string[]; now: number }) => {
  certPem: string;
  keyPem: string;
};
