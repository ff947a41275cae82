/**
 * JavaScript / TypeScript knowledge of `cookieguard scan`: express-session, cookie-session, Express
 * res.cookie, raw Set-Cookie headers, cookie.serialize, Koa (ctx.cookies, koa-session, app.proxy), Fastify
 * (@fastify/session, @fastify/secure-session, @fastify/cookie, trustProxy), Next.js cookies(), NextAuth /
 * Auth.js, iron-session, Hono, and browser-side cookies (document.cookie, js-cookie, universal-cookie,
 * react-cookie, ngx-cookie-service, jquery.cookie).
 */
import type { Extractor, Resolver } from '../types.js';
import { jsExtractor } from './extractor.js';
import { jsResolver } from './resolve.js';
import { packageJsonExtractor } from './packages.js';

export const extractors: Extractor[] = [jsExtractor, packageJsonExtractor];
export const resolvers: Resolver[] = [jsResolver];
export { extractJavaScript } from './extractor.js';
export { resolveJavaScript } from './resolve.js';
