#!/usr/bin/env node
// Runs the compiled test files (dist/test/**/*.test.js) with Node's test runner.
// Usage: node scripts/run-tests.js [substring ...]   (only files whose path contains a substring)
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

const root = join(import.meta.dirname, '..', 'dist', 'test');
if (!existsSync(root)) {
  console.error('run-tests: dist/test does not exist; run `npm run build` first');
  process.exit(2);
}
function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}
const filters = process.argv.slice(2);
const sources = join(import.meta.dirname, '..');
// A compiled test whose TypeScript source is gone (renamed or deleted) is stale: never run it.
const hasSource = (f) =>
  existsSync(join(sources, f.slice(join(sources, 'dist').length + 1).replace(/\.js$/, '.ts')));
const files = walk(root)
  .filter(hasSource)
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(2);
}
const concurrency = Math.max(2, availableParallelism());
const r = spawnSync(
  process.execPath,
  ['--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', ...files],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
