import rule from '../../src/rules/form-posts-over-http.js';
import { page, runRuleCases } from './helpers.js';

runRuleCases(rule, {
  valid: [{ name: 'no insecure form', observations: [page('https://a.test/login')] }],
  invalid: [
    {
      name: 'HTTPS login page posting to http://',
      observations: [
        page('https://a.test/login', {
          insecureFormActions: ['http://a.test/session', 'http://a.test/session'],
        }),
      ],
      findings: [
        {
          severity: 'medium',
          url: 'https://a.test/login',
          message: 'A form on https://a.test/login submits to http://a.test/session',
          browser: 'passwords',
          fix: 'https://',
          evidence: '<form action="http://a.test/session">',
        },
      ],
    },
    {
      name: 'a form with a password field: high, named as a login form',
      observations: [
        page('https://a.test/', {
          insecureFormActions: ['http://a.test/search', 'http://a.test/login'],
          insecureForms: [
            { action: 'http://a.test/search', method: 'get', hasPassword: false },
            { action: 'http://a.test/login', method: 'post', hasPassword: true },
          ],
        }),
      ],
      findings: [
        {
          severity: 'high',
          message:
            'A login form (with a password field) on https://a.test/ submits to http://a.test/login (and 1 more http:// form action)',
        },
      ],
    },
    {
      name: 'HTTP page with several actions: one finding',
      observations: [
        page('http://a.test/', {
          insecureFormActions: ['http://a.test/b', 'http://a.test/a', 'http://a.test/c'],
        }),
      ],
      findings: [
        { severity: 'medium', message: 'submits to http://a.test/a (and 2 more http:// form actions)' },
      ],
    },
  ],
});
