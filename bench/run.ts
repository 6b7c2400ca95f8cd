/**
 * `npm run bench` / `lab bench`: every benchmark suite, one after another (BENCH_SUITES=cloud,devices
 * picks some). Each writes bench/results/<suite>.json.
 */
const SUITES = {
  cloud: './cloud-bench.ts',
  devices: './devices-bench.ts',
  slp: './slp-bench.ts',
  storage: './storage-bench.ts',
  wire: './wire-bench.ts',
} as const;
const wanted = (process.env.BENCH_SUITES ?? Object.keys(SUITES).join(',')).split(',').map((s) => s.trim());
for (const name of wanted) {
  if (!(name in SUITES)) {
    console.error(`[bench] unknown suite "${name}"; valid suites: ${Object.keys(SUITES).join(', ')}`);
    process.exit(2);
  }
}
for (const name of wanted) await import(SUITES[name as keyof typeof SUITES]);
