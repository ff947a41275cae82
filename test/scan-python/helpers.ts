/**
 * Helpers for the Python extractor and resolver tests: run the real extractors over snippets or
 * fixture directories and hand the facts to the real resolvers.
 *
 * `projectFromFiles` applies each extractor like the engine does (file pattern + keyword filter), with
 * the common deployment extractor (proxy evidence), and adds `.env*` variables as `env-file` facts
 * (dotenv parser) so that resolvers can be tested on their own; the whole pipeline (engine + rules) is
 * tested in pipeline.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import picomatch from 'picomatch';
import type {
  CodeFact,
  Extractor,
  FileFacts,
  ProjectFacts,
  SourceFile,
} from '../../src/collect/code/types.js';
import { deployExtractors } from '../../src/collect/code/common/deploy.js';
import { extractors, resolvers } from '../../src/collect/code/python/index.js';
import type { Observation } from '../../src/model/observation.js';

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/scan-python/', import.meta.url));

export function source(text: string, file = 'app.py'): SourceFile {
  return { file, absPath: `/virtual/${file}`, text };
}

/** Facts of one extractor on one snippet (no keyword filter: the table tests the parser). */
export function extract(ex: Extractor, text: string, file = 'app.py'): CodeFact[] {
  return ex.extract(source(text, file));
}

/** `other` facts of a key, with their data. */
export function dataOf<T = unknown>(facts: CodeFact[], key: string): T[] {
  return facts
    .filter((f) => f.type === 'other' && f.key === key)
    .map((f) => (f as { data: unknown }).data as T);
}

function isTestPath(file: string): boolean {
  return (
    file.split('/').some((p) => /^(tests?|__tests__|fixtures?|spec|testing)$/.test(p)) ||
    /(^|\/)(test_[^/]*|[^/]*_test)\.py$/.test(file) ||
    /(^|\/)conftest\.py$/.test(file)
  );
}

/** Environment names as the engine's common `.env*` extractor gives them (src/collect/code/types.ts). */
function envName(base: string): { name: string; template: boolean } | null {
  if (base === '.env') return { name: 'default', template: false };
  const m = /^\.env\.([^.]+)(\.local)?$/.exec(base);
  if (!m) return null;
  return { name: m[1]!, template: /^(example|dist|sample|template)$/.test(m[1]!) };
}

/** A project from in-memory files (path -> text). */
export function projectFromFiles(files: Record<string, string>, root = '/virtual'): ProjectFacts {
  const out: FileFacts[] = [];
  for (const [file, text] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const facts: CodeFact[] = [];
    const base = file.split('/').pop()!;
    const env = envName(base);
    if (env !== null) {
      facts.push({
        type: 'env-file',
        environment: env.name,
        variables: dotenv.parse(text),
        location: { file, line: 1, column: 1 },
        ...(env.template ? { template: true } : {}),
      });
    }
    const lower = text.toLowerCase();
    for (const ex of [...deployExtractors, ...extractors]) {
      if (!ex.files.some((g) => picomatch(g, { dot: true })(file))) continue;
      if (ex.keywords.length > 0 && !ex.keywords.some((k) => lower.includes(k.toLowerCase()))) continue;
      facts.push(...ex.extract({ file, absPath: join(root, file), text }));
    }
    out.push({
      file,
      language: file.endsWith('.py') ? 'python' : 'config',
      facts,
      inTestCode: isTestPath(file),
    });
  }
  return {
    root,
    files: out,
    all: () => out.flatMap((f) => f.facts.map((fact) => ({ file: f, fact }))),
  };
}

/** A project from a fixture directory under test/fixtures/scan-python/. */
export function projectFromFixture(name: string): ProjectFacts {
  const root = join(FIXTURES, name);
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else files[relative(root, p).split(sep).join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return projectFromFiles(files, root);
}

export function resolveAll(project: ProjectFacts): Observation[] {
  return resolvers.flatMap((r) => r.resolve(project));
}

export function cookies(obs: Observation[]) {
  return obs.filter((o) => o.kind === 'cookie');
}
