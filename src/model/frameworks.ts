/**
 * Framework identifiers used across collectors, rules (fix advice) and reports. Keep these exact
 * strings: a collector tags observations with one, and rules pick fix advice by it.
 */
export const FRAMEWORKS = [
  'php', // plain PHP sessions / setcookie
  'laravel',
  'symfony',
  'flask',
  'flask-login',
  'django',
  'starlette', // also FastAPI
  'express', // res.cookie, raw Set-Cookie in Node http/Express
  'express-session',
  'cookie-session',
  'koa',
  'koa-session',
  'fastify',
  'next',
  'next-auth',
  'iron-session',
  'hono',
  'browser-js', // document.cookie, js-cookie, universal-cookie, ngx-cookie-service
  'nuxt-auth', // @nuxtjs/auth(-next): the token cookie its storage writes
  'rails',
  'rack', // Rack::Session::Cookie (issue 13, Ruby)
  'spring',
  'aspnet',
  'go',
  // issue 13 (Java): a servlet container's own session cookie and servlet code, without Spring Boot
  'servlet',
  // Go libraries (issue 13, i13-go): cookies set through gin / echo, sessions of gorilla/sessions,
  // gin-contrib/sessions and alexedwards/scs, the CSRF cookie of gorilla/csrf.
  'gin',
  'echo',
  'gorilla-sessions',
  'gin-sessions',
  'scs',
  'gorilla-csrf',
] as const;

export type Framework = (typeof FRAMEWORKS)[number];
