import rule from '../../src/rules/cookie-config-unresolved.js';
import {
  cookie,
  envDependent,
  explicit,
  frameworkDefault,
  loc,
  runRuleCases,
  unknownAttr,
} from './helpers.js';

runRuleCases(rule, {
  valid: [
    {
      name: 'resolved Secure and HttpOnly, whatever their values',
      observations: [
        cookie({
          name: 'sessionid',
          secure: explicit(false, 'SESSION_COOKIE_SECURE = False'),
          httpOnly: true,
        }),
        cookie({ name: 'connect.sid', secure: frameworkDefault(false, 'express-session'), httpOnly: true }),
      ],
    },
    {
      name: 'environment-dependent with an environment resolved is judged by the other rules',
      observations: [
        cookie({
          name: 'sid',
          secure: envDependent('unknown', 'not DEBUG', { production: true, development: 'unknown' }),
        }),
        cookie({ name: 'sid2', secure: envDependent('unknown', 'not DEBUG', { production: false }) }),
      ],
    },
    {
      name: 'live cookies are never unresolved configurations',
      observations: [cookie({ name: 'sid', url: 'https://app.test/', secure: unknownAttr('odd') })],
    },
    {
      name: 'preference and analytics cookies are not session configurations',
      observations: [
        cookie({ name: 'theme', category: 'preference', secure: unknownAttr('a function result') }),
      ],
    },
    {
      name: 'HttpOnly of a cookie written by script or of a CSRF cookie is not asked for',
      observations: [
        cookie({ name: 'token', setBy: 'script', secure: true, httpOnly: unknownAttr('n/a') }),
        cookie({ name: 'csrftoken', category: 'csrf', secure: true, httpOnly: unknownAttr('n/a') }),
      ],
    },
    {
      name: 'a literal Domain is resolved (cookie-domain-broad judges it)',
      observations: [cookie({ name: 'sid', secure: true, httpOnly: true, domain: '.example.com' })],
    },
    {
      name: 'a deletion is not a configuration',
      observations: [cookie({ name: 'sid', deletion: true, secure: unknownAttr('x') })],
    },
  ],
  invalid: [
    {
      name: 'Secure from a config object outside the tree: named, with the reason, at info',
      observations: [
        cookie({
          name: 'session',
          framework: 'flask',
          classFramework: 'flask',
          secure: unknownAttr('configuration loaded from settings.Prod, which is not in the scanned tree', {
            evidence: 'app.config.from_object(settings.Prod)',
            location: loc('app.py', 4),
          }),
          httpOnly: true,
        }),
      ],
      findings: [
        {
          severity: 'info',
          cookie: 'session',
          location: { file: 'app.py', line: 4, column: 1 },
          message: ['could not resolve Secure', 'settings.Prod, which is not in the scanned tree'],
          fix: "SESSION_COOKIE_SECURE'] = True",
        },
      ],
    },
    {
      name: 'nothing resolved in any environment; HttpOnly unknown too',
      observations: [
        cookie({
          name: 'laravel_session',
          framework: 'laravel',
          classFramework: 'laravel',
          secure: envDependent('unknown', "env('SESSION_SECURE_COOKIE')", {}),
          httpOnly: unknownAttr('a function result'),
        }),
      ],
      findings: [
        {
          severity: 'info',
          message: [
            "Secure (it depends on env('SESSION_SECURE_COOKIE'), and no environment could be resolved)",
            'HttpOnly (a function result)',
          ],
        },
      ],
    },
    {
      name: 'a Domain the code computes, on a Secure HttpOnly session cookie: named, located where it is set',
      observations: [
        cookie({
          name: 'accessToken',
          secure: true,
          httpOnly: true,
          domain: unknownAttr('result of getCookieDomain(ctx.hostname)', {
            evidence: 'domain: getCookieDomain(ctx.hostname)',
            location: loc('server/auth.ts', 12),
          }),
        }),
      ],
      findings: [
        {
          severity: 'info',
          cookie: 'accessToken',
          location: { file: 'server/auth.ts', line: 12, column: 1 },
          message: 'could not resolve Domain (result of getCookieDomain(ctx.hostname))',
        },
      ],
    },
    {
      name: 'a CSRF cookie whose Secure is unknown',
      observations: [cookie({ name: 'csrftoken', category: 'csrf', secure: unknownAttr('settings.X') })],
      findings: [{ severity: 'info', cookie: 'csrftoken', message: 'could not resolve Secure (settings.X)' }],
    },
  ],
});
