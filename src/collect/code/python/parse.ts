/**
 * Python parsing for the code collector: tree-sitter-python through ast-grep's napi binding (grammars
 * are registered once per thread, all at once, by common/grammar.ts).
 */
import type { SgNode } from '@ast-grep/napi';
import type { CodeLocation } from '../../../model/observation.js';
import { locationOf, redactedText } from '../common/location.js';
import { parseAs } from '../common/grammar.js';
import type { SourceFile } from '../types.js';

// One-entry cache: the engine runs the Python extractors one after the other on the same file,
// so the tree is built once per file.
let cached: { file: string; text: string; root: SgNode } | null = null;

/** Parses a Python source file (cached for the file most recently parsed). */
export function parsePython(file: SourceFile): SgNode {
  if (cached && cached.file === file.file && cached.text === file.text) return cached.root;
  const root = parseAs('python', file.text).root();
  cached = { file: file.file, text: file.text, root };
  return root;
}

/** Parses a snippet (tests). */
export function parsePythonText(text: string): SgNode {
  return parseAs('python', text).root();
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

/**
 * A node's text with the text of some descendants replaced by `<redacted>` (secrets, cookie values):
 * common/location.ts's `redactedText`, on one line; a name (an identifier, an attribute) is no secret
 * and is kept.
 */
export function redactedEvidence(node: SgNode, hide: (SgNode | null | undefined)[], max = 160): string {
  const secret = hide.filter((h) => !!h && h.kind() !== 'identifier' && h.kind() !== 'attribute');
  return oneLine(redactedText(node, secret), max);
}
