/**
 * Test harness for the PHP extractors and resolvers: builds ProjectFacts from in-memory files the
 * way the engine does (picomatch on `files`, case-insensitive `keywords`, then `extract`), with the
 * engine's common extractors (.env files, composer.json / composer.lock) and ours, in one thread.
 * End-to-end tests (discovery, workers, rules) go through collectCode() in fixtures.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import type { CodeFact, FileFacts, ProjectFacts } from '../../src/collect/code/types.js';
import * as common from '../../src/collect/code/common/index.js';
import { extractors, resolvers } from '../../src/collect/code/php/index.js';
import type { Observation } from '../../src/model/observation.js';

export type Files = Record<string, string>;

const TEST_DIR = /(^|\/)(tests?|fixtures?|__tests__|spec)\//;

export function extractFile(file: string, text: string): CodeFact[] {
  const facts: CodeFact[] = [];
  const lower = text.toLowerCase();
  for (const ex of [...common.extractors, ...extractors]) {
    if (!ex.files.some((p) => picomatch(p, { dot: false })(file))) continue;
    if (ex.keywords.length && !ex.keywords.some((k) => lower.includes(k.toLowerCase()))) continue;
    facts.push(...ex.extract({ file, absPath: '/' + file, text }));
  }
  return facts;
}

export function projectOf(files: Files, root = '/virtual'): ProjectFacts {
  const ffs: FileFacts[] = Object.entries(files).map(([file, text]) => ({
    file,
    language: file.endsWith('.php') ? 'php' : 'config',
    facts: extractFile(file, text),
    inTestCode: TEST_DIR.test(file),
  }));
  return {
    root,
    files: ffs,
    all() {
      return ffs.flatMap((f) => f.facts.map((fact) => ({ file: f, fact })));
    },
  };
}

export function readTree(dir: string): Files {
  const out: Files = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split(sep).join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

export function resolveAll(files: Files): Observation[] {
  const p = projectOf(files);
  return resolvers.flatMap((r) => r.resolve(p));
}

export function cookies(obs: Observation[]): Extract<Observation, { kind: 'cookie' }>[] {
  return obs.filter((o): o is Extract<Observation, { kind: 'cookie' }> => o.kind === 'cookie');
}
