/**
 * ast-grep's dynamic languages (tree-sitter grammars shipped prebuilt in `@ast-grep/lang-*`), registered
 * once per thread, all at once.
 *
 * `@ast-grep/napi` keeps only the FIRST set of dynamic languages registered in a process or worker
 * (checked with @ast-grep/napi 0.51 and the lang packages 0.0.6/0.0.7: a second
 * `registerDynamicLanguage` call is silently ignored). So every extractor asks this module, which
 * registers every grammar that is installed in one call, the first time any of them is needed in the
 * thread. A grammar that is not installed is left out; `parseAs` then throws a clear error.
 */
import { createRequire } from 'node:module';
import type { SgRoot } from '@ast-grep/napi';

const require = createRequire(import.meta.url);
type Napi = typeof import('@ast-grep/napi');

/** Grammar name (as ast-grep knows it) → package. */
export const DYNAMIC_LANGUAGES = {
  php: '@ast-grep/lang-php',
  python: '@ast-grep/lang-python',
  ruby: '@ast-grep/lang-ruby',
  java: '@ast-grep/lang-java',
  csharp: '@ast-grep/lang-csharp',
  go: '@ast-grep/lang-go',
} as const;
export type DynamicLanguage = keyof typeof DYNAMIC_LANGUAGES;

const REGISTERED = Symbol.for('cookieguard.ast-grep.dynamic-languages');
let napi: Napi | null = null;

/** The napi binding with every installed grammar registered in this thread. */
export function grammars(): Napi {
  if (napi) return napi;
  const mod = require('@ast-grep/napi') as Napi;
  const g = globalThis as Record<symbol, unknown>;
  if (!g[REGISTERED]) {
    const langs: Record<string, { libraryPath: string; extensions: string[] }> = {};
    for (const [name, pkg] of Object.entries(DYNAMIC_LANGUAGES)) {
      try {
        langs[name] = require(pkg) as { libraryPath: string; extensions: string[] };
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

/** The grammars registered in this thread (after `grammars()`). */
export function registeredGrammars(): readonly string[] {
  grammars();
  return ((globalThis as Record<symbol, unknown>)[REGISTERED] as string[] | undefined) ?? [];
}

/** Parses `text` with a dynamic grammar; a grammar that is not installed is one clear error. */
export function parseAs(lang: DynamicLanguage, text: string): SgRoot {
  const mod = grammars();
  if (!registeredGrammars().includes(lang))
    throw new Error(`the ${lang} parser is not installed (${DYNAMIC_LANGUAGES[lang]} is missing)`);
  return mod.parse(lang, text);
}
