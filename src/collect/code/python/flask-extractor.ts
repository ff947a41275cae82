/**
 * Flask facts of one file: app creation (`Flask(__name__)`), writes to `<app>.config` in source
 * order (`[...] =`, `update`, `from_mapping`, `setdefault`, `from_object`, `from_pyfile`,
 * `from_envvar`, `from_file`, `from_prefixed_env`), signs that the session is used, Werkzeug's
 * ProxyFix and Flask-Login. Signatures checked against Flask 2.2.2 / Werkzeug 2.2.2 / Flask-Login
 * 0.6.2 (Debian bookworm: flask/config.py Config, werkzeug/middleware/proxy_fix.py ProxyFix.__init__,
 * flask_login/utils.py login_user).
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeFact, Extractor, SourceFile } from '../types.js';
import { callArgs, stringValue, type PyExpr } from './expr.js';
import {
  fact,
  type FactoryCallData,
  type FlaskAppData,
  type FlaskConfigOp,
  type FlaskConfigOpData,
  type FlaskSubclassData,
  type FlaskTarget,
} from './facts.js';
import { pyFileOf, type PyFile } from './module.js';
import { evidenceOf } from './parse.js';

/** Config keys the Flask resolver reads. */
export function isFlaskCookieKey(key: string): boolean {
  return /^(SESSION_COOKIE_|REMEMBER_COOKIE_)/.test(key) || key === 'PREFERRED_URL_SCHEME';
}

/** Other keys kept: they can decide conditions (`if app.config['ENV'] == 'production'`). */
const FLASK_CONTEXT_KEYS = new Set(['DEBUG', 'ENV', 'TESTING', 'PERMANENT_SESSION_LIFETIME']);

/** Modules whose import shows the Flask session cookie is in use. */
const SESSION_USERS: [string, string][] = [
  ['flask_login', 'Flask-Login keeps the logged-in user in the session'],
  ['flask_wtf', 'Flask-WTF keeps its CSRF token in the session'],
  ['flask_session', 'Flask-Session'],
  ['flask_security', 'Flask-Security'],
  ['flask_user', 'Flask-User'],
  ['flask_dance', 'Flask-Dance keeps OAuth state in the session'],
  ['authlib.integrations.flask_client', 'Authlib keeps OAuth state in the session'],
];

function isConfigReceiver(node: SgNode | null): node is SgNode {
  return !!node && node.kind() === 'attribute' && node.field('attribute')?.text() === 'config';
}

function importsFlask(py: PyFile): boolean {
  for (const m of py.importedModules)
    if (m === 'flask' || m.startsWith('flask.') || m.startsWith('flask_')) return true;
  return false;
}

/** Names of app factories whose calls are recorded (`create_app`, `make_app`, `app_factory` ...). */
export const FACTORY_NAME =
  /^(?:(?:create|make|build|get|new|init|setup|init)_?(?:flask_?)?app(?:lication)?|app_?factory)$/i;

export function target(py: PyFile, node: SgNode | undefined, depth = 0): FlaskTarget {
  if (!node) return { kind: 'unknown', text: '' };
  const s = stringValue(node);
  if (s !== null) return { kind: 'ref', ref: s };
  const k = node.kind();
  if (k === 'identifier' && depth < 2) {
    // `def create_app(config_class=Config): app.config.from_object(config_class)`
    const param = py.parameterOf(node);
    if (param) {
      return {
        kind: 'param',
        fn: py.functionName(param.def),
        name: param.name,
        index: param.index,
        dflt: param.dflt ? target(py, param.dflt, depth + 1) : null,
      };
    }
  }
  if (k === 'identifier' || k === 'attribute') {
    const ref = py.reference(node);
    if (ref) return { kind: 'ref', ref };
  }
  // config[os.getenv('FLASK_ENV', 'development')]
  if (k === 'subscript') {
    const value = node.field('value');
    const sub = node.field('subscript');
    if (value && sub && (value.kind() === 'identifier' || value.kind() === 'attribute')) {
      const map = py.reference(value);
      if (map) return { kind: 'select', map, selector: py.expr(sub) };
    }
  }
  // config.get(name) / config.get(name, 'default')
  if (k === 'call') {
    const fn = node.field('function');
    if (fn?.kind() === 'attribute' && fn.field('attribute')?.text() === 'get') {
      const obj = fn.field('object');
      const args = callArgs(node);
      if (obj && args.positional[0]) {
        const map = py.reference(obj);
        let selector: PyExpr = py.expr(args.positional[0]);
        if (args.positional[1]) {
          selector = {
            k: 'bool',
            op: 'or',
            l: selector,
            r: py.expr(args.positional[1]),
            t: `${selector.t} or default`,
          };
        }
        if (map) return { kind: 'select', map, selector };
      }
    }
  }
  return { kind: 'unknown', text: evidenceOf(node, 80) };
}

export function extractFlask(file: SourceFile): CodeFact[] {
  const py = pyFileOf(file);
  const out: CodeFact[] = [];
  const flaskFile = importsFlask(py);
  let order = 0;

  const pushOp = (
    node: SgNode,
    receiver: SgNode,
    item: FlaskConfigOp,
    valueNode?: SgNode,
    keyNode?: SgNode,
  ) => {
    // Only the keys the resolver reads are kept (SECRET_KEY and friends never leave the worker).
    if (item.op === 'set' && !isFlaskCookieKey(item.key) && !FLASK_CONTEXT_KEYS.has(item.key)) return;
    if (!flaskFile && !(item.op === 'set' && isFlaskCookieKey(item.key))) return;
    const data: FlaskConfigOpData = {
      receiver: receiver.text(),
      order: order++,
      item,
      location: py.loc(keyNode ?? node),
      evidence: evidenceOf(keyNode ?? node),
      snippet: py.snippet(keyNode ?? node),
    };
    if (valueNode) data.valueLocation = py.loc(valueNode);
    const cond = py.conditionsOf(node);
    if (cond) data.cond = cond;
    out.push(fact('flask-config', data, data.location, data.evidence));
  };

  const setsFrom = (call: SgNode, receiver: SgNode) => {
    const args = callArgs(call);
    for (const [key, value] of args.keywords) {
      pushOp(call, receiver, { op: 'set', key, expr: py.expr(value) }, value, args.keywordNodes.get(key));
    }
    for (const p of args.positional) {
      if (p.kind() !== 'dictionary') {
        pushOp(call, receiver, { op: 'opaque', reason: `update from ${evidenceOf(p, 60)}` });
        continue;
      }
      for (const pair of p.namedChildren()) {
        if (pair.kind() === 'comment') continue;
        const key = pair.kind() === 'pair' ? stringValue(pair.field('key')) : null;
        const value = pair.field('value');
        if (key === null || !value) {
          pushOp(call, receiver, { op: 'opaque', reason: `update from ${evidenceOf(pair, 60)}` });
          continue;
        }
        pushOp(call, receiver, { op: 'set', key, expr: py.expr(value) }, value, pair);
      }
    }
    if (args.splat) pushOp(call, receiver, { op: 'opaque', reason: 'update from **kwargs' });
  };

  // Only the nodes that can matter (found natively when the file was indexed), in document order.
  for (const node of py.index.ordered) {
    if (node.kind() === 'assignment') {
      const left = node.field('left');
      const right = node.field('right');
      if (left?.kind() !== 'subscript' || !right) continue;
      const receiver = left.field('value');
      if (!isConfigReceiver(receiver)) continue;
      const key = py.stringAt(left.field('subscript'));
      if (key === null)
        pushOp(node, receiver, { op: 'opaque', reason: `a computed key: ${evidenceOf(left, 60)}` });
      else pushOp(node, receiver, { op: 'set', key, expr: py.expr(right) }, right, node);
      continue;
    }
    const fn = node.field('function');
    if (!fn) continue;
    const q = py.qualified(fn);
    if (q === 'flask.Flask' || q === 'flask.app.Flask') {
      const def = py.enclosingDef(node);
      const data: FlaskAppData = {
        location: py.loc(node),
        evidence: evidenceOf(node),
        snippet: py.snippet(node),
      };
      if (def) data.factory = py.functionName(def);
      out.push(fact('flask-app', data, data.location, data.evidence));
      continue;
    }
    const last = (q ?? fn.text()).split('.').pop() ?? '';
    // `CTFdFlask(__name__)`: an app made by a class that may subclass Flask (checked by the resolver).
    if (/Flask$/.test(last) && last !== 'Flask' && flaskFile) {
      const def = py.enclosingDef(node);
      const data: FlaskAppData = {
        location: py.loc(node),
        evidence: evidenceOf(node),
        snippet: py.snippet(node),
        viaClass: q ?? last,
      };
      if (def) data.factory = py.functionName(def);
      out.push(fact('flask-app', data, data.location, data.evidence));
      continue;
    }
    if (FACTORY_NAME.test(last) && fn.parent()?.kind() !== 'decorator') {
      const args = callArgs(node);
      const keywords: Record<string, FlaskTarget> = {};
      for (const [name, v] of args.keywords) keywords[name] = target(py, v);
      const data: FactoryCallData = {
        callee: q ?? fn.text(),
        positional: args.positional.map((a) => target(py, a)),
        keywords,
        splat: args.splat,
        location: py.loc(node),
        evidence: evidenceOf(node),
      };
      out.push(fact('factory-call', data, data.location, data.evidence));
      continue;
    }
    if (q && (q.endsWith('proxy_fix.ProxyFix') || q.endsWith('fixers.ProxyFix') || q === 'ProxyFix')) {
      const args = callArgs(node);
      const xp = args.keywords.get('x_proto') ?? args.positional[2];
      const data = { xProto: xp ? py.expr(xp) : null, location: py.loc(node), evidence: evidenceOf(node) };
      out.push(fact('proxyfix', data, data.location, data.evidence));
      continue;
    }
    if (q === 'flask_login.LoginManager' || q === 'flask_login.login_manager.LoginManager') {
      const data = {
        kind: 'manager' as const,
        location: py.loc(node),
        evidence: evidenceOf(node),
        snippet: py.snippet(node),
      };
      out.push(fact('flask-login', data, data.location, data.evidence));
      continue;
    }
    if (q === 'flask_login.login_user' || q === 'flask_login.utils.login_user') {
      const args = callArgs(node);
      const r = args.keywords.get('remember') ?? args.positional[1];
      const data = {
        kind: 'login_user' as const,
        remember: r
          ? py.expr(r)
          : args.splat
            ? ({ k: 'unknown', t: '**kwargs', reason: 'passed through **kwargs' } as PyExpr)
            : null,
        location: py.loc(node),
        evidence: evidenceOf(node),
        snippet: py.snippet(node),
      };
      out.push(fact('flask-login', data, data.location, data.evidence));
      continue;
    }
    if (fn.kind() !== 'attribute') continue;
    const receiver = fn.field('object');
    if (!isConfigReceiver(receiver)) continue;
    const method = fn.field('attribute')?.text();
    const args = callArgs(node);
    const first = args.positional[0];
    switch (method) {
      case 'update':
      case 'from_mapping':
        setsFrom(node, receiver);
        break;
      case 'setdefault': {
        const key = py.stringAt(first);
        const value = args.positional[1];
        if (key !== null) {
          const expr: PyExpr = value ? py.expr(value) : { k: 'lit', v: null, t: 'None' };
          pushOp(node, receiver, { op: 'set', key, expr, setdefault: true }, value, node);
        }
        break;
      }
      case 'from_object':
        pushOp(node, receiver, { op: 'from_object', target: target(py, first ?? args.keywords.get('obj')) });
        break;
      case 'from_pyfile': {
        const silent = args.keywords.get('silent') ?? args.positional[1];
        pushOp(node, receiver, {
          op: 'from_pyfile',
          path: py.stringAt(first ?? args.keywords.get('filename')),
          silent: silent?.kind() === 'true',
        });
        break;
      }
      case 'from_envvar':
        pushOp(node, receiver, {
          op: 'from_envvar',
          variable: py.stringAt(first ?? args.keywords.get('variable_name')),
        });
        break;
      case 'from_file':
        pushOp(node, receiver, {
          op: 'from_file',
          path: py.stringAt(first ?? args.keywords.get('filename')),
        });
        break;
      case 'from_prefixed_env': {
        const p = first ?? args.keywords.get('prefix');
        pushOp(node, receiver, { op: 'from_prefixed_env', prefix: p ? (py.stringAt(p) ?? '?') : 'FLASK' });
        break;
      }
      default:
        break;
    }
  }

  // Project classes that subclass Flask.
  if (flaskFile) {
    for (const cls of py.index.classes) {
      const sup = cls.field('superclasses');
      if (!sup) continue;
      const bases = sup.namedChildren().filter((b) => b.kind() === 'identifier' || b.kind() === 'attribute');
      if (!bases.some((b) => ['flask.Flask', 'flask.app.Flask'].includes(py.qualified(b) ?? ''))) continue;
      const name = cls.field('name')?.text();
      if (!name || py.enclosingDef(cls)) continue;
      const data: FlaskSubclassData = {
        name: py.module ? `${py.module}.${name}` : name,
        location: py.loc(cls),
      };
      out.push(fact('flask-subclass', data, data.location, `class ${name}(Flask)`));
    }
  }

  // Session use.
  if (flaskFile) {
    for (const st of py.importStatements) {
      const mod = st.kind() === 'import_from_statement' ? (st.field('module_name')?.text() ?? '') : '';
      const names = st
        .fieldChildren('name')
        .map((n) => (n.kind() === 'aliased_import' ? (n.field('name')?.text() ?? '') : n.text()));
      let what: string | null = null;
      if (mod === 'flask' && names.includes('session')) what = 'from flask import session';
      else if (mod === 'flask' && names.includes('flash')) what = 'flash() keeps its messages in the session';
      else {
        for (const [m, why] of SESSION_USERS) {
          const imported =
            st.kind() === 'import_from_statement'
              ? mod === m || mod.startsWith(`${m}.`)
              : names.some((n) => n === m || n.startsWith(`${m}.`));
          if (imported) what = why;
        }
      }
      if (what)
        out.push(fact('flask-session-use', { what, location: py.loc(st) }, py.loc(st), evidenceOf(st)));
    }
    for (const asg of py.index.permanent) {
      const obj = asg.field('left')?.field('object');
      const right = asg.field('right');
      if (!obj || !right || py.qualified(obj) !== 'flask.session') continue;
      const v = py.expr(right);
      if (!(v.k === 'lit' && v.v === true)) continue;
      const data = {
        what: 'session.permanent = True',
        location: py.loc(asg),
        permanent: true,
        evidence: evidenceOf(asg),
      };
      out.push(fact('flask-session-use', data, data.location, data.evidence));
    }
    for (const attr of py.index.attributes) {
      const d = py.qualified(attr);
      if (d === 'flask.session' && attr.parent()?.kind() !== 'import_from_statement') {
        out.push(
          fact(
            'flask-session-use',
            { what: 'flask.session', location: py.loc(attr) },
            py.loc(attr),
            evidenceOf(attr),
          ),
        );
        break;
      }
    }
  }
  return out;
}

export const flaskExtractor: Extractor = {
  name: 'flask',
  files: ['**/*.py'],
  keywords: [
    'flask',
    'ProxyFix',
    'SESSION_COOKIE_',
    'REMEMBER_COOKIE_',
    '_app(',
    'app_factory(',
    'appfactory(',
  ],
  extract: extractFlask,
};
