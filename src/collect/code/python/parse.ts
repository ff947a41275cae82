/**
 * Python parsing for the code collector: tree-sitter-python through ast-grep's napi binding.
 *
 * `registerDynamicLanguage` takes effect once per thread: ast-grep keeps the first registration and
 * ignores later calls (checked with @ast-grep/napi 0.51: a second call that adds `python` after a
 * `php`-only call leaves python unsupported). So when nothing is registered yet we register every
 * dynamic language the project ships (python and php) in one call, which keeps the PHP extractors
 * working whichever module is loaded first in a worker.
 */
import { createRequire } from 'node:module';
import type { SgNode } from '@ast-grep/napi';
import type { CodeLocation } from '../../../model/observation.js';
import { locationOf } from '../common/location.js';
import type { SourceFile } from '../types.js';

const require = createRequire(import.meta.url);
type Napi = typeof import('@ast-grep/napi');
const napi = require('@ast-grep/napi') as Napi;

let ready = false;

function supported(): boolean {
  try {
    napi.parse('python', '');
    return true;
  } catch {
    return false;
  }
}

/** Makes `python` available to ast-grep in this thread (idempotent). */
export function ensurePython(): void {
  if (ready) return;
  if (!supported()) {
    const langs: Record<string, { libraryPath: string; extensions: string[] }> = {
      python: require('@ast-grep/lang-python'),
    };
    try {
      langs.php = require('@ast-grep/lang-php');
    } catch {
      // PHP support is optional for the Python extractors.
    }
    napi.registerDynamicLanguage(langs);
    // The flag the PHP extractors check (src/collect/code/php/ast.ts): registration is done.
    (globalThis as Record<symbol, unknown>)[Symbol.for('cookieguard.ast-grep.dynamic-languages')] =
      Object.keys(langs);
    if (!supported()) {
      throw new Error(
        'the Python parser could not be loaded: ast-grep languages were registered without python in this thread',
      );
    }
  }
  ready = true;
}

// One-entry cache: the engine runs the Python extractors one after the other on the same file,
// so the tree is built once per file.
let cached: { file: string; text: string; root: SgNode } | null = null;

/** Parses a Python source file (cached for the file most recently parsed). */
export function parsePython(file: SourceFile): SgNode {
  if (cached && cached.file === file.file && cached.text === file.text) return cached.root;
  ensurePython();
  const root = napi.parse('python', file.text).root();
  cached = { file: file.file, text: file.text, root };
  return root;
}

/** Parses a snippet (tests). */
export function parsePythonText(text: string): SgNode {
  ensurePython();
  return napi.parse('python', text).root();
}

/** 1-based location of a node (common/location.ts, with this module's argument order). */
export function loc(file: string, node: SgNode): CodeLocation {
  return locationOf(node, file);
}

/** The node's text on one line, shortened for reports. */
export function evidenceOf(node: SgNode, max = 160): string {
  return oneLine(node.text(), max);
}

export function oneLine(text: string, max = 160): string {
  const s = text.replace(/\s*\n\s*/g, ' ').trim();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** A node's text with the text of some descendants replaced by `<redacted>` (secrets, cookie values). */
export function redactedEvidence(node: SgNode, hide: (SgNode | null | undefined)[], max = 160): string {
  const base = node.range().start.index;
  let text = node.text();
  const spans = hide
    .filter((h): h is SgNode => !!h && h.kind() !== 'identifier' && h.kind() !== 'attribute')
    .map((h) => [h.range().start.index - base, h.range().end.index - base] as const)
    .filter(([s, e]) => s >= 0 && e <= text.length)
    .sort((a, b) => b[0] - a[0]);
  for (const [s, e] of spans) text = text.slice(0, s) + '<redacted>' + text.slice(e);
  return oneLine(text, max);
}
