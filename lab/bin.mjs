#!/usr/bin/env node
// `lab` entry for npx: re-runs lab/cli.ts on the Node 24 the project pins (type stripping), whatever Node called us.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
let node = process.execPath;
try {
  node = require.resolve('node/bin/node');
} catch {
  // No pinned Node installed: use the current one and let it report what it cannot do.
}
const { status, signal } = spawnSync(node, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
if (signal) process.kill(process.pid, signal);
process.exit(status ?? 1);
