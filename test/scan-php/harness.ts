/**
 * Test harness for the PHP extractors and resolvers: builds ProjectFacts from in-memory files or a
 * fixture directory the way the engine does (picomatch on `files`, case-insensitive `keywords`,
 * then `extract`). The engine's common extractors (.env files, composer.json / composer.lock) are
 * stood in for here with dotenv and JSON.parse, only so that the resolvers can be tested before
 * the engine lands; end-to-end tests go through collectCode().
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import dotenv from 'dotenv';
import picomatch from 'picomatch';
import type { CodeFact, FileFacts, ProjectFacts } from '../../src/collect/code/types.js';
import { extractors, resolvers } from '../../src/collect/code/php/index.js';
import type { Observation } from '../../src/model/observation.js';

export type Files = Record<string, string>;

function commonFacts(file: string, text: string): CodeFact[] {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const location = { file, line: 1, column: 1 };
  if (base === '.env' || base.startsWith('.env.')) {
    const environment = base === '.env' ? 'default' : base.slice(5);
    return [{ type: 'env-file', environment, variables: dotenv.parse(text), location }];
  }
  if (base === 'composer.lock') {
    const j = JSON.parse(text) as { packages?: { name: string; version: string }[] };
    return (j.packages ?? []).map(
      (p) =>
        ({
          type: 'dependency',
          ecosystem: 'composer',
          name: p.name,
          version: p.version,
          location,
        }) as CodeFact,
    );
  }
  if (base === 'composer.json') {
    const j = JSON.parse(text) as { require?: Record<string, string> };
    const lines = text.split('\n');
    return Object.entries(j.require ?? {}).map(([name, version]) => {
      const line = lines.findIndex((l) => l.includes(`"${name}"`)) + 1;
      return {
        type: 'dependency',
        ecosystem: 'composer',
        name,
        version,
        location: { file, line: line || 1, column: 1 },
      } as CodeFact;
    });
  }
  return [];
}

const TEST_DIR = /(^|\/)(tests?|fixtures?|__tests__|spec)\//;

export function extractFile(file: string, text: string): CodeFact[] {
  const facts: CodeFact[] = [...commonFacts(file, text)];
  const lower = text.toLowerCase();
  for (const ex of extractors) {
    if (!ex.files.some((p) => picomatch(p, { dot: false })(file))) continue;
    if (!ex.keywords.some((k) => lower.includes(k.toLowerCase()))) continue;
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
