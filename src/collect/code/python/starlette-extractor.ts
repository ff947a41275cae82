/**
 * Starlette / FastAPI SessionMiddleware registrations:
 *   app.add_middleware(SessionMiddleware, secret_key=..., https_only=True, same_site='lax')
 *   Starlette(middleware=[Middleware(SessionMiddleware, secret_key=...)])
 * Keyword names from starlette/middleware/sessions.py SessionMiddleware.__init__ (starlette 0.26.1,
 * Debian bookworm; `path` and `domain` arrived in later releases).
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeFact, Extractor, SourceFile } from '../types.js';
import { callArgs, type PyExpr } from './expr.js';
import { fact, type KwArg, type StarletteSessionData } from './facts.js';
import { pyFileOf, type PyFile } from './module.js';
import { evidenceOf, redactedEvidence } from './parse.js';

const SESSION_MW = new Set([
  'starlette.middleware.sessions.SessionMiddleware',
  'fastapi.middleware.sessions.SessionMiddleware',
]);
const MIDDLEWARE_WRAPPER = new Set(['starlette.middleware.Middleware', 'fastapi.middleware.Middleware']);

function importsStarlette(py: PyFile): boolean {
  for (const m of py.importedModules) if (/^(starlette|fastapi)(\.|$)/.test(m)) return true;
  return false;
}

function isSessionMiddleware(py: PyFile, node: SgNode | undefined): boolean {
  if (!node) return false;
  const q = py.qualified(node);
  if (q && SESSION_MW.has(q)) return true;
  // Star-imported or re-exported: accept the bare name only in a file that uses Starlette / FastAPI.
  return q === 'SessionMiddleware' && importsStarlette(py);
}

/** The secret key is never kept, only that it was given. */
const SECRET: PyExpr = { k: 'unknown', t: '<redacted>', reason: 'a secret' };

function kwargsOf(
  py: PyFile,
  call: SgNode,
  skipPositional: number,
): { kwargs: Record<string, KwArg>; splat: boolean } {
  const args = callArgs(call);
  const kwargs: Record<string, KwArg> = {};
  for (const [k, v] of args.keywords) {
    const n = args.keywordNodes.get(k) ?? v;
    kwargs[k] =
      k === 'secret_key'
        ? { expr: SECRET, location: py.loc(n), evidence: redactedEvidence(n, [v]) }
        : { expr: py.expr(v), location: py.loc(n), evidence: evidenceOf(n) };
  }
  const rest = args.positional.slice(skipPositional);
  // Positional order after the app: secret_key, session_cookie, max_age, then fields that moved
  // between releases; only the first three are mapped.
  const names = ['secret_key', 'session_cookie', 'max_age'];
  let splat = args.splat;
  rest.forEach((v, i) => {
    const k = names[i];
    if (k === 'secret_key') kwargs[k] = { expr: SECRET, location: py.loc(v), evidence: '<redacted>' };
    else if (k) kwargs[k] = { expr: py.expr(v), location: py.loc(v), evidence: evidenceOf(v) };
    else splat = true;
  });
  return { kwargs, splat };
}

export function extractStarlette(file: SourceFile): CodeFact[] {
  const py = pyFileOf(file);
  const out: CodeFact[] = [];
  for (const call of py.index.ordered) {
    if (call.kind() !== 'call') continue;
    const fn = call.field('function');
    if (!fn) continue;
    let via: StarletteSessionData['via'] | null = null;
    const first = callArgs(call).positional[0];
    if (
      fn.kind() === 'attribute' &&
      fn.field('attribute')?.text() === 'add_middleware' &&
      isSessionMiddleware(py, first)
    ) {
      via = 'add_middleware';
    } else {
      const q = py.qualified(fn);
      if (
        q &&
        (MIDDLEWARE_WRAPPER.has(q) || (q === 'Middleware' && importsStarlette(py))) &&
        isSessionMiddleware(py, first)
      ) {
        via = 'Middleware';
      }
    }
    if (!via) continue;
    const { kwargs, splat } = kwargsOf(py, call, 1);
    const a = callArgs(call);
    const evidence = redactedEvidence(call, [a.keywords.get('secret_key'), a.positional[1]]);
    const data: StarletteSessionData = {
      via,
      kwargs,
      splat,
      location: py.loc(call),
      evidence,
      snippet: evidence,
    };
    out.push(fact('starlette-session', data, data.location, data.evidence));
  }
  return out;
}

export const starletteExtractor: Extractor = {
  name: 'starlette',
  files: ['**/*.py'],
  keywords: ['SessionMiddleware'],
  extract: extractStarlette,
};
