/**
 * The Go extractors and resolvers of `cookieguard scan` (issue 13): net/http cookies, gin, echo,
 * gorilla/sessions, gin-contrib/sessions, alexedwards/scs, gorilla/csrf; versions from go.mod.
 */
import type { Extractor, Resolver } from '../types.js';
import { goExtractor } from './extractor.js';
import { goModExtractor } from './gomod.js';
import { goResolver } from './resolver.js';

export const extractors: Extractor[] = [goModExtractor, goExtractor];
export const resolvers: Resolver[] = [goResolver];
