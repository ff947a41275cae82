import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeAttr, escapeHtml, escapeText } from '../../src/report/escape.js';
import { mdEscape } from '../../src/report/markdown.js';
import { badGatewayPage } from '../../src/dev/error-page.js';

test('escapeHtml: markup, quotes and C0 controls as the HTML report always wrote them', () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
  );
  assert.equal(escapeHtml('a\u0001b\u001bc\u007fd'), 'a\\x01b\\x1bc\\x7fd');
  assert.equal(escapeHtml('tab\tnl\ncr\r'), 'tab\tnl\ncr\r', 'white space is kept (snippets are <pre>)');
});

test('escapeHtml: what HTML cannot carry and the old escaper let through (C1 controls, lone surrogates, U+FFFE)', () => {
  assert.equal(escapeHtml('a\u0085b\u009fc'), 'a\\x85b\\x9fc');
  assert.equal(escapeHtml('x\ud800y\udc00z\ufffe'), 'x\\ud800y\\udc00z\\ufffe');
  assert.equal(escapeHtml('pair \ud83c\udf6a'), 'pair \ud83c\udf6a', 'a surrogate pair is a character');
});

test('escapeText / escapeAttr: XML', () => {
  assert.equal(escapeText('<&>\u0001\ud800\u0085'), '&lt;&amp;&gt;\\u0001\\ud800\u0085');
  assert.equal(escapeAttr('"\'\n\t\r'), '&quot;&apos;&#10;&#9;&#13;');
});

test('mdEscape: a lone surrogate is shown, not turned into U+FFFD when written', () => {
  assert.equal(mdEscape('a\ud800b'), 'a\\\\ud800b');
  assert.equal(mdEscape('<b>*x*</b> | \u0085'), '&lt;b&gt;\\*x\\*&lt;/b&gt; \\|');
});

test('the dev proxy error page escapes the target and the reason', () => {
  const page = badGatewayPage('http://a.test/"><script>', "did not answer (it's <gone>)", false);
  assert.ok(page.includes('http://a.test/&quot;&gt;&lt;script&gt;'));
  assert.ok(page.includes('did not answer (it&#39;s &lt;gone&gt;)'));
  assert.ok(!page.includes('<script>'));
});
