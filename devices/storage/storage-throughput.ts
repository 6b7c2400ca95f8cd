/**
 * How fast a fleet saves: encodes and writes `records` records of about `recordBytes` each on every
 * backend, one commit per write and (SQLite) all in one transaction, then reads them back. Figures are
 * reported, never asserted (this machine's disk decides). Run it: `node devices/storage/storage-throughput.ts
 * [records]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryBackend } from './directory-backend.ts';
import { MemoryBackend } from './memory-backend.ts';
import { SqliteBackend } from './sqlite-backend.ts';
import type { StorageBackend } from './storage-backend.ts';
import { decodeRecord, encodeRecord } from './storage-codec.ts';

export interface ThroughputFigure {
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

export function measureStorageThroughput(records: number, recordBytes = 1_500): ThroughputFigure[] {
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

if (import.meta.main) {
  const arg = process.argv[2] ?? '10000';
  const records = Number(arg);
  if (!Number.isSafeInteger(records) || records < 1) {
    console.error(`records: expected a whole number of at least 1, got '${arg}'`);
    process.exitCode = 2;
  } else {
    for (const f of measureStorageThroughput(records))
      console.log(
        `${f.backend.padEnd(10)} ${f.mode.padEnd(16)} ${f.perSecond.toLocaleString('en-US').padStart(10)} records/s (${f.records.toLocaleString('en-US')} records)`,
      );
  }
}
