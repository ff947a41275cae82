import rule from '../../src/rules/cookie-samesite-invalid.js';
import { cookie, explicit, loc, runRuleCases, unknownAttr } from './helpers.js';

runRuleCases(rule, {
  valid: [
    { name: 'Lax', observations: [cookie({ name: 'sid', url: 'https://a.test/', sameSite: 'lax' })] },
    { name: 'unset', observations: [cookie({ name: 'sid', url: 'https://a.test/', sameSite: 'unset' })] },
    { name: 'unknown', observations: [cookie({ name: 'sid', sameSite: unknownAttr() })] },
    {
      name: 'deletion',
      observations: [cookie({ name: 'sid', url: 'https://a.test/', sameSite: 'invalid', deletion: true })],
    },
  ],
  invalid: [
    {
      name: 'live SameSite=Nope (raw from the attribute)',
      observations: [
        cookie({
          name: 'sid',
          url: 'https://a.test/',
          sameSite: 'invalid',
          sameSiteRaw: 'Nope',
          raw: 'sid=1; SameSite=Nope',
        }),
      ],
      findings: [
        {
          severity: 'medium',
          message: 'SameSite=Nope',
          browser: ['Lax by default', 'Firefox and Safari'],
          fix: 'SameSite=Lax',
        },
      ],
    },
    {
      name: 'raw value read from the header when the attribute has none',
      observations: [
        cookie({
          name: 'sid',
          url: 'https://a.test/',
          sameSite: 'invalid',
          raw: 'sid=1; SameSite=Strict; SameSite=yes',
        }),
      ],
      findings: [{ severity: 'medium', message: 'SameSite=yes' }],
    },
    {
      name: 'PHP session.cookie_samesite = "Strcit": php.ini fix',
      observations: [
        cookie({
          name: 'PHPSESSID',
          framework: 'php',
          classFramework: 'php',
          sameSite: {
            ...explicit<'invalid'>('invalid', 'session.cookie_samesite = "Strcit"', loc('php.ini', 4)),
            raw: 'Strcit',
          },
        }),
      ],
      findings: [
        {
          severity: 'medium',
          location: { file: 'php.ini', line: 4 },
          message: 'SameSite=Strcit',
          fix: 'session.cookie_samesite = "Lax"',
        },
      ],
    },
    {
      name: 'preference cookie: low',
      observations: [
        cookie({
          name: 'lang',
          category: 'preference',
          url: 'https://a.test/',
          sameSite: 'invalid',
          sameSiteRaw: 'x',
        }),
      ],
      findings: [{ severity: 'low' }],
    },
  ],
});
