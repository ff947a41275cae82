import rule from '../../src/rules/cookie-missing-secure.js';
import {
  cookie,
  envDependent,
  explicit,
  frameworkDefault,
  hsts,
  loc,
  proxyTrust,
  runRuleCases,
  unknownAttr,
} from './helpers.js';

const php = {
  name: 'PHPSESSID',
  reason: "PHP's default session cookie (session.name)",
  classFramework: 'php',
  framework: 'php',
};

runRuleCases(rule, {
  valid: [
    {
      name: 'Secure session cookie over HTTPS',
      observations: [cookie({ name: 'sid', url: 'https://app.test/', secure: true })],
    },
    {
      name: 'deletion is not judged',
      observations: [
        cookie({ name: 'sid', url: 'https://app.test/logout', secure: false, deletion: true, value: '' }),
      ],
    },
    {
      name: 'delivered over plain HTTP: cookie-set-over-http, not this rule',
      observations: [cookie({ name: 'sid', url: 'http://app.test/', secure: false })],
    },
    {
      name: 'unknown provenance is never reported as insecure',
      observations: [cookie({ name: 'sid', secure: unknownAttr('computed at runtime') })],
    },
    {
      name: 'env-dependent Secure is cookie-secure-env-dependent, not this rule',
      observations: [
        cookie({
          name: 'connect.sid',
          secure: envDependent(false, "process.env.NODE_ENV === 'production'", {
            production: true,
            development: false,
          }),
        }),
      ],
    },
    {
      name: "secure: 'auto' follows the request",
      observations: [cookie({ name: 'connect.sid', secure: 'auto' })],
    },
    {
      name: 'rejected (SameSite=None without Secure): only the rejection rule',
      observations: [cookie({ name: 'sid', url: 'https://app.test/', secure: false, sameSite: 'none' })],
    },
    {
      name: 'rejected (__Host- without Secure): only the rejection rule',
      observations: [cookie({ name: '__Host-sid', secure: false, path: '/' })],
    },
    {
      name: 'explained by a proxy-trust probe (session-trust-proxy-missing reports it)',
      observations: [
        cookie({ name: 'connect.sid', url: 'https://app.test/login', secure: false }),
        proxyTrust('insecure-despite-https', { url: 'https://app.test/', cookie: 'connect.sid' }),
      ],
    },
  ],
  invalid: [
    {
      name: 'environment-dependent but Secure in no environment that resolved: the unresolved one is named',
      observations: [
        cookie({
          name: 'session',
          framework: 'flask',
          classFramework: 'flask',
          location: loc('app/__init__.py', 9),
          secure: envDependent(
            'unknown',
            'the config class selected by FLASK_CONFIG',
            { development: false, testing: false, production: 'unknown' },
            { evidence: 'app.config.from_object(config[name])', location: loc('app/__init__.py', 11) },
          ),
        }),
      ],
      findings: [
        {
          severity: 'high',
          location: { file: 'app/__init__.py', line: 11, column: 1 },
          message: [
            'makes it Secure in no environment that could be resolved',
            'development: not Secure',
            'testing: not Secure',
            'not resolved: production',
            'FLASK_CONFIG makes it Secure in no environment',
          ],
          fix: "SESSION_COOKIE_SECURE'] = True",
        },
      ],
    },
    {
      name: 'live session cookie over HTTPS without Secure, HSTS absent',
      observations: [
        cookie({ name: 'sid', url: 'https://app.test/login', secure: false, value: 'S3CR3TVALUE' }),
      ],
      findings: [
        {
          severity: 'high',
          cookie: 'sid',
          url: 'https://app.test/login',
          location: null,
          message: ['The session cookie sid', 'set without Secure', 'http://app.test/'],
          browser: ['http://app.test/', 'Without HSTS'],
          evidence: 'Set-Cookie: sid=<redacted>; Path=/',
          fix: 'Secure',
        },
      ],
    },
    {
      name: 'with HSTS (no includeSubDomains) the browser text says what HSTS leaves open',
      observations: [
        cookie({ name: 'sid', url: 'https://app.test/', secure: false }),
        hsts('https://app.test/', 'max-age=31536000', { includeSubDomains: false }),
      ],
      findings: [{ severity: 'high', browser: ['sends HSTS', 'first visit', 'subdomains'] }],
    },
    {
      name: 'PHP session.cookie_secure = Off (php.ini): fix names the php.ini setting',
      observations: [
        cookie({
          ...php,
          secure: explicit(false, 'session.cookie_secure = Off', loc('config/php.ini', 9, 1)),
          location: loc('public/index.php', 3, 1),
        }),
      ],
      findings: [
        {
          severity: 'high',
          cookie: 'PHPSESSID',
          url: null,
          location: { file: 'config/php.ini', line: 9, column: 1 },
          message: [
            "The session cookie PHPSESSID (PHP's default session cookie",
            'session.cookie_secure = Off',
          ],
          evidence: 'session.cookie_secure = Off',
          fix: 'session.cookie_secure = 1',
          framework: 'php',
        },
      ],
    },
    {
      name: 'framework default (express-session secure: false): location falls back to the observation',
      observations: [
        cookie({
          name: 'connect.sid',
          reason: "express-session's default session cookie",
          classFramework: 'express-session',
          framework: 'express-session',
          secure: frameworkDefault(false, 'express-session', 'cookie.secure defaults to false'),
          location: loc('src/app.js', 14, 9),
        }),
      ],
      findings: [
        {
          severity: 'high',
          location: { file: 'src/app.js', line: 14 },
          message: ["express-session's default", 'cookie.secure defaults to false'],
          fix: ['cookie: { secure: true }', "app.set('trust proxy', 1)"],
        },
      ],
    },
    {
      name: 'Laravel: fix is SESSION_SECURE_COOKIE=true',
      observations: [
        cookie({
          name: 'laravel_session',
          classFramework: 'laravel',
          framework: 'laravel',
          reason: "Laravel's default session cookie",
          secure: explicit(false, "'secure' => false", loc('config/session.php', 170, 5)),
        }),
      ],
      findings: [{ severity: 'high', fix: 'SESSION_SECURE_COOKIE=true' }],
    },
    {
      name: 'Django CSRF cookie: medium, fix is CSRF_COOKIE_SECURE',
      observations: [
        cookie({
          name: 'csrftoken',
          category: 'csrf',
          framework: 'django',
          secure: frameworkDefault(false, 'django', 'CSRF_COOKIE_SECURE = False'),
        }),
      ],
      findings: [{ severity: 'medium', fix: 'CSRF_COOKIE_SECURE = True' }],
    },
    {
      name: 'Flask-Login remember cookie: REMEMBER_COOKIE_SECURE',
      observations: [
        cookie({
          name: 'remember_token',
          framework: 'flask-login',
          classFramework: 'flask-login',
          secure: frameworkDefault(false, 'flask-login'),
        }),
      ],
      findings: [{ severity: 'high', fix: 'REMEMBER_COOKIE_SECURE' }],
    },
    {
      name: 'Starlette SessionMiddleware: https_only=True',
      observations: [
        cookie({
          name: 'session',
          framework: 'starlette',
          classFramework: 'starlette',
          secure: frameworkDefault(false, 'starlette'),
        }),
      ],
      findings: [{ severity: 'high', fix: 'https_only=True' }],
    },
    {
      name: 'analytics cookie: low; vendor-controlled: info and says so',
      observations: [
        cookie({ name: 'prefs', category: 'preference', url: 'https://app.test/', secure: false }),
        cookie({
          name: '_ga',
          category: 'analytics',
          vendor: 'Google Analytics',
          url: 'https://app.test/',
          secure: false,
        }),
      ],
      findings: [
        { severity: 'info', cookie: '_ga', message: 'vendor-controlled: Google Analytics' },
        { severity: 'low', cookie: 'prefs' },
      ],
    },
    {
      name: 'unrecognised cookie: medium',
      observations: [cookie({ name: 'foo', category: 'unknown', url: 'https://app.test/', secure: false })],
      findings: [{ severity: 'medium', cookie: 'foo' }],
    },
    {
      name: 'in test code: info',
      observations: [
        cookie({ name: 'sid', secure: false, inTestCode: true, location: loc('test/app.test.js', 5) }),
      ],
      findings: [{ severity: 'info', message: 'in test code' }],
    },
    {
      name: 'document.cookie without Secure (script-set): browser-js fix',
      observations: [
        cookie({
          name: 'token',
          framework: 'browser-js',
          setBy: 'script',
          secure: false,
          httpOnly: false,
          location: loc('web/auth.js', 4, 1),
        }),
      ],
      findings: [{ severity: 'high', message: 'set by script', fix: '; Secure' }],
    },
  ],
});
