/**
 * The extractors and resolvers of `cookieguard scan`, in a fixed order (facts of a file are listed in
 * this order, resolvers run in this order). Worker threads import this module by URL; a test can
 * hand `collectCode` another module with the same two exports (see `registry` in CollectOptions).
 */
import * as common from './common/index.js';
import * as csharp from './csharp/index.js';
import * as go from './go/index.js';
import * as java from './java/index.js';
import * as js from './js/index.js';
import * as php from './php/index.js';
import * as python from './python/index.js';
import * as ruby from './ruby/index.js';
import type { Extractor, Resolver } from './types.js';

export const extractors: Extractor[] = [
  ...common.extractors,
  ...php.extractors,
  ...python.extractors,
  ...js.extractors,
  ...ruby.extractors,
  ...java.extractors,
  ...csharp.extractors,
  ...go.extractors,
];
export const resolvers: Resolver[] = [
  ...common.resolvers,
  ...php.resolvers,
  ...python.resolvers,
  ...js.resolvers,
  ...ruby.resolvers,
  ...java.resolvers,
  ...csharp.resolvers,
  ...go.resolvers,
];

export interface Registry {
  extractors: readonly Extractor[];
  resolvers: readonly Resolver[];
}

/** URL of this module: what workers import when no other registry is given. */
export const DEFAULT_REGISTRY_MODULE: string = import.meta.url;

function isExtractor(x: unknown): x is Extractor {
  const e = x as Extractor;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.name === 'string' &&
    Array.isArray(e.files) &&
    Array.isArray(e.keywords) &&
    typeof e.extract === 'function'
  );
}

function isResolver(x: unknown): x is Resolver {
  const r = x as Resolver;
  return typeof r === 'object' && r !== null && typeof r.name === 'string' && typeof r.resolve === 'function';
}

/** Imports a registry module (a URL or an absolute path) and checks its exports. */
export async function importRegistry(module: string): Promise<Registry> {
  const mod = (await import(module)) as Partial<Registry>;
  const ex = mod.extractors;
  const rs = mod.resolvers ?? [];
  if (!Array.isArray(ex) || !ex.every(isExtractor)) {
    throw new Error(`registry ${module} does not export an 'extractors' array of extractors`);
  }
  if (!Array.isArray(rs) || !rs.every(isResolver)) {
    throw new Error(`registry ${module} does not export a 'resolvers' array of resolvers`);
  }
  return { extractors: ex, resolvers: rs };
}
