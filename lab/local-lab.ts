/** The lab in this process (lab.ts has the interface): devices on one environment, events read from them. */
import { udiString } from '#protocol';
import {
  createDevice,
  createDeviceEnvironment,
  MemoryBackend,
  type DeviceEnvironment,
  type DeviceEnvironmentOptions,
  type DeviceEvent,
  type StorageBackend,
  type VirtualDevice,
} from '#devices';
import type { LabClock } from './clock/index.ts';
import type { ExchangeCounts, ExchangeObserver, MeteredTransport } from './exchange-meter.ts';
import type { InProcessCloud } from './in-process-cloud.ts';
import type { DeviceSelector, DeviceSpec, EventQuery, Lab, LabOptions } from './lab.ts';
import type { LabCloud } from './lab-cloud.ts';
import type { LabCslu } from './lab-cslu.ts';
import type { LabOnPrem } from './lab-onprem.ts';

type Listener = (event: DeviceEvent) => void;

export interface LocalLabParts {
  clock: LabClock;
  /** The lab made the clock: it disposes of it at close. */
  ownsClock: boolean;
  cloud: LabCloud;
  inProcess?: InProcessCloud;
  environment: Omit<DeviceEnvironmentOptions, 'clock'>;
  /** Device requests to the cloud, counted and observed (a stand-in cloud counts none). */
  metered: Pick<MeteredTransport, 'counts' | 'observe'>;
  options: LabOptions;
  close: () => Promise<void>;
  /** The lab's CSLU and On-Prem, when it has them. */
  cslu?: LabCslu | undefined;
  onprem?: LabOnPrem | undefined;
}

function matches(d: VirtualDevice, selector: DeviceSelector): boolean {
  if (typeof selector === 'function') return selector(d);
  return (
    (selector.pid === undefined || d.platform.pid === selector.pid) &&
    (selector.hostname === undefined || d.hostname === selector.hostname) &&
    (selector.udi === undefined || udiString(d.udi) === selector.udi) &&
    (selector.family === undefined || d.platform.family === selector.family)
  );
}

export class LocalLab implements Lab {
  readonly clock: LabClock;
  readonly cloud: LabCloud;
  /** The cloud's service and HTTP app when it runs in this process (to serve it, or look inside). */
  readonly inProcess: InProcessCloud | undefined;
  /** The lab's CSLU (`cslu:` of a topology): its product instances, reports, export and import. */
  readonly cslu: LabCslu | undefined;
  /** The lab's SSM On-Prem (`onprem` of createLab): its licensing server and its relays. */
  readonly onprem: LabOnPrem | undefined;
  readonly exchanges: ExchangeCounts;
  readonly #environment: DeviceEnvironment;
  readonly #parts: LocalLabParts;
  readonly #storage: StorageBackend | undefined;
  readonly #devices: VirtualDevice[] = [];
  readonly #listeners = new Set<Listener>();
  #serial = 0;
  #closed = false;

  constructor(parts: LocalLabParts) {
    this.#parts = parts;
    this.clock = parts.clock;
    this.cloud = parts.cloud;
    this.inProcess = parts.inProcess;
    this.cslu = parts.cslu;
    this.onprem = parts.onprem;
    this.exchanges = parts.metered.counts;
    const { syslog, traps, callHomeLogin } = parts.options;
    this.#environment = createDeviceEnvironment({
      clock: parts.clock,
      ...parts.environment,
      ...(callHomeLogin ? { callHomeLogin } : {}),
      ...(syslog ? { syslog } : {}),
      ...(traps ? { traps } : {}),
    });
    this.#storage = parts.options.storage;
  }

  device(spec: DeviceSpec = {}): VirtualDevice {
    // Serials follow the order devices are added, so a lab built the same way has the same UDIs.
    const serial = spec.sn === undefined && spec.serialSequence === undefined ? { serialSequence: ++this.#serial } : {};
    const onProblem = this.#parts.options.onProblem;
    const device = createDevice({
      pid: 'C9300-24P',
      // A shared backend keys records by serial number; without one each device keeps its own, in memory.
      storage: this.#storage ?? new MemoryBackend(),
      ...(onProblem ? { onProblem } : {}),
      ...serial,
      ...spec,
      sinks: [...this.#listeners, ...(spec.sinks ?? [])],
      environment: this.#environment,
    });
    this.#devices.push(device);
    return device;
  }

  devices(selector?: DeviceSelector): VirtualDevice[] {
    return selector === undefined ? [...this.#devices] : this.#devices.filter((d) => matches(d, selector));
  }

  events(query: EventQuery = {}): DeviceEvent[] {
    const { device, from = -Infinity, to = Infinity, mnemonic } = query;
    const wanted =
      device === undefined
        ? this.#devices
        : this.#devices.filter((d) => d === device || d.hostname === device || udiString(d.udi) === device);
    const found = wanted.flatMap((d, i) =>
      d
        .events()
        .filter(
          (e) => e.labTime >= from && e.labTime <= to && (mnemonic === undefined || e.syslog.mnemonic === mnemonic),
        )
        .map((e) => ({ e, i })),
    );
    // Lab time, then the order devices were added, then each device's own sequence.
    found.sort((a, b) => a.e.labTime - b.e.labTime || a.i - b.i || a.e.seq - b.e.seq);
    return found.map(({ e }) => e);
  }

  /** Calls `observer` with every device exchange from now on (operation, outcome, host ms); returns the removal. */
  onExchange(observer: ExchangeObserver): () => void {
    const remove = this.#parts.metered.observe(observer);
    return () => void remove();
  }

  onEvent(listener: Listener): () => void {
    this.#listeners.add(listener);
    for (const d of this.#devices) d.log.addSink(listener);
    return () => {
      this.#listeners.delete(listener);
      for (const d of this.#devices) d.log.removeSink(listener);
    };
  }

  settled(): Promise<void> {
    return this.clock.settled();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const d of this.#devices) d.stop();
    try {
      await this.#parts.close();
    } finally {
      if (this.#parts.ownsClock) this.clock.dispose();
    }
  }
}
