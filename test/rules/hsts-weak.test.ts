import rule from '../../src/rules/hsts-weak.js';
import { codeHsts, hsts, runRuleCases, setting } from './helpers.js';

runRuleCases(rule, {
  valid: [
    {
      name: 'exactly 180 days',
      observations: [hsts('https://a.test/', 'max-age=15552000', { maxAge: 15552000 })],
    },
    { name: 'one year', observations: [hsts('https://a.test/', 'max-age=31536000')] },
    { name: 'missing is hsts-missing', observations: [hsts('https://a.test/', null)] },
    { name: 'code zero is hsts-missing', observations: [codeHsts('django', 0)] },
    { name: 'setting above threshold', observations: [setting('django', 'hsts-max-age', 15552000)] },
  ],
  invalid: [
    {
      name: 'one day short of 180 days',
      observations: [
        hsts('https://a.test/', 'max-age=15465600', { maxAge: 15465600, includeSubDomains: false }),
      ],
      findings: [
        {
          severity: 'low',
          url: 'https://a.test/',
          message: [
            'max-age=15465600 (179 days)',
            'under the 180 days (15552000 s)',
            'without includeSubDomains',
          ],
          evidence: 'Strict-Transport-Security: max-age=15465600',
          fix: '15552000',
        },
      ],
    },
    {
      name: 'max-age=0 removes the policy: medium',
      observations: [hsts('https://a.test/', 'max-age=0', { maxAge: 0 })],
      findings: [{ severity: 'medium', message: 'max-age=0', browser: 'forget' }],
    },
    {
      name: 'malformed header browsers ignore: medium',
      observations: [
        hsts('https://a.test/', 'max-age=abc', {
          maxAge: null,
          valid: false,
          errors: ['max-age is not a number'],
        }),
      ],
      findings: [{ severity: 'medium', message: 'max-age is not a number', browser: 'ignore' }],
    },
    {
      name: 'code: Django SECURE_HSTS_SECONDS = 3600 and an ASP.NET default of 30 days',
      observations: [
        codeHsts('django', 3600, { evidence: 'SECURE_HSTS_SECONDS = 3600' }),
        setting('aspnet', 'hsts-max-age', 2592000),
      ],
      findings: [
        { severity: 'low', message: '30 days', fix: 'AddHsts' },
        { severity: 'low', message: '3600', fix: 'SECURE_HSTS_SECONDS = 31536000', url: null },
      ],
    },
  ],
});
