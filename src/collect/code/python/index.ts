/**
 * Python support of `cookieguard scan`: Flask (+ Flask-Login, Werkzeug ProxyFix), Django and
 * Starlette / FastAPI. Extractors run per file in workers and report facts (facts.ts); resolvers
 * run once over the whole project and turn them into observations.
 */
import type { Extractor, Resolver } from '../types.js';
import { djangoDeploymentExtractor } from './django-deploy-extractor.js';
import { djangoExtractor } from './django-extractor.js';
import { djangoResolver } from './django-resolver.js';
import { flaskExtractor } from './flask-extractor.js';
import { flaskResolver } from './flask-resolver.js';
import { pydanticExtractor } from './pydantic-extractor.js';
import { rawCookieExtractor } from './raw-cookie-extractor.js';
import { setCookieExtractor } from './set-cookie-extractor.js';
import { setCookieResolver } from './set-cookie-resolver.js';
import { settingsExtractor } from './settings-extractor.js';
import { starletteExtractor } from './starlette-extractor.js';
import { starletteResolver } from './starlette-resolver.js';

export const extractors: Extractor[] = [
  settingsExtractor,
  flaskExtractor,
  djangoExtractor,
  starletteExtractor,
  setCookieExtractor,
  rawCookieExtractor,
  djangoDeploymentExtractor,
  pydanticExtractor,
];

export const resolvers: Resolver[] = [djangoResolver, flaskResolver, starletteResolver, setCookieResolver];
