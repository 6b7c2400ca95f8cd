/** Where benchmark figures go: bench/results/<suite>-<time>.json and <suite>.json, next to this file. */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: os.loadavg()[0],
  };
}

export function writeResults(suite: string, started: Date, results: object): void {
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(results, null, 2);
  writeFileSync(new URL(`${suite}-${started.toISOString().replace(/[:.]/g, '-')}.json`, dir), json);
  writeFileSync(new URL(`${suite}.json`, dir), json);
  console.log(json);
}
