/**
 * A cloud for fuzzing in this process (stepped clock, SQLite in memory, log lines kept) and the check
 * every one of its answers must pass.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import {
  applySeed,
  CloudService,
  createCloudApp,
  DROP,
  LAB_KEY_HEADER,
  SqliteStore,
  type CloudApp,
  type SeedDocument,
  type Store,
} from '#cloud';
import { LabClock } from '#lab';
import { errorCatalogue, headers as h, verifyBytes } from '#protocol';
import type { WireRequest, WireResponse } from './device.ts';
import { TEST_LAB_KEY } from './lab-key.ts';

/** One cloud in this process: stepped clock, SQLite in memory, every log line kept. */
export interface Lab {
  app: CloudApp;
  clock: LabClock;
  service: CloudService;
  caKey: KeyObject;
  logged: string[];
  send(req: WireRequest): Promise<WireResponse>;
  close(): Promise<void>;
}

/** On `store` when given (its owner closes it), else SQLite in memory. */
export async function newFuzzLab(
  seedDoc: SeedDocument,
  logged: string[] = [],
  store: Store = SqliteStore.open({ path: ':memory:' }),
): Promise<Lab> {
  const clock = LabClock.create({ mode: 'stepped' });
  // Cheap secret hashes and no rate limit: the fuzzer wants many requests to reach the domain.
  const service = await CloudService.open({ store, clock, policy: { secretHashCost: 1024 } });
  const app = createCloudApp({
    service,
    clock,
    clockControl: clock,
    labKey: TEST_LAB_KEY,
    log: (line) => logged.push(line),
    rateLimit: null,
  });
  await applySeed(service, seedDoc);
  return {
    app,
    clock,
    service,
    logged,
    caKey: new X509Certificate(service.ca.certPem).publicKey,
    /** The in-process transport: the same LabRequest the HTTP server would build. */
    async send(req) {
      const [path, query = ''] = req.path.split(/\?(.*)/s);
      const res = await app.handle({
        method: req.method,
        path: path!,
        query: new URLSearchParams(query),
        headers: { [LAB_KEY_HEADER]: TEST_LAB_KEY.value, ...req.headers },
        body: req.body ?? Buffer.alloc(0),
      });
      if (res === DROP) throw new Error('dropped: no fault rule was set, so nothing may drop');
      return res;
    },
    async close() {
      clock.dispose();
      await service.store.close();
    },
  };
}

/**
 * The catalogue error in any of the cloud's envelopes: `{error: {code, message}}` (device, lab), with
 * `status: "ERROR"` and the same `statusMessage` (management), or RFC 6749's `{error, error_description, code}`
 * (OAuth2).
 */
export function catalogueError(body: Record<string, any>): { code: unknown; message: unknown } | string {
  if (typeof body.error === 'string') return { code: body.code, message: body.error_description };
  // swapi's SLP envelope (cssm-api.md §1.3.11): FAILED, its message and code beside the catalogue error.
  if (body.status === 'FAILED') {
    if (body.message !== body.error?.message || body.message_code !== body.error?.code)
      return `status FAILED / message ${body.message} / message_code ${body.message_code} beside the error`;
  } else if (body.status !== undefined && (body.status !== 'ERROR' || body.statusMessage !== body.error?.message))
    return `status ${body.status} / statusMessage ${body.statusMessage} beside the error`;
  return { code: body.error?.code, message: body.error?.message };
}

/** Every answer: signed JSON; errors carry a catalogue code with its status; no 5xx. Returns a problem or undefined. */
export function answerProblem(
  res: WireResponse,
  method: string,
  on: Lab,
  codes: Map<string, number>,
): string | undefined {
  if (res.status >= 500) return `status ${res.status}`;
  if (res.headers[h.keyId] !== on.service.ca.keyId) return `key id ${res.headers[h.keyId]}`;
  // A HEAD answer has no body; its signature covers the body a GET would have had.
  if (method === 'HEAD' && res.body.length === 0) return undefined;
  if (!verifyBytes(res.body, res.headers[h.signature] ?? '', on.caKey)) return 'signature does not verify';
  // The one HTML answer: the /docs page (a 200; its errors are JSON like every other route's).
  const html = res.status === 200 && /^text\/html/.test(res.headers['content-type'] ?? '');
  if (!html && !/^application\/json/.test(res.headers['content-type'] ?? ''))
    return `content-type ${res.headers['content-type']}`;
  if (html) return undefined;
  let body: Record<string, any>;
  try {
    body = JSON.parse(res.body.toString('utf8')) as typeof body;
  } catch {
    return 'body is not JSON';
  }
  if (res.status < 400) return undefined;
  const error = catalogueError(body);
  if (typeof error === 'string') return error;
  const code = error.code;
  if (typeof code !== 'string' || !(code in errorCatalogue))
    return `error code ${String(code)} is not in the catalogue`;
  codes.set(code, (codes.get(code) ?? 0) + 1);
  if (typeof error.message !== 'string' || error.message.length === 0) return 'error without a message';
  if (code === 'RATE_LIMITED' && !/^[1-9][0-9]*$/.test(res.headers['retry-after'] ?? ''))
    return `429 without a Retry-After in seconds (${res.headers['retry-after']})`;
  if (errorCatalogue[code as keyof typeof errorCatalogue].status !== res.status)
    return `${code} answered ${res.status}, the catalogue says ${errorCatalogue[code as keyof typeof errorCatalogue].status}`;
  return undefined;
}
