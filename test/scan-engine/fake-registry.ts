/**
 * A registry for testing the scan engine apart from the real extractors. It is a module (not only an
 * object) so worker threads can import it: `collectCode(paths, { registry: FAKE_REGISTRY })`.
 *
 * - `fake-js` (*.js, keyword `session`): parses with ast-grep, reports `session(...)` calls, and
 *   measures nesting depth with plain recursion (as a careless extractor would), so deeply nested
 *   code overflows the JavaScript stack inside it.
 * - `fake-py` (*.py, keyword `cookie`): reports one cookie-set fact per `set_cookie(` call.
 * - `trouble` (*.trouble): `throw` -> throws; `overflow` -> unbounded recursion; `exit` -> ends its worker thread (process.exit in a worker);
 *   `hang` -> loops forever in a worker; `oom` -> runs a worker out of heap; `resolver-boom` -> a fact
 *   that makes `boom-resolver` throw.
 * - the real common extractors (dotenv, manifest).
 * Resolvers: `echo` (one setting observation per session-enabled fact), `boom-resolver`.
 */
import { isMainThread } from 'node:worker_threads';
import { Lang, parse, type SgNode } from '@ast-grep/napi';
import { dotenvExtractor } from '../../src/collect/code/common/dotenv.js';
import { locationOf } from '../../src/collect/code/common/location.js';
import { manifestExtractor } from '../../src/collect/code/common/manifest.js';
import type { CodeFact, Extractor, Resolver } from '../../src/collect/code/types.js';
import type { Observation } from '../../src/model/observation.js';

function depth(node: SgNode): number {
  let d = 0;
  for (const c of node.children()) d = Math.max(d, depth(c));
  return d + 1;
}

const fakeJs: Extractor = {
  name: 'fake-js',
  files: ['**/*.js'],
  keywords: ['session'],
  extract(file) {
    const root = parse(Lang.JavaScript, file.text).root();
    const out: CodeFact[] = root.findAll('session($$$A)').map((n) => ({
      type: 'session-enabled',
      framework: 'express-session',
      location: locationOf(n, file.file),
      evidence: n.text().slice(0, 80),
    }));
    const d = depth(root);
    out.push({
      type: 'other',
      framework: 'test',
      key: 'depth',
      data: { depth: d, language: file.language },
      location: { file: file.file, line: 1, column: 1 },
      evidence: '',
    });
    return out;
  },
};

const fakePy: Extractor = {
  name: 'fake-py',
  files: ['**/*.py'],
  keywords: ['cookie'],
  extract(file) {
    const out: CodeFact[] = [];
    file.text.split('\n').forEach((line, i) => {
      const at = line.indexOf('set_cookie(');
      if (at !== -1) {
        out.push({
          type: 'cookie-set',
          framework: 'flask',
          name: null,
          options: {},
          setBy: 'server',
          location: { file: file.file, line: i + 1, column: at + 1 },
          evidence: line.trim(),
        });
      }
    });
    return out;
  },
};

function recurse(n: number): CodeFact {
  const f = recurse(n + 1);
  return n < 0 ? f : f;
}

const trouble: Extractor = {
  name: 'trouble',
  files: ['**/*.trouble'],
  keywords: ['throw', 'exit', 'hang', 'overflow', 'resolver-boom', 'fine', 'oom'],
  extract(file) {
    const t = file.text.trim();
    if (t === 'throw') throw new Error('this extractor broke');
    if (t === 'exit' && !isMainThread) process.exit(3);
    if (t === 'hang' && !isMainThread) for (;;);
    // Over a worker's heap limit (pool.ts: 64 MB of old generation), not over the main thread's.
    if (t === 'oom' && !isMainThread) {
      const keep: number[][] = [];
      for (;;) keep.push(new Array(1_000_000).fill(keep.length));
    }
    if (t === 'overflow') return [recurse(0)];
    const key = t === 'resolver-boom' ? 'resolver-boom' : 'fine';
    if (t === 'oom')
      return [
        {
          type: 'other',
          framework: 'test',
          key: 'fine',
          data: null,
          location: { file: file.file, line: 1, column: 1 },
          evidence: t,
        },
      ];
    return [
      {
        type: 'other',
        framework: 'test',
        key,
        data: null,
        location: { file: file.file, line: 1, column: 1 },
        evidence: t,
      },
    ];
  },
};

export const extractors: Extractor[] = [dotenvExtractor, manifestExtractor, fakeJs, fakePy, trouble];

const echo: Resolver = {
  name: 'echo',
  resolve(project) {
    const out: Observation[] = [];
    for (const { fact } of project.all()) {
      if (fact.type !== 'session-enabled') continue;
      out.push({
        kind: 'setting',
        source: 'code',
        framework: fact.framework,
        key: 'session',
        value: true,
        provenance: { kind: 'explicit' },
        location: fact.location,
      });
    }
    return out;
  },
};

const boom: Resolver = {
  name: 'boom-resolver',
  resolve(project) {
    if (project.all().some(({ fact }) => fact.type === 'other' && fact.key === 'resolver-boom'))
      throw new Error('resolver exploded');
    return [];
  },
};

export const resolvers: Resolver[] = [boom, echo];

/** URL of this module, for `collectCode(..., { registry })`. */
export const FAKE_REGISTRY = import.meta.url;
