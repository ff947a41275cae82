/**
 * The layout of DESIGN.md, checked: every folder of src/ imports only from itself and from folders
 * below it in the pipeline, and no module imports itself back through a chain of imports.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'src');

/** Top to bottom; a folder may import from folders to its right only (same rank: neither). */
const LAYERS: readonly (readonly string[])[] = [
  ['cli', 'demo'],
  ['dev'],
  ['config'],
  ['link'],
  ['report', 'fix'],
  ['rules'],
  ['collect'],
  ['cookies'],
  ['model', 'tls', 'version.ts'],
];
const rank = (top: string) => LAYERS.findIndex((l) => l.includes(top));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return sources(p);
    return n.endsWith('.ts') ? [p] : [];
  });
}

/** Static relative imports and re-exports (`import type` included: a type arrow is an arrow too). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)) {
    out.push(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
  }
  return out;
}

const files = sources(src);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const topOf = (f: string) => relative(src, f).split('/')[0]!;

test('every folder of src/ is in the layer list', () => {
  for (const f of files) assert.notEqual(rank(topOf(f)), -1, `${relative(src, f)}: add its folder to LAYERS`);
});

test('imports point down the pipeline: collectors never reach rules, config and dev never reach cli', () => {
  const wrong: string[] = [];
  for (const [f, deps] of graph) {
    for (const d of deps) {
      const a = topOf(f);
      const b = topOf(d);
      if (a !== b && rank(b) <= rank(a)) wrong.push(`${relative(src, f)} -> ${relative(src, d)}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('no import cycles', () => {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (f: string, path: string[]) => {
    state.set(f, 'open');
    for (const d of graph.get(f) ?? []) {
      if (!graph.has(d)) continue;
      if (state.get(d) === 'open') {
        cycles.push([...path.slice(path.indexOf(d)), d].map((p) => relative(src, p)).join(' -> '));
      } else if (state.get(d) === undefined) visit(d, [...path, d]);
    }
    state.set(f, 'done');
  };
  for (const f of files) if (state.get(f) === undefined) visit(f, [f]);
  assert.deepEqual(cycles, []);
});
