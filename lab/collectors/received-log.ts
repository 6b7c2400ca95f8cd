/**
 * What a collector received: the last `keep` items in a ring (a full buffer costs nothing per item, where
 * trimming an array would move a million entries for every message), and listeners told of each one. A
 * failing listener is its own problem: the collector and the other listeners go on.
 */
export class ReceivedLog<T> {
  readonly #keep: number;
  readonly #items: T[] = [];
  /** Once full, the oldest slot and the next to overwrite. */
  #head = 0;
  readonly #listeners = new Set<(item: T) => void>();

  constructor(keep: number) {
    this.#keep = keep;
  }

  add(item: T): void {
    if (this.#items.length < this.#keep) this.#items.push(item);
    else {
      this.#items[this.#head] = item;
      this.#head = (this.#head + 1) % this.#keep;
    }
    for (const listener of this.#listeners) {
      try {
        listener(item);
      } catch {
        // The listener's problem, not the collector's.
      }
    }
  }

  /** Kept items that pass `test`, oldest first. */
  filter(test: (item: T) => boolean): T[] {
    const items = this.#items;
    return [...items.slice(this.#head), ...items.slice(0, this.#head)].filter(test);
  }

  listen(listener: (item: T) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }
}
