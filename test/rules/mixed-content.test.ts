import rule from '../../src/rules/mixed-content.js';
import { page, runRuleCases } from './helpers.js';

runRuleCases(rule, {
  valid: [
    { name: 'HTTPS page, no HTTP resources', observations: [page('https://a.test/')] },
    {
      name: 'HTTP page (not mixed content)',
      observations: [
        page('http://a.test/', { insecureSubresources: [{ url: 'http://cdn.test/a.js', type: 'script' }] }),
      ],
    },
  ],
  invalid: [
    {
      name: 'script over HTTP: high (active content), lists resources',
      observations: [
        page('https://a.test/', {
          insecureSubresources: [
            { url: 'http://cdn.test/app.js', type: 'script' },
            { url: 'http://cdn.test/logo.png', type: 'image' },
          ],
        }),
      ],
      findings: [
        {
          severity: 'high',
          url: 'https://a.test/',
          message: ['loads 2 resources over plain HTTP', 'script http://cdn.test/app.js'],
          browser: 'block',
          fix: 'upgrade-insecure-requests',
        },
      ],
    },
    {
      name: 'images only: low',
      observations: [
        page('https://a.test/', {
          insecureSubresources: [{ url: 'http://cdn.test/logo.png', type: 'image' }],
        }),
      ],
      findings: [{ severity: 'low', browser: 'upgrades' }],
    },
    {
      name: 'a collector that says passive wins over the type name; one that says active too',
      observations: [
        page('https://a.test/p', {
          insecureSubresources: [{ url: 'http://cdn.test/pic', type: 'Other', active: false }],
        }),
        page('https://a.test/q', {
          insecureSubresources: [{ url: 'http://cdn.test/x', type: 'image', active: true }],
        }),
      ],
      findings: [
        { severity: 'low', url: 'https://a.test/p' },
        { severity: 'high', url: 'https://a.test/q' },
      ],
    },
    {
      name: 'favicon only: passive, low',
      observations: [
        page('https://a.test/', { insecureSubresources: [{ url: 'http://cdn.test/f.ico', type: 'icon' }] }),
      ],
      findings: [{ severity: 'low' }],
    },
    {
      name: 'more than five resources: summarised',
      observations: [
        page('https://a.test/', {
          insecureSubresources: Array.from({ length: 7 }, (_, i) => ({
            url: `http://cdn.test/${i}.css`,
            type: 'stylesheet',
          })),
        }),
      ],
      findings: [{ severity: 'high', message: 'and 2 more' }],
    },
  ],
});
