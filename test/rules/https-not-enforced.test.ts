import rule from '../../src/rules/https-not-enforced.js';
import { httpTwin, loc, runRuleCases, setting } from './helpers.js';

runRuleCases(rule, {
  valid: [
    {
      name: 'HTTP redirects to HTTPS',
      observations: [
        httpTwin('http://a.test/', {
          servesContent: false,
          redirectsToHttps: true,
          status: 301,
          chain: [
            {
              url: 'http://a.test/',
              scheme: 'http',
              status: 301,
              location: 'https://a.test/',
              setCookies: [],
              hsts: [],
            },
          ],
        }),
      ],
    },
    {
      name: 'HTTP not reachable',
      observations: [httpTwin('http://a.test/', { reachable: false, servesContent: false })],
    },
    { name: 'ssl-redirect true', observations: [setting('django', 'ssl-redirect', true)] },
    {
      name: 'ssl-redirect unknown',
      observations: [
        setting('django', 'ssl-redirect', false, { provenance: { kind: 'unknown', reason: 'computed' } }),
      ],
    },
    { name: 'another setting', observations: [setting('django', 'hsts-max-age', 31536000)] },
  ],
  invalid: [
    {
      name: 'HTTP serves content, setting a cookie',
      observations: [
        httpTwin('http://a.test/', {
          chain: [
            {
              url: 'http://a.test/',
              scheme: 'http',
              status: 200,
              location: null,
              setCookies: ['sid=1'],
              hsts: [],
            },
          ],
        }),
      ],
      findings: [
        {
          severity: 'medium',
          url: 'http://a.test/',
          message: ['answers over plain HTTP with content (status 200, setting 1 cookie)'],
          browser: 'SSL stripping',
          fix: 'return 301 https://',
          evidence: 'http://a.test/ -> 200',
        },
      ],
    },
    {
      name: 'Django SECURE_SSL_REDIRECT default False: low',
      observations: [
        setting('django', 'ssl-redirect', false, {
          provenance: { kind: 'framework-default', framework: 'django', note: 'SECURE_SSL_REDIRECT = False' },
          location: loc('mysite/settings.py', 1),
        }),
      ],
      findings: [
        {
          severity: 'low',
          location: { file: 'mysite/settings.py' },
          message: "SECURE_SSL_REDIRECT = False (django's default)",
          fix: 'SECURE_SSL_REDIRECT = True',
        },
      ],
    },
    {
      name: 'Rails force_ssl = false explicitly',
      observations: [
        setting('rails', 'ssl-redirect', false, {
          evidence: 'config.force_ssl = false',
          location: loc('config/environments/production.rb', 40),
        }),
      ],
      findings: [{ severity: 'low', message: 'config.force_ssl = false', fix: 'config.force_ssl = true' }],
    },
    {
      name: 'in test code: info',
      observations: [setting('django', 'ssl-redirect', false, { inTestCode: true })],
      findings: [{ severity: 'info' }],
    },
  ],
});
