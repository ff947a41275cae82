import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractPage } from '../../src/collect/html/extract.js';
import { scanPage } from '../../src/collect/html/scan.js';

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
