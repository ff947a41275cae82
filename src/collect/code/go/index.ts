/** The go extractors and resolvers of `cookieguard scan` (issue 13). */
import type { Extractor, Resolver } from '../types.js';

export const extractors: Extractor[] = [];
export const resolvers: Resolver[] = [];
