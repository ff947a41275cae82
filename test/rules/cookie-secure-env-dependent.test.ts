import rule from '../../src/rules/cookie-secure-env-dependent.js';
import { cookie, envDependent, explicit, loc, runRuleCases } from './helpers.js';

const nodeEnv = "process.env.NODE_ENV === 'production'";

runRuleCases(rule, {
  valid: [
    {
      name: 'explicit Secure',
      observations: [cookie({ name: 'connect.sid', secure: explicit(true, 'secure: true') })],
    },
    {
      name: 'explicitly not Secure is cookie-missing-secure, not this rule',
      observations: [cookie({ name: 'sid', secure: false })],
    },
    {
      name: 'a deletion is not judged',
      observations: [
        cookie({
          name: 'sid',
          deletion: true,
          secure: envDependent('unknown', nodeEnv, { production: true }),
        }),
      ],
    },
    {
      name: 'not Secure in every environment that resolved is cookie-missing-secure, not this rule',
      observations: [
        cookie({
          name: 'sessionid',
          secure: envDependent('unknown', 'not DEBUG', { production: false, development: false }),
        }),
      ],
    },
    {
      name: 'Secure in no environment and unresolved in the others is cookie-missing-secure too',
      observations: [
        cookie({
          name: 'sessionid',
          secure: envDependent('unknown', 'the config class selected by FLASK_CONFIG', {
            development: false,
            production: 'unknown',
          }),
        }),
      ],
    },
    {
      name: 'nothing resolved is cookie-config-unresolved, not this rule',
      observations: [
        cookie({
          name: 'laravel_session',
          framework: 'laravel',
          classFramework: 'laravel',
          secure: envDependent('unknown', "env('SESSION_SECURE_COOKIE')", {}),
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'express-session secure: NODE_ENV === production, resolved per environment',
      observations: [
        cookie({
          name: 'connect.sid',
          framework: 'express-session',
          classFramework: 'express-session',
          reason: "express-session's default session cookie",
          secure: envDependent(
            'unknown',
            nodeEnv,
            { production: true, development: false },
            {
              evidence: "secure: process.env.NODE_ENV === 'production'",
              location: loc('src/server.ts', 22, 5),
              resolvedFrom: ['.env.production', '.env'],
            },
          ),
        }),
      ],
      findings: [
        {
          severity: 'medium',
          cookie: 'connect.sid',
          location: { file: 'src/server.ts', line: 22, column: 5 },
          message: [
            "is Secure only when process.env.NODE_ENV === 'production'",
            'development: not Secure',
            'production: Secure',
            'resolved from .env.production, .env',
          ],
          evidence: "secure: process.env.NODE_ENV === 'production'",
          fix: ['cookie: { secure: true }', 'cookieguard dev', "app.set('trust proxy', 1)"],
        },
      ],
    },
    {
      name: 'production resolves to not Secure: high',
      observations: [
        cookie({
          name: 'sessionid',
          framework: 'django',
          classFramework: 'django',
          secure: envDependent(
            'unknown',
            'DEBUG',
            { production: false, development: true },
            { evidence: 'SESSION_COOKIE_SECURE = DEBUG' },
          ),
        }),
      ],
      findings: [
        {
          severity: 'high',
          message: ['Secure only when DEBUG', 'production: not Secure', 'development: Secure'],
          fix: 'SESSION_COOKIE_SECURE = True',
        },
      ],
    },
    {
      name: 'CSRF cookie: one step lower; in test code: info',
      observations: [
        cookie({
          name: 'csrftoken',
          category: 'csrf',
          framework: 'django',
          secure: envDependent('unknown', 'not DEBUG', { production: true }),
        }),
        cookie({
          name: 'sid',
          inTestCode: true,
          location: loc('tests/settings.py', 3),
          secure: envDependent('unknown', 'not DEBUG', { production: true }),
        }),
      ],
      findings: [
        { severity: 'low', cookie: 'csrftoken', fix: 'CSRF_COOKIE_SECURE = True' },
        { severity: 'info', cookie: 'sid' },
      ],
    },
  ],
});
