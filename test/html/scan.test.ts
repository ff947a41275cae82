import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractPage } from '../../src/collect/html/extract.js';
import { readsFast, scanPage, tagsOf } from '../../src/collect/html/scan.js';
import { seededRandom } from '../helpers/random.js';

const PAGE = 'https://site.test/dir/page.html?x=1';

/** Pages both readers must read the same way (links, subresources, forms' action/method/password). */
const PAGES: Record<string, string> = {
  links: `<!doctype html><META HTTP-EQUIV="Refresh" CONTENT="3; URL='/after'">
     <A HREF=next.html>next</A> <a href="next.html#top">again</a>
     <a href="javascript:void(0)">js</a> <a href="mailto:x@site.test">m</a> <a href="  /spaced  ">s</a>
     <map><area href="//other.test/area"></map> <iframe src="/frame"></iframe>
     <a href="http://[bad">broken</a> <a>no href</a>`,
  'not markup': `<!-- <a href="/commented">x</a> <script src="http://evil.test/c.js"></script> -->
     <script>document.write('<a href="/in-script">x</a><img src="http://evil.test/i.png">')</script>
     <style>a[href="/in-style"]{}</style><title><a href="/in-title"></title>
     <div title='<a href="/in-attr">'></div><textarea><a href="/in-textarea"></a></textarea>
     <noembed><a href="/in-noembed"></a></noembed><xmp><a href="/in-xmp"></a></xmp>
     <a href="/real">real</a>`,
  base: `<head><base href="http://cdn.site.test/assets/"></head><script src="app.js"></script><a href="x">x</a>`,
  'base after use': `<a href="early">x</a><base href="/other/"><base href="/ignored/"><img src="i.png">`,
  subresources: `<link rel="Stylesheet" href="http://a.test/s.css"><link rel="icon" href="http://a.test/f.ico">
     <link rel=preload as=script href="http://a.test/p.js"><link rel=preload as=image href="http://a.test/p.png">
     <link rel="canonical" href="http://a.test/canon">
     <script src="http://a.test/x.js"></script><script>inline()</script>
     <img src="http://a.test/1.png" srcset="http://a.test/a,b.png 1x, http://a.test/2.png 2x,/rel.png 3x">
     <picture><source srcset="http://a.test/s.webp"></picture>
     <video src="http://a.test/v.mp4" poster="http://a.test/poster.jpg"><track src="http://a.test/t.vtt"></video>
     <audio src="http://a.test/a.mp3"></audio><object data="http://a.test/o.swf"></object><embed src="http://a.test/e">
     <iframe src="http://a.test/frame"></iframe><input type=image src="http://a.test/btn.png">
     <template><script src="http://a.test/tpl.js"></script></template>`,
  forms: `<form action="http://site.test/login" method=POST><input name=u><input type=password name=p>
       <form action="/nested-ignored"><input name=q></form>
     <form><input type=password></form>
     <form action="/s#frag" method=""><input name=q></form>
     <svg><a href="/in-svg"></a></svg><math><mi><a href="/in-math"></a></mi></math>`,
  plaintext: `<a href="/before">b</a><plaintext><a href="/after-plaintext">`,
};

for (const [name, html] of Object.entries(PAGES)) {
  test(`scanPage reads "${name}" as extractPage does`, () => {
    const tree = extractPage(html, PAGE);
    const sax = scanPage(html, PAGE);
    assert.equal(sax.baseUrl, tree.baseUrl);
    assert.deepEqual(sax.links, tree.links);
    assert.deepEqual(sax.subresources, tree.subresources);
    assert.deepEqual(
      sax.forms,
      tree.forms.map((f) => ({ action: f.action, method: f.method, hasPassword: f.hasPassword })),
    );
  });
}

test('scanPage: what is not markup is not read; forms keep their password flag', () => {
  const p = scanPage(PAGES['not markup']!, PAGE);
  assert.deepEqual(p.links, ['https://site.test/real']);
  assert.deepEqual(p.subresources, []);
  const f = scanPage(PAGES.forms!, PAGE).forms;
  assert.deepEqual(f[0], { action: 'http://site.test/login', method: 'post', hasPassword: true });
  assert.equal(f.length, 3, 'the nested form start tag is ignored, as the tree builder does');
});

/*
 * scanPage skips runs of text inside the tokenizer and reads plain tags whole (scan.ts, speedUp and
 * PlainTagReader). Whatever a page holds, the result must be the unmodified tokenizer's: generated
 * pages built from pieces that move the tokenizer between its states (script escapes and double
 * escapes, RCDATA and RAWTEXT end-tag near misses, comments, foreign content and CDATA, references,
 * CR / CRLF / NUL / astral characters in text and in attribute values) and from tags on both sides
 * of what counts as plain (spacing, quoting, case, duplicates, self-closing slashes, characters the
 * tokenizer flags, non-ASCII names), compared with the unmodified SAXParser.
 */
const PIECES = [
  'plain words and more words ',
  'line\r\nbreaks\rand\nfeeds ',
  '\r',
  '\n',
  '\0',
  'astral 😀 chars ',
  '&amp; &lt;a href="/not-a-link"&gt; &notin &noti; & bare &#x3C;a&#62; ',
  '<a href="/a?x=1&amp;y=2&copy=3">a</a>',
  "<a href='/sq\r\nline'>sq</a>",
  '<a href=/unquoted&lt;x>u</a>',
  '<A HREF="/upper">U</A>',
  '<img src="http://mixed.test/i.png" srcset="/s1.png 1x, http://mixed.test/s2.png 2x">',
  '<script>if (a < b && c) { x = "<a href=/in-script>"; }</script>',
  '<script><!-- <script> </script> <a href="/in-double-escape"> --></script>',
  '<script><!-- x </script><a href="/after-escaped-script">',
  '<script src="http://mixed.test/s.js"></script>',
  '<style>a < b { content: "<a href=/in-style>" }</style>',
  '<title>t <a href="/in-title"> &amp; </titlex> </title>',
  '<textarea><a href="/in-textarea"></textarea >',
  '<xmp><a href="/in-xmp"></xmp>',
  '<noembed><a href="/in-noembed"></noembed>',
  '<noscript><a href="/in-noscript"></noscript>',
  '<iframe src="/frame"><a href="/in-iframe"></iframe>',
  '<!-- <a href="/in-comment"> -->',
  '<!--> <a href="/after-abrupt-comment">',
  '<!-- x --!> <a href="/after-bang-comment">',
  '<? processing <a href="/in-bogus"> ?>',
  '<svg><style><a href="/svg-style"></style><![CDATA[ <a href="/in-cdata"> ]]><a href="/svg-a"/></svg>',
  '<math><mi><a href="/math-a"></a></mi></math>',
  '<form action="http://site.test/post" method="post"><input type="password" name="pw"></form>',
  '<form action="/get"><input type=password></form>',
  '<form action="/upper-end"></FORM ><form action="/after-upper-end"><input type=password name=p></Form>',
  '</p> </ broken> <//> <a\rhref="/cr-in-tag">',
  '<base href="/base/">',
  '<meta http-equiv="refresh" content="0; url=/refreshed">',
  '<div title="two\r\nlines\rand\n one &amp; &notin &amp x &#128512; 😀 end" data-n="a\0b">',
  "<p title='single \r\n&quot;quoted&quot; &lt;a href=/not&gt;'>",
  '<p title="\r\n\r\n" class=\'\r\'>',
  '<!-- a comment\r\nwith - dashes -- and <!-- nested <a href="/c"> and \0 and 😀 -->',
  '<!---- dashes ---->',
  '<!-- ends at eof',
  '<a href="/x\r\ny" title="t&#x\r\n">crlf in a url</a>',
  // Tags at the edge of the plain form.
  '<A HREF="/upper-plain" Title=Mixed DATA-X=1>',
  '<a href = "/spaced" >',
  '<a\r\nhref="/crlf-in-tag"\r\n  title=x\r>t</a\r\n><a href=/unq-cr\r\n>u</a\r>',
  '<form\r\naction="/crlf-form"\rmethod=post\r\n><input\r\ntype=password\rname=p></form\r\n>',
  "<a\thref\n=\f'/tabs'\n>",
  '<a href="/dup1" href="/dup2" HREF="/dup3">',
  '<a href=/unquoted/slash/>',
  '<br/><br /><img src="/self-closing.png"/><img src=/unq.png />',
  '<a href="/no-space"title="next">',
  '<a href="/slash-space" / >',
  '<a href="/slash-attr"/title=x>',
  '</a ></p\n></a x></a/></b foo="bar">',
  '<a href=>missing value</a>',
  '<a href= >missing value 2</a>',
  '<a =x href="/eq-start">',
  '<a :href="/vue" @click="go()" x-on:click.prevent="y" v-bind:src=\'/v\'>',
  '<custom-element data-x="1" data-long-attribute-value="a value longer than thirteen">',
  '<a href=\'/sq"dq\'><a href="/dq\'sq">',
  '<a href=/a"b><a href=/a\'b><a href=/a<b><a href=/a=b><a href=`/tick`>',
  '<a href="/amp&amp;x"><a href=/unq&amp;y>',
  // References in values that are read: decoded as the tokenizer decodes them in an attribute.
  '<a href="/e&amp"><a href=/u&amp><a href="/n&#x26;&#38;&#0;&#x110000;&#128512;"><a href=\'/l&notin;&notit=&copy=3&copy;\'>',
  '<a href="/q?a=1&amp;b=2&lt=3&ampx&AMP;"><img src=/i&quot;.png srcset="/s&amp;1.png 2x"><form action="/f?x&amp;y" method=&#112;ost>',
  '<a href=/u&#62;x><a href=/v&#x3e;>',
  '<ａ href="/fullwidth"><aé href="/nonascii-tag"><a hréf="/nonascii-attr"><a href="/nonascii-välue">',
  '<image src="/image-alias"><IMAGE SRC="/image-upper">',
  '<svg><a href="/svg-link"/><foreignObject><a href="/fo-link"></foreignObject><image href="/svg-img"/></svg>',
  '<math><annotation-xml encoding="text/html"><a href="/axml"></annotation-xml></math>',
  // A font start tag with color, face or size leaves foreign content (then style is RAWTEXT again).
  '<svg><font color="red"><style><a href="/after-font-exit"></style></svg>',
  '<svg><font><style><a href="/font-stays-svg"></style></font></svg>',
  '<svg><a xlink:href="/xlink" XLINK:title=t/><feGaussianBlur stdDeviation="2"/></svg>',
  // Plain tags inside SVG and MathML: read with all their attributes, which the simulator adjusts.
  '<svg viewbox="0 0 24 24" xmlns:xlink="http://www.w3.org/1999/xlink"><path d="M0 0L9 9"/><use xlink:href="#i" ID=a id=b/><clippath id=c></clippath></svg>',
  '<math><mi definitionurl="u" mathvariant=bold>x</mi><annotation-xml encoding="application/xhtml+xml"><a href="/axml2"></annotation-xml></math>',
  '<svg><foreignobject><a href="/in-fo"><svg><image href="/svg-in-fo.png"/></svg></foreignobject><desc><b>d</b></desc></svg>',
  '<table><tr><td><a href="/in-table">t</a></td></tr></table>',
  '<pre>\n<a href="/in-pre">p</a></pre>',
  '<textarea name=t>\n<a href="/in-textarea-2"></textarea>',
  '<title>x</TITLE><a href="/after-title">',
  '<script SRC="/upper-script.js"></SCRIPT><a href="/after-upper-script">',
  '<div title="emoji 😀"><a href="/after-emoji-attr">',
  '<a\u00a0href="/nbsp-in-tag">',
  '<a href="/x" ' + Array.from({ length: 70 }, (_, i) => `d${i % 50}="v${i}"`).join(' ') + '>',
  '<plaintext-not id="x"><a href="/after-plaintext-not">',
  '<a href="/lt-in-quoted<x>">',
  '<a href="/gt-in-quoted>x">',
  // Tags read whole inside HTML integration points (not passed over: the simulator sees them).
  '<svg><foreignObject><form action="/fo-form"></FORM><form action="/fo-form2"><input type=password name=p></form></foreignObject></svg>',
  '<math><mi><mi><a href="/mi-in-mi"></mi><a href="/mi-after"></mi><a href="/mi-out"></math>',
  '<svg><desc><IMAGE SRC="/desc-image"></desc><image href="/svg-image"/></svg>',
  // Lone and paired surrogates in plain values and next to tags; CRLF after textarea and pre.
  '<a href="/lone\ud800x" title=\ud83d\ude00>\udc00<a href=/after-lone-low>\ud83d<a href="/after-lone-high">',
  '<textarea>\r\n</TEXTAREA ><pre>\r\n<a href=/after-pre-crlf></pre><listing>\n<a href=/in-listing>',
];

test('scanPage: skipping text and reading plain tags whole change no tag, attribute or result (400 generated pages)', () => {
  assert.ok(readsFast(), 'the fast reading is in use (else this compares the reference with itself)');
  const rand = seededRandom(12);
  let withLinks = 0;
  for (let n = 0; n < 400; n++) {
    const parts: string[] = [];
    const count = 5 + Math.floor(rand() * 40);
    for (let i = 0; i < count; i++) parts.push(PIECES[Math.floor(rand() * PIECES.length)]!);
    // Now and then a page that ends inside a construct, or turns into plain text.
    if (rand() < 0.1) parts.push(pickEnd(rand));
    const html = parts.join('');
    const skipped = scanPage(html, PAGE);
    const whole = scanPage(html, PAGE, false);
    assert.deepEqual(skipped, whole, `page ${n}: ${JSON.stringify(html)}`);
    assert.deepEqual(tagsOf(html), tagsOf(html, false), `tags of page ${n}: ${JSON.stringify(html)}`);
    if (skipped.links.length > 0) withLinks++;
  }
  assert.ok(withLinks > 300, `the generated pages hold links (${withLinks})`);
});

function pickEnd(rand: () => number): string {
  const ends = [
    '<script>unfinished <a href="/x">',
    '<!-- unfinished',
    '<a href="/unfinished',
    '<plaintext><a href="/p">',
  ];
  return ends[Math.floor(rand() * ends.length)]!;
}

test('scanPage: remembered resolutions depend on the base where the base counts', () => {
  const html =
    '<a href="/p">p</a><a href="//other.test/q">q</a><a href="/\\evil.test/r">r</a><a href="rel">r</a>';
  const a = scanPage(html, 'https://a.test/dir/page');
  const b = scanPage(html, 'https://user:pw@a.test/dir/page');
  const c = scanPage(html, 'http://b.test:8080/other/');
  assert.deepEqual(a.links, [
    'https://a.test/p',
    'https://other.test/q',
    'https://evil.test/r',
    'https://a.test/dir/rel',
  ]);
  assert.deepEqual(b.links, [
    'https://user:pw@a.test/p',
    'https://other.test/q',
    'https://evil.test/r',
    'https://user:pw@a.test/dir/rel',
  ]);
  assert.deepEqual(c.links, [
    'http://b.test:8080/p',
    'http://other.test/q',
    'http://evil.test/r',
    'http://b.test:8080/other/rel',
  ]);
  // An absolute URL is the same on every page.
  const abs = '<script src="https://cdn.test/a.js"></script>';
  assert.deepEqual(
    scanPage(abs, 'http://a.test/').subresources,
    scanPage(abs, 'https://b.test/x/').subresources,
  );
});
