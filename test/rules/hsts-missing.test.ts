import rule from '../../src/rules/hsts-missing.js';
import { codeHsts, hsts, loc, runRuleCases, setting } from './helpers.js';

runRuleCases(rule, {
  valid: [
    { name: 'HSTS one year', observations: [hsts('https://a.test/', 'max-age=31536000')] },
    {
      name: 'weak HSTS is hsts-weak',
      observations: [hsts('https://a.test/', 'max-age=600', { maxAge: 600 })],
    },
    { name: 'plain-HTTP URL is not judged', observations: [hsts('http://a.test/', null)] },
    { name: 'code HSTS configured', observations: [codeHsts('django', 31536000)] },
    { name: 'setting with a long max-age', observations: [setting('django', 'hsts-max-age', 63072000)] },
    {
      name: 'setting of unknown value',
      observations: [
        setting('django', 'hsts-max-age', 'unknown', { provenance: { kind: 'unknown', reason: 'env' } }),
      ],
    },
  ],
  invalid: [
    {
      name: 'HTTPS response without the header',
      observations: [hsts('https://a.test/', null)],
      findings: [
        {
          severity: 'medium',
          url: 'https://a.test/',
          message: 'without Strict-Transport-Security',
          browser: 'SSL stripping',
          fix: 'max-age=31536000',
        },
      ],
    },
    {
      name: 'Django SECURE_HSTS_SECONDS = 0 (code HSTS observation)',
      observations: [
        codeHsts('django', 0, { evidence: 'SECURE_HSTS_SECONDS = 0', location: loc('settings.py', 30) }),
      ],
      findings: [
        {
          severity: 'low',
          location: { file: 'settings.py', line: 30 },
          message: 'SECURE_HSTS_SECONDS = 0',
          fix: 'SECURE_HSTS_SECONDS = 31536000',
        },
      ],
    },
    {
      name: "setting 'hsts-max-age' absent (null) or 0",
      observations: [
        setting('django', 'hsts-max-age', null, { location: loc('a.py', 1) }),
        setting('aspnet', 'hsts-seconds', 0, { location: loc('b.cs', 1) }),
      ],
      findings: [
        { severity: 'low', location: { file: 'a.py' } },
        { severity: 'low', location: { file: 'b.cs' }, fix: 'app.UseHsts()' },
      ],
    },
  ],
});
