/**
 * The device protocol without sockets: the same request and response bytes handed to the cloud as a
 * function (cloud-mock's `CloudApp.handle`, passed in by the lab as `(r) => app.handle(r)`), for
 * virtual-time runs of whole fleets. No timers here and no clock.track(): the lab owns that policy.
 */
import type { DeviceRequest } from '#protocol';
import { answered, type CloudTransport, type TransportResult } from './transport.ts';

/** Structurally cloud-mock's LabRequest -> LabResult; devices may not import the cloud. */
export type InProcessHandler = (req: {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: Buffer;
}) => Promise<unknown>;

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer;
}

function isAnswer(value: unknown): value is Answer {
  return typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'number';
}

function lowerCased(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = String(value);
  return out;
}

export function createInProcessTransport(handler: InProcessHandler): CloudTransport {
  return {
    description: 'in-process',
    async send(req: DeviceRequest): Promise<TransportResult> {
      const q = req.path.indexOf('?');
      let result: unknown;
      try {
        result = await handler({
          method: req.method,
          path: q < 0 ? req.path : req.path.slice(0, q),
          query: new URLSearchParams(q < 0 ? '' : req.path.slice(q + 1)),
          // What node:http would add on the wire, so the cloud sees the same request either way.
          headers: { ...lowerCased(req.headers), 'content-length': String(req.body.length) },
          body: req.body,
        });
      } catch (err) {
        return { ok: false, failure: { kind: 'reset', detail: `the in-process cloud threw: ${String(err)}` } };
      }
      // Anything but an answer (cloud-mock's DROP symbol) is an exchange dropped without a reply.
      if (!isAnswer(result))
        return { ok: false, failure: { kind: 'reset', detail: 'the in-process cloud dropped the exchange' } };
      const body = Buffer.isBuffer(result.body) ? result.body : Buffer.alloc(0);
      return answered(result.status, lowerCased(result.headers), body);
    },
    async close() {},
  };
}
