import rule from '../../src/rules/cookie-domain-invalid.js';
import { cookie, runRuleCases } from './helpers.js';

runRuleCases(rule, {
  valid: [
    {
      name: 'parent domain',
      observations: [cookie({ name: 'sid', url: 'https://app.example.com/', domain: 'example.com' })],
    },
    {
      name: 'exact host',
      observations: [cookie({ name: 'sid', url: 'https://app.example.com/', domain: 'app.example.com' })],
    },
    { name: 'code: the host is not known', observations: [cookie({ name: 'sid', domain: 'other.test' })] },
    {
      name: 'IP host with its own address',
      observations: [cookie({ name: 'sid', url: 'https://10.0.0.5/', domain: '10.0.0.5' })],
    },
  ],
  invalid: [
    {
      name: 'Domain of another site',
      observations: [cookie({ name: 'sid', url: 'https://app.example.com/', domain: 'other.test' })],
      findings: [
        {
          severity: 'medium',
          message: ['Domain=other.test', 'not app.example.com nor a parent domain'],
          fix: 'Domain',
        },
      ],
    },
    {
      name: 'a public suffix',
      observations: [cookie({ name: 'sid', url: 'https://shop.example.co.uk/', domain: 'co.uk' })],
      findings: [{ severity: 'medium', message: 'co.uk is a public suffix' }],
    },
    {
      name: 'collector rejection with a reason the rule cannot recompute',
      observations: [
        cookie({
          name: 'sid',
          url: 'https://app.example.com/',
          domain: 'exämple.com',
          rejectedBy: ['InvalidDomain'],
        }),
      ],
      findings: [{ severity: 'medium' }],
    },
  ],
});
