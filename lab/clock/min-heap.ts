/**
 * Binary min-heap ordered by (due, seq): earliest due time first, and among equal due times the entry pushed
 * first (lower seq). That tie rule is what makes two timers armed for the same instant fire in the order
 * they were armed, run after run.
 *
 * Cancelling is lazy: `delete()` only marks the entry dead, and dead entries are dropped when they reach
 * the top. A fleet re-arms thousands of timers (every renewal cancels the previous one), so a sift-based
 * removal would need an index map kept in step with every swap; marking is O(1) and the heap is rebuilt
 * once dead entries outnumber live ones.
 */
export interface HeapEntry {
  readonly due: number;
  readonly seq: number;
  /** Set by `delete()`; owned by the heap. */
  dead?: boolean;
}

/** Below this many entries a heap full of dead ones costs nothing worth a rebuild. */
const COMPACT_MIN_SIZE = 1024;

const before = (a: HeapEntry, b: HeapEntry): boolean => a.due < b.due || (a.due === b.due && a.seq < b.seq);

export class MinHeap<T extends HeapEntry> {
  #items: T[] = [];
  #dead = 0;

  /** Live entries. */
  get size(): number {
    return this.#items.length - this.#dead;
  }

  push(entry: T): void {
    entry.dead = false;
    this.#items.push(entry);
    this.#siftUp(this.#items.length - 1);
  }

  /** The live entry with the smallest (due, seq), left in place. */
  peek(): T | undefined {
    this.#dropDeadTop();
    return this.#items[0];
  }

  pop(): T | undefined {
    this.#dropDeadTop();
    return this.#removeTop();
  }

  /** Marks `entry` (which must be in this heap) as cancelled. Deleting twice is harmless. */
  delete(entry: T): void {
    if (entry.dead) return;
    entry.dead = true;
    this.#dead++;
    if (this.#items.length > COMPACT_MIN_SIZE && this.#dead * 2 > this.#items.length) this.#compact();
  }

  clear(): void {
    for (const entry of this.#items) entry.dead = true;
    this.#items = [];
    this.#dead = 0;
  }

  #dropDeadTop(): void {
    while (this.#items[0]?.dead) {
      this.#removeTop();
      this.#dead--;
    }
  }

  #removeTop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top !== undefined && last !== undefined && items.length > 0) {
      items[0] = last;
      this.#siftDown(0);
    }
    return top;
  }

  /** Drops every dead entry and re-heapifies bottom-up (O(n)). */
  #compact(): void {
    this.#items = this.#items.filter((entry) => !entry.dead);
    this.#dead = 0;
    for (let i = (this.#items.length >> 1) - 1; i >= 0; i--) this.#siftDown(i);
  }

  #siftUp(i: number): void {
    const items = this.#items;
    const entry = items[i] as T;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (!before(entry, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = entry;
  }

  #siftDown(i: number): void {
    const items = this.#items;
    const n = items.length;
    const entry = items[i] as T;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(items[right] as T, items[left] as T) ? right : left;
      const c = items[child] as T;
      if (!before(c, entry)) break;
      items[i] = c;
      i = child;
    }
    items[i] = entry;
  }
}
