import rule from '../../src/rules/cookie-domain-broad.js';
import { cookie, explicit, loc, runRuleCases, unknownAttr } from './helpers.js';

runRuleCases(rule, {
  valid: [
    { name: 'host-only cookie', observations: [cookie({ name: 'sid', url: 'https://app.example.com/' })] },
    {
      name: 'empty Domain is ignored by browsers',
      observations: [cookie({ name: 'sid', url: 'https://app.example.com/', domain: '' })],
    },
    { name: 'unknown Domain', observations: [cookie({ name: 'sid', domain: unknownAttr() })] },
    {
      name: 'Domain that does not match the host is a rejection (cookie-domain-invalid)',
      observations: [cookie({ name: 'sid', url: 'https://app.example.com/', domain: 'other.test' })],
    },
    {
      name: 'Domain naming the IP address of the host: an IP address has no subdomains',
      observations: [
        cookie({ name: 'sid', url: 'https://127.0.0.1:8443/', domain: '127.0.0.1' }),
        cookie({ name: 'sid6', url: 'https://[::1]:8443/', domain: '::1' }),
        cookie({ name: 'sid6b', url: 'https://[::1]:8443/', domain: '[::1]' }),
      ],
    },
    {
      name: 'deletion',
      observations: [
        cookie({ name: 'sid', url: 'https://app.example.com/', domain: 'example.com', deletion: true }),
      ],
    },
  ],
  invalid: [
    {
      name: 'parent domain: session cookie, medium',
      observations: [cookie({ name: 'sid', url: 'https://app.example.com/', domain: '.example.com' })],
      findings: [
        {
          severity: 'medium',
          url: 'https://app.example.com/',
          message: ['Domain=example.com', 'every subdomain'],
          browser: 'every subdomain',
          fix: ['Remove the Domain attribute', '__Host-'],
        },
      ],
    },
    {
      name: 'Domain equal to the exact host still widens to subdomains: one step lower',
      observations: [cookie({ name: 'sid', url: 'https://app.example.com/', domain: 'APP.example.com' })],
      findings: [
        {
          severity: 'low',
          message: ['the exact host', 'still sends it to every subdomain of app.example.com'],
        },
      ],
    },
    {
      name: 'code: Django SESSION_COOKIE_DOMAIN',
      observations: [
        cookie({
          name: 'sessionid',
          framework: 'django',
          classFramework: 'django',
          domain: explicit(
            '.example.com',
            "SESSION_COOKIE_DOMAIN = '.example.com'",
            loc('settings/prod.py', 31),
          ),
        }),
      ],
      findings: [
        {
          severity: 'medium',
          location: { file: 'settings/prod.py', line: 31 },
          fix: 'SESSION_COOKIE_DOMAIN = None',
          evidence: 'SESSION_COOKIE_DOMAIN',
        },
      ],
    },
    {
      name: 'preference cookie: low; in test code: info',
      observations: [
        cookie({
          name: 'lang',
          category: 'preference',
          url: 'https://app.example.com/',
          domain: 'example.com',
        }),
        cookie({ name: 'sid', domain: 'example.com', inTestCode: true }),
      ],
      findings: [
        { severity: 'info', cookie: 'sid' },
        { severity: 'low', cookie: 'lang' },
      ],
    },
  ],
});
