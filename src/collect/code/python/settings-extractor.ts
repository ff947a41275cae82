/**
 * Settings-like constructs of any Python file: module-level ALL_CAPS assignments (Django settings
 * modules, Flask config modules loaded by `from_object('pkg.settings')` / `from_pyfile`), the star
 * imports that chain split settings (`from .base import *`), Flask config classes and the mappings
 * that select one by environment.
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeFact, Extractor, SourceFile } from '../types.js';
import { stringValue } from './expr.js';
import {
  fact,
  type ConfigClassData,
  type ConfigMapData,
  type SettingAssign,
  type SettingsModuleData,
} from './facts.js';
import { NESTED_KINDS, pyFileOf, type PyFile } from './module.js';
import { evidenceOf } from './parse.js';

export const ALL_CAPS = /^[A-Z][A-Z0-9_]*$/;

/** Names that hold secrets: never kept in facts (they never decide a cookie attribute). */
export const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE|CREDENTIAL)/;

/** Keys that make a module worth reporting as a settings module (anything else only feeds names). */
export function isRelevantKey(key: string): boolean {
  return (
    /^(SESSION_|CSRF_|LANGUAGE_COOKIE_|SECURE_|REMEMBER_COOKIE_|USE_X_FORWARDED_)/.test(key) ||
    [
      'DEBUG',
      'INSTALLED_APPS',
      'MIDDLEWARE',
      'MIDDLEWARE_CLASSES',
      'ENV',
      'TESTING',
      'PREFERRED_URL_SCHEME',
      'PERMANENT_SESSION_LIFETIME',
    ].includes(key)
  );
}

/** An ALL_CAPS assignment / augmentation in one statement, if it is one. */
export function settingAssignOf(py: PyFile, stmt: SgNode, condStop?: SgNode): SettingAssign | null {
  const inner = stmt.namedChildren()[0];
  if (!inner) return null;
  const kind = inner.kind();
  const base = (
    key: string,
    op: 'set' | 'add',
    valueNode: SgNode,
    exprNode: SgNode = valueNode,
  ): SettingAssign => {
    const cond = py.conditionsOf(stmt, condStop);
    const a: SettingAssign = {
      key,
      op,
      expr: py.expr(exprNode),
      location: py.loc(inner),
      valueLocation: py.loc(valueNode),
      evidence: evidenceOf(inner),
      snippet: py.snippet(inner),
    };
    if (cond) a.cond = cond;
    return a;
  };
  if (kind === 'assignment') {
    const left = inner.field('left');
    let right = inner.field('right');
    if (!left || !right || left.kind() !== 'identifier' || !ALL_CAPS.test(left.text())) return null;
    if (SECRET_NAME.test(left.text())) return null;
    while (right.kind() === 'assignment') right = right.field('right') ?? right;
    return base(left.text(), 'set', right);
  }
  if (kind === 'augmented_assignment') {
    const left = inner.field('left');
    const right = inner.field('right');
    const op = inner.field('operator')?.text();
    if (!left || !right || left.kind() !== 'identifier' || !ALL_CAPS.test(left.text()) || op !== '+=')
      return null;
    return base(left.text(), 'add', right);
  }
  if (kind === 'call') {
    const fn = inner.field('function');
    if (fn?.kind() !== 'attribute') return null;
    const obj = fn.field('object');
    const method = fn.field('attribute')?.text();
    if (!obj || obj.kind() !== 'identifier' || !ALL_CAPS.test(obj.text())) return null;
    const args =
      inner
        .field('arguments')
        ?.namedChildren()
        .filter((c) => c.kind() !== 'comment') ?? [];
    if (method === 'append' && args.length === 1) {
      const a = base(obj.text(), 'add', args[0]!);
      a.expr = { k: 'seq', items: [a.expr], t: a.expr.t };
      return a;
    }
    if (method === 'insert' && args.length === 2) {
      const a = base(obj.text(), 'add', args[1]!);
      a.expr = { k: 'seq', items: [a.expr], t: a.expr.t };
      return a;
    }
    if (method === 'extend' && args.length === 1) return base(obj.text(), 'add', args[0]!);
  }
  return null;
}

/** Module-level statements assigning or extending an ALL_CAPS name (module.ts SETTING_STATEMENT). */
function settingStatements(py: PyFile) {
  return py.index.settingStatements;
}

function settingsModule(py: PyFile): SettingsModuleData | null {
  const assigns: SettingAssign[] = [];
  for (const st of settingStatements(py)) {
    const a = settingAssignOf(py, st);
    if (a) assigns.push(a);
  }
  const relevant = assigns.some((a) => isRelevantKey(a.key));
  // A module that only star-imports (`from .base import *` in production.py) is kept: it may be
  // the settings module that runs.
  if (!relevant && py.starImports.length === 0) return null;
  return { module: py.module, starImports: py.starImports, assigns };
}

/**
 * `Config = ServerConfig()` at module level: an instance of a config class of this file, loaded by
 * `from_object('pkg.config.Config')`. It reads as a class with no attributes of its own.
 */
function configInstances(py: PyFile, classes: readonly ConfigClassData[]): ConfigClassData[] {
  const out: ConfigClassData[] = [];
  for (const asg of py.index.identAssigns) {
    const left = asg.field('left');
    const right = asg.field('right');
    if (!left || right?.kind() !== 'call') continue;
    if (asg.ancestors().some((a) => NESTED_KINDS.has(String(a.kind())))) continue;
    const args = right.field('arguments');
    if (args && args.namedChildren().some((c) => c.kind() !== 'comment')) continue;
    const cls = right.field('function')?.text();
    if (!cls || !classes.some((c) => c.name === cls)) continue;
    out.push({
      module: py.module,
      name: left.text(),
      bases: [py.module ? `${py.module}.${cls}` : cls],
      attrs: [],
      location: py.loc(asg),
    });
  }
  return out;
}

function configClasses(py: PyFile): ConfigClassData[] {
  const out: ConfigClassData[] = [];
  for (const cls of py.index.classes) {
    // Only classes at module level or nested in module-level if/try blocks.
    if (cls.ancestors().some((a) => a.kind() === 'function_definition' || a.kind() === 'class_definition'))
      continue;
    const name = cls.field('name')?.text();
    const body = cls.field('body');
    if (!name || !body) continue;
    const attrs: SettingAssign[] = [];
    let onlyData = true;
    for (const st of body.namedChildren()) {
      const k = st.kind();
      if (k === 'comment' || k === 'pass_statement') continue;
      if (k === 'expression_statement') {
        const a = settingAssignOf(py, st, cls);
        if (a) {
          attrs.push(a);
          continue;
        }
        const inner = st.namedChildren()[0];
        if (inner?.kind() === 'string' || inner?.kind() === 'assignment') continue; // docstring, lower-case attr
      }
      onlyData = false;
    }
    const bases: string[] = [];
    for (const b of cls.field('superclasses')?.namedChildren() ?? []) {
      if (b.kind() === 'keyword_argument' || b.kind() === 'comment') continue;
      const ref = py.reference(b);
      if (ref && ref !== 'object') bases.push(ref);
    }
    if (attrs.length === 0 && !(onlyData && bases.length > 0)) continue;
    out.push({ module: py.module, name, bases, attrs, location: py.loc(cls) });
  }
  return out;
}

function configMaps(py: PyFile): ConfigMapData[] {
  const out: ConfigMapData[] = [];
  for (const right of py.index.mapCandidates) {
    const asg = right.parent();
    const left = asg?.field('left');
    if (!asg || !left || left.kind() !== 'identifier') continue;
    const rk = right.kind();
    if (rk !== 'dictionary' && !(rk === 'call' && right.field('function')?.text() === 'dict')) continue;
    if (asg.ancestors().some((a) => NESTED_KINDS.has(String(a.kind())))) continue;
    const entries: ConfigMapData['entries'] = [];
    let clean = true;
    if (right.kind() === 'dictionary') {
      for (const p of right.namedChildren()) {
        if (p.kind() === 'comment') continue;
        if (p.kind() !== 'pair') {
          clean = false;
          break;
        }
        const key = stringValue(p.field('key'));
        const value = p.field('value');
        const ref = value ? refOrString(py, value) : null;
        if (key === null || !value || ref === null) {
          clean = false;
          break;
        }
        entries.push({ key, ref, location: py.loc(p) });
      }
    } else if (right.kind() === 'call' && right.field('function')?.text() === 'dict') {
      for (const p of right.field('arguments')?.namedChildren() ?? []) {
        if (p.kind() === 'comment') continue;
        const key = p.kind() === 'keyword_argument' ? p.field('name')?.text() : undefined;
        const value = p.field('value');
        const ref = value ? refOrString(py, value) : null;
        if (!key || !value || ref === null) {
          clean = false;
          break;
        }
        entries.push({ key, ref, location: py.loc(p) });
      }
    } else continue;
    if (!clean || entries.length === 0) continue;
    out.push({ module: py.module, name: left.text(), entries, location: py.loc(asg) });
  }
  return out;
}

function refOrString(py: PyFile, value: SgNode): string | null {
  const s = stringValue(value);
  if (s !== null) return s;
  if (value.kind() === 'identifier' || value.kind() === 'attribute') return py.reference(value);
  return null;
}

export function extractSettings(file: SourceFile): CodeFact[] {
  const py = pyFileOf(file);
  const out: CodeFact[] = [];
  const top = { file: file.file, line: 1, column: 1 };
  const mod = settingsModule(py);
  if (mod) out.push(fact('settings-module', mod, top, py.module));
  const classes = configClasses(py);
  for (const c of classes) out.push(fact('config-class', c, c.location, `class ${c.name}`));
  for (const c of configInstances(py, classes)) out.push(fact('config-class', c, c.location, c.name));
  for (const m of configMaps(py)) out.push(fact('config-map', m, m.location, m.name));
  return out;
}

export const settingsExtractor: Extractor = {
  name: 'python-settings',
  // Flask's from_pyfile('application.cfg') reads Python syntax from any file name.
  files: ['**/*.py', '**/*.cfg'],
  // Matched case-insensitively by the engine. `import *` brings split settings modules that only
  // star-import (production.py); `Config` brings Flask config classes and the mappings that pick one
  // by environment even when they set no cookie key themselves (a missing target is `unknown`).
  // DEBUG is left out: `logging.debug` is everywhere, and settings that read DEBUG have other keys.
  // Settings are upper-case names: `cookie_` in ordinary code is not a reason to parse a file.
  keywords: ['SESSION_', 'CSRF_', 'COOKIE_', 'SECURE_', 'INSTALLED_APPS', 'MIDDLEWARE', 'import *', 'Config'],
  caseSensitive: true,
  extract: extractSettings,
};
