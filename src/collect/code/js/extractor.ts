/**
 * The JavaScript / TypeScript extractor: one parse per file (ast-grep), then every detector reads the same
 * tree. Pure and synchronous; returns structured-clone-safe facts (it runs in worker threads).
 */
import type { CodeFact, Extractor, SourceFile } from '../types.js';
import { JsFile, langOf } from './context.js';
import { detectBrowserCookies, detectServerCookies } from './detect-cookies.js';
import { detectSessions } from './detect-sessions.js';
import { detectTransport } from './detect-transport.js';
import { detectEnvLoads, detectExports, RELEVANT } from './detect-exports.js';
import { helperCallFacts } from './helpers.js';

/**
 * Words one of which a file must contain for any detector to find something (module names, method and
 * header names): a file without them is never parsed. The engine's keywords are coarser ('session').
 */
const GATE = [
  'express-session',
  'cookie-session',
  'koa-session',
  'fastify',
  'iron-session',
  'next-auth',
  '@auth/',
  '.cookie',
  'setcookie',
  // a call of a project function that writes cookies (`writeCookie('token', t)`, `setAuthCookie(res, t)`)
  'cookie(',
  'cookies.set',
  'next/headers',
  'hono/cookie',
  'serialize',
  'set-cookie',
  'js-cookie',
  'universal-cookie',
  'react-cookie',
  'ngx-cookie',
  'ngy-cookie',
  'proxy',
  'createserver',
  'createsecureserver',
  'loadenvfile',
  'dotenv',
  // @nuxtjs/auth options in nuxt.config (auth: { strategies, cookie })
  'strategies',
];

export function extractJavaScript(file: SourceFile): CodeFact[] {
  const lang = langOf(file.file);
  if (!lang || /\.min\.[cm]?js$/i.test(file.file)) return [];
  const lower = file.text.toLowerCase();
  const exportsSomething =
    (lower.includes('export') || lower.includes('module.')) && RELEVANT.test(file.text);
  if (!exportsSomething && !GATE.some((w) => lower.includes(w))) return [];
  const ctx = new JsFile(file.file, file.text, lang);
  const consumed = new Set<number>();
  return [
    ...detectSessions(ctx, consumed),
    ...detectServerCookies(ctx),
    ...detectBrowserCookies(ctx),
    ...detectTransport(ctx),
    ...detectExports(ctx),
    ...detectEnvLoads(ctx),
    ...(ctx.mentions('cookie') ? helperCallFacts(ctx) : []),
  ];
}

export const jsExtractor: Extractor = {
  name: 'javascript',
  files: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'],
  // matched case-insensitively before parsing: files that set or configure cookies / sessions, trust a
  // proxy (trust proxy, trustProxy, app.proxy) or terminate TLS themselves (createServer, fastify https);
  // NODE_ENV: modules that export environment conditions (`export const isProd = ...`) other files import
  keywords: [
    'cookie',
    'session',
    'proxy',
    'createServer',
    'createSecureServer',
    'fastify',
    'nextauth',
    'next-auth',
    '@auth/',
    'NODE_ENV',
    'loadEnvFile',
    'dotenv',
  ],
  extract: extractJavaScript,
};
