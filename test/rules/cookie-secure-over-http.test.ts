import rule from '../../src/rules/cookie-secure-over-http.js';
import { cookie, runRuleCases } from './helpers.js';

runRuleCases(rule, {
  valid: [
    {
      name: 'Secure over HTTPS',
      observations: [cookie({ name: 'sid', url: 'https://a.test/', secure: true })],
    },
    {
      name: 'not Secure over HTTP (cookie-set-over-http)',
      observations: [cookie({ name: 'sid', url: 'http://a.test/', secure: false })],
    },
    { name: 'code', observations: [cookie({ name: 'sid', secure: true })] },
    {
      name: 'deletion',
      observations: [cookie({ name: 'sid', url: 'http://a.test/', secure: true, deletion: true })],
    },
  ],
  invalid: [
    {
      name: 'Secure session cookie set over plain HTTP: rejected',
      observations: [
        cookie({ name: 'sid', url: 'http://a.test/', secure: true, rejectedBy: ['SecureOnly'] }),
      ],
      findings: [
        {
          severity: 'medium',
          url: 'http://a.test/',
          message: 'browsers ignore it',
          browser: 'never stored',
          fix: 'HTTPS',
        },
      ],
    },
    {
      name: 'computed without rejectedBy',
      observations: [cookie({ name: 'sid', url: 'http://a.test/', secure: true })],
      findings: [{ severity: 'medium' }],
    },
    {
      name: 'localhost: Chrome and Firefox keep it, Safari does not (low)',
      observations: [
        cookie({ name: 'sid', url: 'http://localhost:3000/', secure: true, rejectedBy: ['SecureOnly'] }),
        cookie({ name: 'sid2', url: 'http://127.0.0.1:8080/', secure: true }),
      ],
      findings: [
        {
          severity: 'low',
          cookie: 'sid2',
          message: 'Chrome and Firefox keep it, Safari ignores it',
          browser: 'Safari does not',
          fix: 'cookieguard dev',
        },
        { severity: 'low', cookie: 'sid', url: 'http://localhost:3000/' },
      ],
    },
    {
      name: 'vendor cookie: info',
      observations: [
        cookie({
          name: '__cf_bm',
          category: 'infrastructure',
          vendor: 'Cloudflare',
          url: 'http://a.test/',
          secure: true,
        }),
      ],
      findings: [{ severity: 'info', message: 'vendor-controlled' }],
    },
  ],
});
