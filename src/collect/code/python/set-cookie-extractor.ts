/**
 * `response.set_cookie(...)` calls of Flask/Werkzeug, Django and Starlette/FastAPI responses.
 * The three agree on the positional order (verified with Werkzeug 2.2.2 sansio/response.py,
 * Django 3.2.25 http/response.py and Starlette 0.26.1 responses.py, Debian bookworm):
 *   set_cookie(key, value='', max_age=None, expires=None, path='/', domain=None,
 *              secure=False, httponly=False, samesite=None|'lax')
 * Django's set_signed_cookie(key, value, salt='', **kwargs) passes the rest by keyword.
 * Test clients (`client.set_cookie(...)`) put a cookie in the client's jar and are skipped.
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeFact, Extractor, SourceFile } from '../types.js';
import { callArgs, type PyExpr } from './expr.js';
import { fact, type KwArg, type SetCookieData } from './facts.js';
import { pyFileOf, type PyFile } from './module.js';
import { evidenceOf, redactedEvidence } from './parse.js';

const POSITIONAL = ['key', 'value', 'max_age', 'expires', 'path', 'domain', 'secure', 'httponly', 'samesite'];
const SIGNED_POSITIONAL = ['key', 'value', 'salt'];

export function frameworkOf(py: PyFile): SetCookieData['framework'] {
  const mods = [...py.importedModules];
  if (mods.some((m) => /^(flask|werkzeug)(\.|$)/.test(m) || m.startsWith('flask_'))) return 'flask';
  if (mods.some((m) => /^django(\.|$)/.test(m) || /^rest_framework(\.|$)/.test(m))) return 'django';
  if (mods.some((m) => /^(starlette|fastapi)(\.|$)/.test(m))) return 'starlette';
  return null;
}

/**
 * A client's cookie jar, not a response: test clients (`client.set_cookie`), requests' and
 * http.cookiejar's jars (`session.cookies.set_cookie(...)`, `jar.set_cookie(cookie)`): they store a
 * cookie to send, nothing goes to a browser.
 */
function isClientJar(receiver: SgNode): boolean {
  const last = receiver.kind() === 'attribute' ? receiver.field('attribute')?.text() : receiver.text();
  return /client$/i.test(last ?? '') || /^cookies$/.test(last ?? '') || /jar$/i.test(last ?? '');
}

export function extractSetCookie(file: SourceFile): CodeFact[] {
  const py = pyFileOf(file);
  const out: CodeFact[] = [];
  const framework = frameworkOf(py);
  for (const call of py.index.ordered) {
    if (call.kind() !== 'call') continue;
    const fn = call.field('function');
    if (fn?.kind() !== 'attribute') continue;
    const method = fn.field('attribute')?.text();
    if (method !== 'set_cookie' && method !== 'set_signed_cookie') continue;
    const receiver = fn.field('object');
    if (!receiver || isClientJar(receiver)) continue;
    // A Flask SessionInterface's save_session writes the app's own session cookie with the app's
    // SESSION_COOKIE_* settings (get_cookie_secure(app) ...): the Flask session observation judges it.
    if (framework === 'flask' && py.enclosingDef(call)?.field('name')?.text() === 'save_session') continue;
    const a = callArgs(call);
    const names = method === 'set_cookie' ? POSITIONAL : SIGNED_POSITIONAL;
    const args: Record<string, KwArg> = {};
    let splat = a.splat;
    const valueNodes: SgNode[] = [];
    a.positional.forEach((v, i) => {
      const k = names[i];
      if (!k) {
        splat = true;
        return;
      }
      if (k === 'value') valueNodes.push(v);
      args[k] = {
        expr: k === 'value' ? valueExpr(py, v) : py.expr(v),
        location: py.loc(v),
        evidence: k === 'value' ? '<redacted>' : evidenceOf(v),
      };
    });
    for (const [k, v] of a.keywords) {
      const n = a.keywordNodes.get(k) ?? v;
      if (k === 'value') valueNodes.push(v);
      args[k] =
        k === 'value'
          ? { expr: valueExpr(py, v), location: py.loc(n), evidence: redactedEvidence(n, [v]) }
          : { expr: py.expr(v), location: py.loc(n), evidence: evidenceOf(n) };
    }
    const evidence = redactedEvidence(call, valueNodes);
    const data: SetCookieData = {
      framework,
      receiver: evidenceOf(receiver, 60),
      args,
      splat,
      location: py.loc(call),
      evidence,
      snippet: evidence,
    };
    out.push(fact('set-cookie', data, data.location, data.evidence));
  }
  return out;
}

/**
 * Only whether the value is empty (a deletion) or a constant matters; its text is never kept. A
 * constant keeps its type (`1`, `True`, `'<redacted>'`), never its text.
 */
function valueExpr(py: PyFile, v: SgNode): PyExpr {
  const e = py.expr(v);
  if (e.k === 'lit') {
    if (e.v === '' || e.v === null) return { k: 'lit', v: e.v, t: '<redacted>' };
    if (typeof e.v === 'number') return { k: 'lit', v: 0, t: '<redacted>' };
    if (typeof e.v === 'boolean') return { k: 'lit', v: true, t: '<redacted>' };
    return { k: 'lit', v: '<redacted>', t: '<redacted>' };
  }
  return { k: 'unknown', t: '<redacted>', reason: 'a computed value' };
}

export const setCookieExtractor: Extractor = {
  name: 'python-set-cookie',
  files: ['**/*.py'],
  keywords: ['set_cookie', 'set_signed_cookie'],
  extract: extractSetCookie,
};
