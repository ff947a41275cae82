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
