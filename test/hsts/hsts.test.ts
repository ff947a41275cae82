/**
 * parseHsts against RFC 6797 §6.1 (syntax), §6.1.1 (max-age), §6.1.2 (includeSubDomains) and §8.1
 * (first header field only), as valid / invalid case tables.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHsts } from '../../src/collect/live/hsts.js';

interface ValidRow {
  values: string[];
  maxAge: number;
  includeSubDomains?: boolean;
  preload?: boolean;
  /** Regexes every one of which must match some error/note; default: no errors at all. */
  notes?: RegExp[];
}

const VALID: ValidRow[] = [
  // RFC 6797 §6.2 examples
  { values: ['max-age=31536000'], maxAge: 31536000 },
  { values: ['max-age=15768000 ; includeSubDomains'], maxAge: 15768000, includeSubDomains: true },
  { values: ['max-age="31536000"'], maxAge: 31536000 },
  { values: ['max-age=0'], maxAge: 0, notes: [/forget HSTS/] },
  { values: ['max-age=0; includeSubDomains'], maxAge: 0, includeSubDomains: true, notes: [/forget HSTS/] },
  // case-insensitive names, whitespace, empty directives
  { values: ['MAX-AGE=10; INCLUDESUBDOMAINS'], maxAge: 10, includeSubDomains: true },
  { values: ['  max-age = 10 ;includeSubDomains  '], maxAge: 10, includeSubDomains: true },
  { values: ['max-age=10;;; ;'], maxAge: 10 },
  { values: ['; max-age=10'], maxAge: 10 },
  { values: ['includeSubDomains; max-age=10'], maxAge: 10, includeSubDomains: true },
  { values: ['max-age=0010'], maxAge: 10 },
  { values: ['max-age=99999999999999999999'], maxAge: Number.MAX_SAFE_INTEGER }, // clamped
  // unknown directives are ignored (rule 5), with a note
  { values: ['max-age=10; foo'], maxAge: 10, notes: [/unknown directive foo/] },
  { values: ['max-age=10; foo=bar'], maxAge: 10, notes: [/unknown directive foo/] },
  { values: ['max-age=10; foo="a;b\\"c"'], maxAge: 10, notes: [/unknown directive foo/] },
  { values: ['max-age=10; includeSubDomain'], maxAge: 10, notes: [/unknown directive includeSubDomain/] },
  // preload: valid with its requirements, noted otherwise
  {
    values: ['max-age=63072000; includeSubDomains; preload'],
    maxAge: 63072000,
    includeSubDomains: true,
    preload: true,
  },
  {
    values: ['max-age=300; preload'],
    maxAge: 300,
    preload: true,
    notes: [/preload list .* requires max-age >= 31536000 .* and includeSubDomains/],
  },
  {
    values: ['max-age=31536000; preload'],
    maxAge: 31536000,
    preload: true,
    notes: [/requires includeSubDomains/],
  },
  // several header fields: the first counts (§8.1)
  {
    values: ['max-age=31536000', 'max-age=0'],
    maxAge: 31536000,
    notes: [/appears 2 times with different values: browsers process only the first/],
  },
  { values: ['max-age=1', 'max-age=1'], maxAge: 1, notes: [/appears 2 times: browsers/] },
  { values: ['max-age=31536000', 'garbage'], maxAge: 31536000, notes: [/appears 2 times/] },
];

interface InvalidRow {
  values: string[];
  error: RegExp;
}

const INVALID: InvalidRow[] = [
  { values: [], error: /no Strict-Transport-Security header/ },
  { values: [''], error: /empty/ },
  { values: ['   '], error: /empty/ },
  { values: ['includeSubDomains'], error: /no max-age/ },
  { values: ['max-age'], error: /max-age has no value/ },
  { values: ['max-age='], error: /has "=" but no value/ },
  { values: ['max-age=""'], error: /max-age has no value/ },
  { values: ['max-age=-1'], error: /not a non-negative integer/ },
  { values: ['max-age=+1'], error: /not a non-negative integer/ },
  { values: ['max-age=1.5'], error: /not a non-negative integer/ },
  { values: ['max-age=abc'], error: /not a non-negative integer/ },
  { values: ['max-age=1e6'], error: /not a non-negative integer/ },
  { values: ['max-age=" 10"'], error: /not a non-negative integer/ },
  { values: ['max-age="10'], error: /unterminated quoted value/ },
  { values: ['max-age=10 20'], error: /expected ";"/ },
  { values: ['max-age=1; max-age=2'], error: /max-age appears more than once/ },
  { values: ['max-age=1; MAX-AGE=1'], error: /appears more than once/ },
  {
    values: ['max-age=1; includeSubDomains; includeSubDomains'],
    error: /includeSubDomains appears more than once/,
  },
  { values: ['max-age=1; preload; preload'], error: /preload appears more than once.*Chromium tolerates/ },
  { values: ['max-age=1; includeSubDomains=true'], error: /includeSubDomains takes no value/ },
  { values: ['max-age=1, includeSubDomains'], error: /comma: probably several header fields joined/ },
  { values: ['max-age=31536000, max-age=0'], error: /comma/ },
  { values: ['max-age:31536000'], error: /expected ";"/ },
  { values: ['"max-age"=1'], error: /not a directive name/ },
  { values: ['max-age=1; (x)'], error: /not a directive name/ },
  { values: ['max-age=1\x00'], error: /U\+0000/ },
  { values: ['max-age=1; foo="a\x01"'], error: /invalid character U\+0001 in the quoted value/ },
  { values: ['max-age=１０'], error: /unexpected character U\+FF11/ },
  { values: ['', 'max-age=31536000'], error: /empty/ }, // the first field counts, even when empty
];

describe('parseHsts: valid headers', () => {
  for (const row of VALID) {
    test(JSON.stringify(row.values), () => {
      const r = parseHsts(row.values);
      assert.equal(r.valid, true, JSON.stringify(r.errors));
      assert.equal(r.maxAge, row.maxAge);
      assert.equal(r.includeSubDomains, row.includeSubDomains ?? false);
      assert.equal(r.preload, row.preload ?? false);
      if (!row.notes) assert.deepEqual(r.errors, []);
      for (const n of row.notes ?? [])
        assert.ok(
          r.errors.some((e) => n.test(e)),
          `${n} in ${JSON.stringify(r.errors)}`,
        );
    });
  }
});

describe('parseHsts: headers browsers ignore', () => {
  for (const row of INVALID) {
    test(JSON.stringify(row.values), () => {
      const r = parseHsts(row.values);
      assert.equal(r.valid, false);
      assert.ok(
        r.errors.some((e) => row.error.test(e)),
        `${row.error} in ${JSON.stringify(r.errors)}`,
      );
    });
  }
  test('errors never carry raw control characters', () => {
    const r = parseHsts(['max-age=1; \x1b[31mfoo=\x1b']);
    for (const e of r.errors) assert.ok(![...e].some((ch) => ch.charCodeAt(0) < 0x20), e);
  });
  test('non-array input does not throw', () => {
    assert.equal(parseHsts(undefined as unknown as string[]).valid, false);
    assert.equal(parseHsts([undefined as unknown as string]).valid, false);
  });
});

describe('a header parsed again', () => {
  test('gives the same answer as a separate object (the remembered answer cannot be changed)', () => {
    const header = ['max-age=31536000; includeSubDomains; includeSubDomains'];
    const first = parseHsts(header);
    const second = parseHsts([...header]);
    assert.deepEqual(second, first);
    assert.notEqual(second, first);
    assert.ok(first.errors.length > 0, 'the duplicate directive is reported');
    first.errors.push('changed by a caller');
    first.maxAge = 1;
    const third = parseHsts(header);
    assert.deepEqual(third, second);
  });
});
