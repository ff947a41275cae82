import rule from '../../src/rules/cookie-oversized.js';
import { cookie, runRuleCases } from './helpers.js';

const big = 'x'.repeat(4100);
const near = 'y'.repeat(3500);

runRuleCases(rule, {
  valid: [
    { name: 'small cookie', observations: [cookie({ name: 'sid', url: 'https://a.test/', value: 'abc' })] },
    {
      name: 'exactly 3072 bytes',
      observations: [cookie({ name: 'sid', url: 'https://a.test/', size: 3072 })],
    },
    { name: 'code (size unknown)', observations: [cookie({ name: 'sid' })] },
    {
      name: 'oversized deletion',
      observations: [cookie({ name: 'sid', url: 'https://a.test/', size: 5000, deletion: true })],
    },
    {
      name: 'near the limit but rejected for another reason',
      observations: [
        cookie({ name: 'sid', url: 'https://a.test/', size: 3500, secure: false, sameSite: 'none' }),
      ],
    },
  ],
  invalid: [
    {
      name: 'over 4096 bytes: rejected, the value is not printed',
      observations: [
        cookie({
          name: 'session',
          url: 'https://a.test/',
          value: big,
          framework: 'cookie-session',
          classFramework: 'cookie-session',
        }),
      ],
      findings: [
        {
          severity: 'medium',
          message: ['is 4107 bytes', 'over the 4096-byte limit: browsers ignore it'],
          browser: 'never stored',
          fix: 'cookie-session keeps the whole session in the cookie',
          evidence: 'session=<redacted>',
        },
      ],
    },
    {
      name: 'size from the collector over the limit, with another rejection named',
      observations: [
        cookie({
          name: 'sid',
          url: 'https://a.test/',
          size: 5000,
          secure: false,
          sameSite: 'none',
          rejectedBy: ['NameValuePairExceedsMaxSize'],
        }),
      ],
      findings: [{ severity: 'medium', message: 'also: SameSite=None without Secure' }],
    },
    {
      name: 'close to the limit: low for session, info for analytics',
      observations: [
        cookie({ name: 'sid', url: 'https://a.test/', value: near }),
        cookie({ name: '_big', category: 'analytics', url: 'https://a.test/', value: near }),
      ],
      findings: [
        { severity: 'info', cookie: '_big', message: 'close to the 4096-byte limit' },
        { severity: 'low', cookie: 'sid', browser: 'a little growth' },
      ],
    },
  ],
});
