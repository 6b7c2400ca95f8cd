/**
 * The `storage` benchmark suite: how fast a fleet saves its trusted storage. Encodes and writes
 * BENCH_RECORDS records (default 10,000) of about 1,500 bytes on every backend, one commit per write and
 * (SQLite) all in one transaction, then reads them back. Writes bench/results/storage.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeRecord,
  DirectoryBackend,
  encodeRecord,
  MemoryBackend,
  SqliteBackend,
  type StorageBackend,
} from '#devices';
import { machine, writeResults } from './write-results.ts';

interface ThroughputFigure {
  backend: string;
  mode: 'single writes' | 'one transaction' | 'reads + decode';
  records: number;
  perSecond: number;
}

const serial = (n: number) => `FOC2041X${String(n).padStart(5, '0')}`;

/** A smart-licensing-like payload whose encoded record is about `bytes` long. */
function payload(n: number, bytes: number): unknown {
  const base = {
    enabled: true,
    evalUsedMs: n,
    auth: { status: 'authorized', since: n, answers: [] },
    certificatePem: '',
  };
  const overhead = encodeRecord({ kind: 'smart', version: 1, savedAt: n, payload: base }).length;
  return { ...base, certificatePem: 'M'.repeat(Math.max(0, bytes - overhead)) };
}

function rate(records: number, work: () => void): number {
  const start = performance.now();
  work();
  return Math.round(records / ((performance.now() - start) / 1000));
}

function measureStorageThroughput(records: number, recordBytes = 1_500): ThroughputFigure[] {
  const root = mkdtempSync(join(tmpdir(), 'storage-throughput-'));
  const payloads = Array.from({ length: records }, (_, n) => payload(n, recordBytes));
  const saveAll = (backend: StorageBackend) => () => {
    for (let n = 0; n < records; n++)
      backend.write(serial(n), encodeRecord({ kind: 'smart', version: 1, savedAt: n, payload: payloads[n] }));
  };
  const readAll = (backend: StorageBackend) => () => {
    for (let n = 0; n < records; n++)
      if (!decodeRecord(backend.read(serial(n)), { kind: 'smart', maxVersion: 1 }).ok)
        throw new Error(`record ${serial(n)} did not read back`);
  };
  const figures: ThroughputFigure[] = [];
  const add = (backend: string, mode: ThroughputFigure['mode'], work: () => void) =>
    figures.push({ backend, mode, records, perSecond: rate(records, work) });
  try {
    saveAll(new MemoryBackend())(); // warm-up: the first backend measured would pay for the JIT
    const memory = new MemoryBackend();
    add('memory', 'single writes', saveAll(memory));
    add('memory', 'reads + decode', readAll(memory));
    const directory = new DirectoryBackend(join(root, 'records'));
    add('directory', 'single writes', saveAll(directory));
    add('directory', 'reads + decode', readAll(directory));
    const single = new SqliteBackend(join(root, 'single.db'));
    add('sqlite', 'single writes', saveAll(single));
    add('sqlite', 'reads + decode', readAll(single));
    const batched = new SqliteBackend(join(root, 'batched.db'));
    add('sqlite', 'one transaction', () => batched.transaction(saveAll(batched)));
    for (const backend of [memory, directory, single, batched]) backend.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return figures;
}

const arg = process.env.BENCH_RECORDS ?? '10000';
const records = Number(arg);
if (!Number.isSafeInteger(records) || records < 1) {
  console.error(`[bench] BENCH_RECORDS: expected a whole number of at least 1, got '${arg}'`);
  process.exit(2);
}
const started = new Date();
console.error(`[bench] storage: ${records} records per backend`);
writeResults('storage', started, {
  benchmark: 'storage',
  at: started.toISOString(),
  machine: machine(),
  figures: measureStorageThroughput(records),
});
