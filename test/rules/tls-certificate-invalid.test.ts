import rule from '../../src/rules/tls-certificate-invalid.js';
import { runRuleCases, tls } from './helpers.js';

runRuleCases(rule, {
  valid: [{ name: 'trusted certificate', observations: [tls('https://a.test/', true)] }],
  invalid: [
    {
      name: 'self-signed, checked with --insecure',
      observations: [
        tls('https://a.test:8443/', false, { error: 'self-signed certificate', insecureAllowed: true }),
      ],
      findings: [
        {
          severity: 'high',
          url: 'https://a.test:8443/',
          message: ['The TLS certificate of a.test is not trusted: self-signed certificate', '--insecure'],
          browser: 'certificate error',
          fix: 'cookieguard dev',
          evidence: 'self-signed certificate',
        },
      ],
    },
  ],
});
