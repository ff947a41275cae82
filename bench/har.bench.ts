/**
 * `cookieguard har` on large files: a ~100 MB HAR (100 entries with 1 MiB bodies) and one with
 * 100 000 small entries (~54 MB, every tenth sets a cookie). Each side runs in a fresh process, so
 * its peak memory (VmHWM) is its own:
 *
 * - har: collectHar + runRules (the streamed reader, observations, rules);
 * - baseline: readFileSync + JSON.parse of the same file (what reading it whole would cost), and
 *   nothing else.
 *
 * Printed: wall time and peak RSS of each, and their ratios. The streamed reader is expected to be
 * slower than the native JSON.parse (it tokenises in JavaScript) and to use far less memory on large
 * bodies. BENCH_ROUNDS (default 3) runs of each side; medians.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateHar } from '../test/har/generate.js';

const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const self = fileURLToPath(import.meta.url);

async function child(mode: string, file: string): Promise<void> {
  const t = performance.now();
  let summary: string;
  if (mode === 'har') {
    const { collectHar } = await import('../src/collect/har/index.js');
    const { runRules } = await import('../src/rules/index.js');
    const r = await collectHar([file], { maxBytes: 4 * 1024 ** 3 });
    const findings = runRules(r.observations);
    summary = `${r.entries} entries, ${findings.length} findings`;
  } else {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { log: { entries: unknown[] } };
    summary = `${parsed.log.entries.length} entries`;
  }
  const ms = performance.now() - t;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0';
  process.stdout.write(JSON.stringify({ ms, peakKb: Number(hwm), summary }) + '\n');
}

function run(mode: string, file: string): { ms: number; peakKb: number; summary: string } {
  const r = spawnSync(process.execPath, [self, '--child', mode, file], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr.slice(0, 500)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; peakKb: number; summary: string };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cookieguard-har-bench-'));
  try {
    const cases = [
      { name: '100 MB (100 entries with 1 MiB bodies)', entries: 100, bodyBytes: 1024 * 1024 },
      { name: '100k small entries', entries: 100_000, bodyBytes: 0 },
    ];
    for (const c of cases) {
      const file = join(dir, 'bench.har');
      const bytes = await generateHar(file, { entries: c.entries, bodyBytes: c.bodyBytes });
      const har: { ms: number; peakKb: number; summary: string }[] = [];
      const base: { ms: number; peakKb: number; summary: string }[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        har.push(run('har', file));
        base.push(run('baseline', file));
      }
      const h = { ms: median(har.map((x) => x.ms)), mb: median(har.map((x) => x.peakKb)) / 1024 };
      const b = { ms: median(base.map((x) => x.ms)), mb: median(base.map((x) => x.peakKb)) / 1024 };
      console.log(`${c.name}: ${(bytes / 1024 ** 2).toFixed(1)} MiB, ${har[0]!.summary}`);
      console.log(`  har       ${h.ms.toFixed(0)} ms, peak RSS ${h.mb.toFixed(0)} MiB`);
      console.log(`  JSON.parse ${b.ms.toFixed(0)} ms, peak RSS ${b.mb.toFixed(0)} MiB`);
      console.log(`  ratio     time ${(h.ms / b.ms).toFixed(2)}x, memory ${(h.mb / b.mb).toFixed(2)}x`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!);
else await main();
