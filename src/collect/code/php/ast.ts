/**
 * ast-grep for PHP: language registration and small tree helpers shared by the PHP extractors.
 *
 * `@ast-grep/napi` keeps only the FIRST set of dynamic languages registered in a process or worker
 * (checked with @ast-grep/napi 0.51 + @ast-grep/lang-php 0.0.7 + @ast-grep/lang-python 0.0.6: a second
 * `registerDynamicLanguage` call is silently ignored). So this module registers every dynamic
 * language package that is installed, all at once, and only when no one did before in this thread.
 * Registration is per thread: each worker runs it the first time it parses PHP.
 *
 * Tree-sitter-php needs the `<?php` tag: a file without it is one `text` node (inline HTML), which
 * is what PHP itself does with it. Patterns such as `ini_set($A, $B)` match nothing for the same
 * reason, so the extractors walk `function_call_expression` nodes found with `kind` rules instead.
 */
import { createRequire } from 'node:module';
import type { SgNode, SgRoot } from '@ast-grep/napi';
import type { CodeLocation } from '../../../model/observation.js';
import { locationOf } from '../common/location.js';

const require = createRequire(import.meta.url);

type Napi = typeof import('@ast-grep/napi');
let napi: Napi | null = null;

const REGISTERED = Symbol.for('cookieguard.ast-grep.dynamic-languages');
const DYNAMIC_LANGS: Record<string, string> = {
  php: '@ast-grep/lang-php',
  python: '@ast-grep/lang-python',
};

function load(): Napi {
  if (napi) return napi;
  const mod = require('@ast-grep/napi') as Napi;
  const g = globalThis as Record<symbol, unknown>;
  if (!g[REGISTERED]) {
    const langs: Record<
      string,
      { libraryPath: string; extensions: string[]; languageSymbol?: string; expandoChar?: string }
    > = {};
    for (const [name, pkg] of Object.entries(DYNAMIC_LANGS)) {
      try {
        langs[name] = require(pkg);
      } catch {
        // not installed: leave it out
      }
    }
    mod.registerDynamicLanguage(langs);
    g[REGISTERED] = Object.keys(langs);
  }
  napi = mod;
  return mod;
}

export function parsePhp(text: string): SgRoot {
  return load().parse('php', text);
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
