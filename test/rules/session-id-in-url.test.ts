import rule from '../../src/rules/session-id-in-url.js';
import { cookie, loc, runRuleCases, sessionIdInUrlObs } from './helpers.js';

runRuleCases(rule, {
  valid: [
    { name: 'no such observation', observations: [cookie({ name: 'PHPSESSID', url: 'https://a.test/' })] },
  ],
  invalid: [
    {
      name: 'session id in a redirect Location: value redacted everywhere but rawEvidence',
      observations: [
        sessionIdInUrlObs('location', 'https://a.test/login;jsessionid=ABC123XYZ?next=/', 'jsessionid', {
          value: 'ABC123XYZ',
          evidence: 'Location: https://a.test/home;jsessionid=ABC123XYZ',
          framework: 'spring',
        }),
      ],
      findings: [
        {
          severity: 'high',
          cookie: 'jsessionid',
          url: 'https://a.test/login;jsessionid=<redacted>?next=/',
          message: ['puts the session identifier jsessionid in its Location URL'],
          evidence: 'Location: https://a.test/home;jsessionid=<redacted>',
          browser: 'Referer',
          fix: 'server.servlet.session.tracking-modes=cookie',
        },
      ],
    },
    {
      name: 'query parameter in a link, value not given: redacted by parameter name',
      observations: [
        sessionIdInUrlObs('link', 'https://a.test/page?x=1&PHPSESSID=deadbeefcafe', 'PHPSESSID', {
          framework: 'php',
        }),
      ],
      findings: [
        {
          severity: 'high',
          url: 'https://a.test/page?x=1&PHPSESSID=<redacted>',
          evidence: 'PHPSESSID=<redacted>',
          fix: ['session.use_only_cookies = 1', 'session.use_trans_sid = 0'],
        },
      ],
    },
    {
      name: 'PHP config session.use_only_cookies = 0: medium, code location, no URL',
      observations: [
        sessionIdInUrlObs('config', '', 'PHPSESSID', {
          framework: 'php',
          location: loc('php.ini', 12, 1),
          evidence: 'session.use_only_cookies = 0',
        }),
      ],
      findings: [
        {
          severity: 'medium',
          url: null,
          location: { file: 'php.ini', line: 12 },
          message: 'configured to accept the session identifier PHPSESSID from URLs',
          fix: 'session.use_only_cookies = 1',
        },
      ],
    },
  ],
});
