import rule from '../../src/rules/cookie-blocked-by-browser.js';
import type { CookieObservation } from '../../src/model/observation.js';
import { runRules } from '../../src/rules/index.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cookie, runRuleCases } from './helpers.js';

/** A cookie seen by the browser collector, blocked by Chromium for `reasons`. */
function blocked(
  spec: Parameters<typeof cookie>[0],
  reasons: string[],
  how: 'protocol' | 'not-stored' = 'protocol',
): CookieObservation {
  return {
    ...cookie({ source: 'browser', ...spec }),
    blockedByBrowser: { browser: 'chromium', reasons, how },
  };
}

runRuleCases(rule, {
  valid: [
    {
      name: 'not blocked',
      observations: [cookie({ name: 'sid', url: 'https://a.test/', source: 'browser' })],
    },
    {
      name: 'blocked for a reason another rule reports (prefix): that rule only',
      observations: [
        blocked(
          { name: '__Host-sid', url: 'https://a.test/', secure: false, rejectedBy: ['InvalidPrefix'] },
          ['InvalidPrefix'],
        ),
      ],
    },
    {
      name: 'a blocked deletion is not judged',
      observations: [
        blocked({ name: 'sid', url: 'https://a.test/', deletion: true, rejectedBy: ['BlockedByBrowser'] }, [
          'ThirdPartyPhaseout',
        ]),
      ],
    },
  ],
  invalid: [
    {
      name: "a session cookie of a cross-site response blocked for SameSite: Chromium's reason named",
      observations: [
        blocked({ name: 'sid', url: 'https://widget.test/embed', rejectedBy: ['BlockedByBrowser'] }, [
          'SameSiteLax',
        ]),
      ],
      findings: [
        {
          severity: 'medium',
          cookie: 'sid',
          message: ['was blocked by Chromium', 'cross-site'],
          browser: 'Chromium does not store the cookie (SameSiteLax)',
          fix: 'SameSite=None; Secure',
        },
      ],
    },
    {
      name: 'third-party cookies blocked, an analytics cookie: low',
      observations: [
        blocked(
          { name: '_ga', url: 'https://cdn.test/', category: 'analytics', rejectedBy: ['BlockedByBrowser'] },
          ['ThirdPartyPhaseout'],
        ),
      ],
      findings: [{ severity: 'low', cookie: '_ga', message: 'third-party cookies', fix: 'Partitioned' }],
    },
    {
      name: 'a script write that was not kept, no reason known',
      observations: [
        blocked(
          { name: 'pref', url: 'https://a.test/', setBy: 'script', rejectedBy: ['BlockedByBrowser'] },
          [],
          'not-stored',
        ),
      ],
      findings: [
        {
          severity: 'medium',
          cookie: 'pref',
          message: ['written by a script was blocked by Chromium', "not in Chromium's jar afterwards"],
        },
      ],
    },
  ],
});

test('a cookie blocked for an unexplained reason gets this finding only (one consequence, one finding)', () => {
  const c = blocked(
    { name: 'sid', url: 'https://a.test/', secure: false, rejectedBy: ['BlockedByBrowser'] },
    ['UserPreferences'],
  );
  assert.deepEqual(
    runRules([c]).map((f) => f.rule),
    ['cookie-blocked-by-browser'],
  );
});

test('the block is said once: no "(Chromium blocked it, ...)" suffix on this rule\'s own findings', () => {
  const cases = [
    blocked({ name: 'sid', url: 'https://widget.test/embed', rejectedBy: ['BlockedByBrowser'] }, [
      'SameSiteLax',
    ]),
    blocked({ name: 'sid', url: 'https://a.test/', rejectedBy: ['BlockedByBrowser'] }, ['UserPreferences']),
    blocked(
      { name: 'pref', url: 'https://a.test/', setBy: 'script', rejectedBy: ['BlockedByBrowser'] },
      [],
      'not-stored',
    ),
  ];
  for (const c of cases) {
    const f = runRules([c]).filter((x) => x.rule === 'cookie-blocked-by-browser');
    assert.equal(f.length, 1);
    assert.ok(!f[0]!.message.includes('Chromium blocked it'), f[0]!.message);
  }
  // Another rule's finding about a blocked cookie still says so.
  const other = runRules([
    blocked({ name: '__Host-sid', url: 'https://a.test/', secure: false, rejectedBy: ['InvalidPrefix'] }, [
      'InvalidPrefix',
    ]),
  ]);
  assert.ok(other.some((x) => x.message.includes('(Chromium blocked it, its reason: InvalidPrefix)')));
});
