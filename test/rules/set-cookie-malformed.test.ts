import { test } from 'node:test';
import assert from 'node:assert/strict';
import rule, { misspeltAttribute, rawProblems } from '../../src/rules/set-cookie-malformed.js';
import { cookie, malformedHeader, runRuleCases } from './helpers.js';

runRuleCases(rule, {
  valid: [
    {
      name: 'well-formed header',
      observations: [
        cookie({ name: 'sid', url: 'https://a.test/', raw: 'sid=1; Path=/; Secure; HttpOnly; SameSite=Lax' }),
      ],
    },
    {
      name: 'duplicate attribute with the same value does not change meaning',
      observations: [
        cookie({
          name: 'sid',
          url: 'https://a.test/',
          raw: 'sid=1; Path=/; path=/; Secure; Secure',
          parseIssues: [{ code: 'duplicate-attribute', message: 'Path appears 2 times' }],
        }),
      ],
    },
    {
      name: 'harmless attributes (Priority, Version, Comment)',
      observations: [
        cookie({ name: 'sid', url: 'https://a.test/', raw: 'sid=1; Priority=High; Version=1; Comment=x' }),
      ],
    },
    {
      name: "the parser's 'other' issues belong to other rules",
      observations: [
        cookie({
          name: 'sid',
          url: 'https://a.test/',
          raw: 'sid=1; Max-Age=99999999',
          parseIssues: [{ code: 'other', message: 'lifetime over 400 days' }],
        }),
      ],
    },
    {
      name: 'deletion',
      observations: [
        cookie({ name: 'sid', url: 'https://a.test/', raw: 'sid=; Secure=false', deletion: true }),
      ],
    },
  ],
  invalid: [
    {
      name: 'a header from which no cookie comes out',
      observations: [malformedHeader('https://a.test/', '=; Secure', 'no cookie name and no value')],
      findings: [
        {
          severity: 'medium',
          url: 'https://a.test/',
          message: 'malformed: no cookie name and no value',
          evidence: 'Set-Cookie: ',
        },
      ],
    },
    {
      name: 'a cookie dropped for a control character: medium',
      observations: [
        cookie({
          name: 'sid',
          url: 'https://a.test/',
          raw: 'sid=a\u0001b',
          rejectedBy: ['DisallowedCharacter'],
          parseIssues: [{ code: 'control-character', message: 'control character in the value' }],
        }),
      ],
      findings: [{ severity: 'medium', message: ['dropped by browsers', 'control character'] }],
    },
    {
      name: 'SameSite repeated with different values, Secure=false, misspelt HttpOnly, relative Path: low',
      observations: [
        cookie({
          name: 'sid',
          url: 'https://a.test/',
          raw: 'sid=SECRETVALUE1; SameSite=Strict; SameSite=None; Secure=false; HttpOnl; Path=app',
          value: 'SECRETVALUE1',
          sameSite: 'none',
          secure: true,
        }),
      ],
      findings: [
        {
          severity: 'low',
          message: [
            'SameSite appears 2 times with different values (Strict, None)',
            '"Secure=false": browsers ignore the value, the cookie IS Secure',
            '"HttpOnl" is not an attribute browsers know (HttpOnly misspelt?)',
            'Path=app does not start with "/"',
          ],
          evidence: 'sid=<redacted>; SameSite=Strict',
        },
      ],
    },
    {
      name: 'unparseable Expires (parser issue), analytics cookie: info',
      observations: [
        cookie({
          name: '_ga',
          category: 'analytics',
          url: 'https://a.test/',
          raw: '_ga=1; Expires=tomorrow',
          parseIssues: [
            {
              code: 'invalid-expires',
              message: 'Expires=tomorrow is not a cookie-date: browsers ignore the attribute',
            },
          ],
        }),
      ],
      findings: [{ severity: 'info', message: 'Expires=tomorrow is not a cookie-date' }],
    },
  ],
});

test('misspeltAttribute recognises typos of security attributes only', () => {
  assert.equal(misspeltAttribute('HttpOnl'), 'httponly');
  assert.equal(misspeltAttribute('http_only'), 'httponly');
  assert.equal(misspeltAttribute('Secrue'), 'secure');
  assert.equal(misspeltAttribute('SameStie'), 'samesite');
  assert.equal(misspeltAttribute('Max_Age'), 'max-age');
  assert.equal(misspeltAttribute('Priority'), undefined);
  assert.equal(misspeltAttribute('foo'), undefined);
  assert.equal(misspeltAttribute('x'.repeat(100)), undefined);
});

test('rawProblems handles the Set-Cookie: prefix and flags without values', () => {
  assert.deepEqual(rawProblems('Set-Cookie: a=1; Secure; HttpOnly; SameSite=Lax'), []);
  assert.equal(rawProblems('a=1; Domain=a.test; Domain=b.test').length, 1);
  assert.equal(rawProblems('a=1; Domain=A.test; domain=a.TEST').length, 0);
});

test('rawProblems trims like String.prototype.trim and compares names case-insensitively', () => {
  assert.deepEqual(
    rawProblems(
      ' set-cookie :a=1;\u00a0Secure = yes\u3000; path = x ;PATH=/ok;  ; = ;HttpOnl;Max-Age=1; max-age=2',
    ),
    [
      '"Secure = yes": browsers ignore the value, the cookie IS Secure',
      'Path=x does not start with "/": browsers use the default path instead',
      '"HttpOnl" is not an attribute browsers know (HttpOnly misspelt?): it is ignored',
      'Path appears 2 times with different values (x, /ok): browsers use the last one',
      'Max-Age appears 2 times with different values (1, 2): browsers use the last one',
    ],
  );
  assert.deepEqual(
    rawProblems('a=1; Path=; Secure=; HTTPONLY=false; SameSite=Lax; samesite=LAX; SameSite=strict'),
    [
      'Path= does not start with "/": browsers use the default path instead',
      '"HTTPONLY=false": browsers ignore the value, the cookie IS HttpOnly',
      'SameSite appears 3 times with different values (Lax, LAX, strict): browsers use the last one',
    ],
  );
  assert.deepEqual(rawProblems('a=1; Pat\u212Ah=x; SECURE=1'), [
    '"Pat\u212Ah" is not an attribute browsers know (Path misspelt?): it is ignored',
    '"SECURE=1": browsers ignore the value, the cookie IS Secure',
  ]);
  assert.deepEqual(rawProblems('a=1;Secure;Secure;Path=/;path=/'), []);
});
