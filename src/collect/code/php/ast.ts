/**
 * ast-grep for PHP: language registration and small tree helpers shared by the PHP extractors.
 *
 * Grammars are registered once per thread, all at once, by common/grammar.ts.
 *
 * Tree-sitter-php needs the `<?php` tag: a file without it is one `text` node (inline HTML), which
 * is what PHP itself does with it. Patterns such as `ini_set($A, $B)` match nothing for the same
 * reason, so the extractors walk `function_call_expression` nodes found with `kind` rules instead.
 */
import type { SgNode, SgRoot } from '@ast-grep/napi';
import type { CodeLocation } from '../../../model/observation.js';
import { locationOf } from '../common/location.js';
import { parseAs } from '../common/grammar.js';

export function parsePhp(text: string): SgRoot {
  return parseAs('php', text);
}

/** 1-based location of a node (common/location.ts, with this module's argument order). */
export function nodeLocation(file: string, node: SgNode): CodeLocation {
  return locationOf(node, file);
}

/** Evidence: the node's own text on one line, whitespace collapsed, at most 200 characters. */
export function evidenceOf(node: SgNode): string {
  const t = node.text().replace(/\s+/g, ' ').trim();
  return t.length > 200 ? t.slice(0, 197) + '...' : t;
}

/** Lower-cased name of a called function, without a leading namespace (`\ini_set` → `ini_set`). */
export function calledFunctionName(call: SgNode): string | null {
  const fn = call.field('function');
  if (!fn) return null;
  if (fn.kind() === 'name') return fn.text().toLowerCase();
  if (fn.kind() === 'qualified_name') {
    const parts = fn.text().split('\\');
    const last = parts[parts.length - 1];
    return last ? last.toLowerCase() : null;
  }
  return null;
}

/** Name of a method in `$x->name(...)`, `$x?->name(...)` or `X::name(...)`, lower-cased. */
export function calledMethodName(call: SgNode): string | null {
  const n = call.field('name');
  return n && n.kind() === 'name' ? n.text().toLowerCase() : null;
}

export interface CallArgument {
  /** Named argument (PHP 8): `secure: true`. */
  name: string | null;
  /** The value expression. */
  value: SgNode;
  /** `...$args`: the rest is unknown. */
  spread: boolean;
  node: SgNode;
}

export function callArguments(call: SgNode): CallArgument[] {
  const args = call.field('arguments');
  if (!args) return [];
  const out: CallArgument[] = [];
  for (const a of args.children()) {
    if (a.kind() === 'variadic_placeholder') continue;
    if (a.kind() !== 'argument') continue;
    const nameNode = a.field('name');
    const kids = a.namedChildren().filter((c) => c.id() !== nameNode?.id());
    const value = kids[kids.length - 1];
    if (!value) continue;
    const spread = value.kind() === 'variadic_unpacking';
    out.push({ name: nameNode ? nameNode.text() : null, value, spread, node: a });
  }
  return out;
}

/**
 * Bind call arguments to parameter names like PHP does: positional first, then named (PHP 8).
 * `complete` is false when a spread argument makes the binding uncertain.
 */
export function bindArguments(
  call: SgNode,
  params: readonly string[],
): { bound: Map<string, SgNode>; complete: boolean } {
  const bound = new Map<string, SgNode>();
  let complete = true;
  let i = 0;
  for (const a of callArguments(call)) {
    if (a.spread) {
      complete = false;
      break;
    }
    if (a.name !== null) {
      bound.set(a.name.toLowerCase(), a.value);
    } else {
      const p = params[i++];
      if (p) bound.set(p, a.value);
    }
  }
  return { bound, complete };
}
