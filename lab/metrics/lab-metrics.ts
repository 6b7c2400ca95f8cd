/**
 * The lab's Prometheus metrics (prom-client): devices by licensing state, kind and site (read from the
 * fleet when scraped, so nothing is kept twice), device exchanges by operation and outcome with their
 * latency, the faults active, and the messages devices emitted. One registry per lab, so two labs in a
 * process never mix.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ExchangeObserver } from '../exchange-meter.ts';
import type { FleetSnapshot } from '../fleet/fleet-summary.ts';

export interface LabMetrics {
  readonly registry: Registry;
  readonly exchange: ExchangeObserver;
  /** Counts messages devices emitted: `syslog` lines, `traps` of them with an SNMP notification. */
  readonly messages: (syslog: number, traps: number) => void;
  /** The Prometheus text exposition of every metric. */
  scrape(): Promise<string>;
}

/** Latency buckets in seconds: an in-process answer takes well under a millisecond, a remote one tens of ms. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createLabMetrics(snapshot: () => FleetSnapshot): LabMetrics {
  const registry = new Registry();
  const devices = new Gauge({
    name: 'license_lab_devices',
    help: 'Devices by licensing state (as show license status names it), kind and site',
    labelNames: ['state', 'kind', 'site'] as const,
    registers: [registry],
    collect() {
      devices.reset();
      for (const row of snapshot().rows)
        for (const [state, n] of Object.entries(row.counts)) devices.set({ state, kind: row.kind, site: row.site }, n);
    },
  });
  const virtualTime = new Gauge({
    name: 'license_lab_virtual_time_seconds',
    help: 'The lab clock, in epoch seconds',
    registers: [registry],
    collect() {
      virtualTime.set(snapshot().labTime / 1000);
    },
  });
  const faults = new Gauge({
    name: 'license_lab_faults_active',
    help: 'Lab faults active now (lab fault list)',
    registers: [registry],
    collect() {
      faults.set(snapshot().faultsActive);
    },
  });
  const exchanges = new Counter({
    name: 'license_lab_exchanges_total',
    help: 'Device requests to the cloud by operation and outcome (ok, http_<status>, or the transport failure)',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'license_lab_exchange_duration_seconds',
    help: 'Real time from a device request to its answer, by operation',
    labelNames: ['operation'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  const messages = new Counter({
    name: 'license_lab_messages_total',
    help: 'Messages devices emitted, by kind (syslog; trap when the message has an SNMP notification)',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  return {
    registry,
    exchange(operation, outcome, ms) {
      exchanges.inc({ operation, outcome });
      latency.observe({ operation }, ms / 1000);
    },
    messages(syslog, traps) {
      messages.inc({ kind: 'syslog' }, syslog);
      if (traps > 0) messages.inc({ kind: 'trap' }, traps);
    },
    scrape: () => registry.metrics(),
  };
}
