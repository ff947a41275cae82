/**
 * Ruby support of `cookieguard scan` (issue 13): Ruby on Rails (session store, force_ssl /
 * ssl_options per environment, cookies[], cookies_same_site_protection, load_defaults) and
 * Rack::Session::Cookie, with the Rails version from Gemfile.lock / Gemfile.
 */
import type { Extractor, Resolver } from '../types.js';
import { railsExtractor } from './extractor.js';
import { gemfileExtractor, gemfileLockExtractor } from './gems.js';
import { railsResolver } from './resolver.js';

export const extractors: Extractor[] = [railsExtractor, gemfileLockExtractor, gemfileExtractor];
export const resolvers: Resolver[] = [railsResolver];
