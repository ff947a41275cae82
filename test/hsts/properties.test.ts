/**
 * parseHsts never throws and stays consistent on arbitrary input; 1 MB inputs return.
 * No wall-clock assertions.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseHsts } from '../../src/collect/live/hsts.js';

const PIECES = [
  ';',
  '=',
  ' ',
  '\t',
  '"',
  '\\',
  ',',
  'a',
  '0',
  '9',
  '-',
  '\x00',
  '\x01',
  '\x7f',
  '\xe9',
  '€',
  '\ud800',
  'max-age',
  'MAX-AGE',
  'includeSubDomains',
  'preload',
  '31536000',
  '-1',
  '"10"',
];
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'binary-ascii', maxLength: 200 }),
  fc.string({ unit: fc.constantFrom(...PIECES), maxLength: 40 }),
);

describe('parseHsts on arbitrary input', () => {
  test('never throws; valid implies a non-negative max-age; invalid implies an error', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 4 }), (values) => {
        const r = parseHsts(values);
        assert.ok(Array.isArray(r.errors));
        for (const e of r.errors) assert.equal(typeof e, 'string');
        if (r.valid) {
          assert.ok(
            typeof r.maxAge === 'number' && r.maxAge >= 0 && Number.isSafeInteger(r.maxAge),
            String(r.maxAge),
          );
        } else {
          assert.ok(r.errors.length > 0);
        }
        if (values.length > 1) assert.ok(r.errors.some((e) => /browsers process only the first/.test(e)));
        // only the first field decides
        assert.equal(parseHsts(values.slice(0, 1)).valid, r.valid);
      }),
      { numRuns: 3000 },
    );
  });

  test('generated well-formed headers are valid and read back', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 10 ** 9 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('', ' ', '  '),
        (maxAge, sub, quoted, upper, ws) => {
          const ma = `${upper ? 'MAX-AGE' : 'max-age'}${ws}=${ws}${quoted ? `"${maxAge}"` : maxAge}`;
          const parts = [ma];
          if (sub) parts.push('includeSubDomains');
          const r = parseHsts([parts.join(`${ws};${ws}`)]);
          assert.equal(r.valid, true, JSON.stringify(r.errors));
          assert.equal(r.maxAge, maxAge);
          assert.equal(r.includeSubDomains, sub);
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('1 MB inputs return', () => {
    const MB = 1 << 20;
    for (const v of [
      ';'.repeat(MB),
      'max-age=1' + ';'.repeat(MB),
      'max-age=1; ' + 'x; '.repeat(MB / 3),
      'max-age="' + 'a'.repeat(MB),
      'max-age=' + '9'.repeat(MB),
      'max-age=1; x="' + '\\"'.repeat(MB / 2) + '"',
      ' '.repeat(MB),
    ]) {
      const r = parseHsts([v]);
      assert.equal(typeof r.valid, 'boolean');
      assert.ok(r.errors.length <= 20, `${r.errors.length} errors`);
    }
    assert.equal(parseHsts(['max-age=' + '9'.repeat(MB)]).maxAge, Number.MAX_SAFE_INTEGER);
  });
});
