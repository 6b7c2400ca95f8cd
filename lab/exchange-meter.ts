/**
 * Counts what crosses to the cloud (every device request, and those that failed: no answer, or an HTTP
 * error status) and hands each exchange's operation, outcome and host-time latency to an observer (the
 * metrics), without the devices knowing.
 */
import type { CloudTransport } from '#devices';
import { devicePaths, type DeviceOperation } from '#protocol';
import { hostElapsedMs } from './clock/index.ts';

export interface ExchangeCounts {
  readonly sent: number;
  readonly failed: number;
}

/** `ok`, `http_<status>` for an error answer, or the transport failure's kind (`refused`, `timeout`, …). */
export type ExchangeObserver = (operation: DeviceOperation | 'other', outcome: string, ms: number) => void;

const operationOf = new Map<string, DeviceOperation>(
  Object.entries(devicePaths).map(([op, path]) => [path, op as DeviceOperation]),
);

export interface MeteredTransport {
  transport: CloudTransport;
  counts: ExchangeCounts;
  /** Adds an observer; returns its removal. */
  observe(observer: ExchangeObserver): () => void;
}

export function meteredTransport(transport: CloudTransport): MeteredTransport {
  const counts = { sent: 0, failed: 0 };
  const observers = new Set<ExchangeObserver>();
  return {
    counts,
    observe(observer) {
      observers.add(observer);
      return () => observers.delete(observer);
    },
    transport: {
      description: transport.description,
      close: () => transport.close(),
      async send(req) {
        counts.sent++;
        const began = hostElapsedMs();
        const result = await transport.send(req);
        const outcome = !result.ok ? result.failure.kind : result.status >= 400 ? `http_${result.status}` : 'ok';
        if (outcome !== 'ok') counts.failed++;
        if (observers.size > 0) {
          const operation = operationOf.get(req.path.split('?')[0]!) ?? 'other';
          const ms = hostElapsedMs() - began;
          // An observer that throws (a broken metrics sink) must not fail the device's exchange.
          for (const observer of observers) {
            try {
              observer(operation, outcome, ms);
            } catch {
              observers.delete(observer);
            }
          }
        }
        return result;
      },
    },
  };
}
