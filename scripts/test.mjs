#!/usr/bin/env node
// Runs every compiled test file with node's own runner. Node 20's `--test` takes no globs,
// so the files are listed here; pass paths or substrings to run a subset:
//   node scripts/test.mjs emulator oauth
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('../dist/test/', import.meta.url).pathname;
const filters = process.argv.slice(2);

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const files = walk(root)
  .filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`no test files matched ${filters.join(' ') || '(all)'} under ${root}`);
  process.exit(1);
}
const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-timeout=180000', ...files], {
  stdio: 'inherit',
});
// A file that never exits (an open handle) would hold CI for its whole 90 minutes; fail fast instead.
const limitMinutes = Number(process.env.TEST_WATCHDOG_MINUTES ?? 25);
const watchdog = setTimeout(() => {
  console.error(`test run exceeded ${limitMinutes} minutes: stopping it`);
  child.kill('SIGKILL');
}, limitMinutes * 60_000);
child.on('exit', (code, signal) => {
  clearTimeout(watchdog);
  process.exit(signal ? 1 : (code ?? 1));
});
