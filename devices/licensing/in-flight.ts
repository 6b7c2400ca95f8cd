/**
 * Counts the agent's exchanges with the cloud, so a caller can wait for them to finish (a piped console
 * powering off, a lab shutting down) without knowing the machine.
 */
import type { SmartCloud } from './smart-context.ts';

export class InFlight {
  readonly #pending = new Set<Promise<unknown>>();

  wrap(cloud: SmartCloud): SmartCloud {
    const track = <T>(work: Promise<T>): Promise<T> => {
      this.#pending.add(work);
      const done = (): void => void this.#pending.delete(work);
      work.then(done, done);
      return work;
    };
    return {
      register: (p) => track(cloud.register(p)),
      authorize: (id, e) => track(cloud.authorize(id, e)),
      renewId: (id) => track(cloud.renewId(id)),
      deregister: (id) => track(cloud.deregister(id)),
      reportUsage: (id, e) => track(cloud.reportUsage(id, e)),
    };
  }

  /** Resolves once nothing is in flight, including exchanges that an answer started (registration → authorization). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) {
      await Promise.allSettled([...this.#pending]);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
