import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractPage, findFormWithFields, formSubmission } from '../../src/collect/html/extract.js';

const PAGE = 'https://site.test/dir/page.html?x=1';

test('links: a, area, frames and meta refresh, resolved, fragments removed, no duplicates, only http(s)', () => {
  const p = extractPage(
    `<!doctype html><META HTTP-EQUIV="Refresh" CONTENT="3; URL='/after'">
     <A HREF=next.html>next</A> <a href="next.html#top">again</a>
     <a href="javascript:void(0)">js</a> <a href="mailto:x@site.test">m</a> <a href="  /spaced  ">s</a>
     <map><area href="//other.test/area"></map> <iframe src="/frame"></iframe>
     <a href="http://[bad">broken</a> <a>no href</a>`,
    PAGE,
  );
  assert.deepEqual(p.links, [
    'https://site.test/after',
    'https://site.test/dir/next.html',
    'https://site.test/spaced',
    'https://other.test/area',
    'https://site.test/frame',
  ]);
});

test('what the parser does not see as markup is not read: comments, script text, attribute values', () => {
  const p = extractPage(
    `<!-- <a href="/commented">x</a> <script src="http://evil.test/c.js"></script> -->
     <script>document.write('<a href="/in-script">x</a><img src="http://evil.test/i.png">')</script>
     <div title='<a href="/in-attr">'></div><textarea><a href="/in-textarea"></a></textarea>
     <a href="/real">real</a>`,
    PAGE,
  );
  assert.deepEqual(p.links, ['https://site.test/real']);
  assert.deepEqual(p.subresources, []);
});

test('base href changes how relative references resolve', () => {
  const p = extractPage(
    `<head><base href="http://cdn.site.test/assets/"></head><script src="app.js"></script><a href="x">x</a>`,
    PAGE,
  );
  assert.equal(p.baseUrl, 'http://cdn.site.test/assets/');
  assert.deepEqual(p.links, ['http://cdn.site.test/assets/x']);
  assert.deepEqual(p.subresources, [
    { url: 'http://cdn.site.test/assets/app.js', type: 'script', active: true },
  ]);
});

test('subresources: blockable (active) and upgradeable (passive) types, srcset candidates', () => {
  const p = extractPage(
    `<link rel="Stylesheet" href="http://a.test/s.css"><link rel="icon" href="http://a.test/f.ico">
     <link rel=preload as=script href="http://a.test/p.js"><link rel=preload as=image href="http://a.test/p.png">
     <link rel="canonical" href="http://a.test/canon">
     <script src="http://a.test/x.js"></script><script>inline()</script>
     <img src="http://a.test/1.png" srcset="http://a.test/a,b.png 1x, http://a.test/2.png 2x,/rel.png 3x">
     <picture><source srcset="http://a.test/s.webp"></picture>
     <video src="http://a.test/v.mp4" poster="http://a.test/poster.jpg"><track src="http://a.test/t.vtt"></video>
     <audio src="http://a.test/a.mp3"></audio><object data="http://a.test/o.swf"></object><embed src="http://a.test/e">
     <iframe src="http://a.test/frame"></iframe><input type=image src="http://a.test/btn.png">
     <template><script src="http://a.test/tpl.js"></script></template>`,
    PAGE,
  );
  const byType = p.subresources.map((s) => `${s.active ? 'A' : 'P'} ${s.type} ${s.url}`);
  assert.deepEqual(byType, [
    'A stylesheet http://a.test/s.css',
    'P icon http://a.test/f.ico',
    'A preload http://a.test/p.js',
    'P img http://a.test/p.png',
    'A script http://a.test/x.js',
    'P img http://a.test/1.png',
    'P img http://a.test/a,b.png',
    'P img http://a.test/2.png',
    'P img https://site.test/rel.png',
    'P source http://a.test/s.webp',
    'P video http://a.test/v.mp4',
    'P img http://a.test/poster.jpg',
    'P track http://a.test/t.vtt',
    'P audio http://a.test/a.mp3',
    'A object http://a.test/o.swf',
    'A embed http://a.test/e',
    'A iframe http://a.test/frame',
    'P img http://a.test/btn.png',
    'A script http://a.test/tpl.js',
  ]);
});

const LOGIN_PAGE = `<!doctype html>
<form action="/search" method="get"><input name="q"><button>Go</button></form>
<form id="login-form" method="POST" action="/admin/login/?next=/admin/#frag">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok123">
  <label>User <input type="text" name="username" autofocus></label>
  <input type="password" name="password">
  <input type="checkbox" name="remember" value="1">
  <input type="checkbox" name="terms" checked>
  <input name="disabled_one" value="d" disabled>
  <select name="lang"><option value="en">English</option><option value="fr" selected>French</option></select>
  <select name="tz"><option>UTC</option><option>CET</option></select>
  <textarea name="note">
hello</textarea>
  <input type="file" name="upload"><input type="reset" name="r">
  <input type="submit" name="login" value="Log in"><button name="other" value="x">Other</button>
</form>`;

test('forms: action, method, fields with the values the page gives them, submitter', () => {
  const p = extractPage(LOGIN_PAGE, 'https://site.test/admin/login/');
  assert.equal(p.forms.length, 2);
  const [search, login] = p.forms;
  assert.equal(search!.action, 'https://site.test/search');
  assert.equal(search!.method, 'get');
  assert.equal(search!.hasPassword, false);
  assert.equal(login!.action, 'https://site.test/admin/login/?next=/admin/');
  assert.equal(login!.actionAttribute, '/admin/login/?next=/admin/#frag');
  assert.equal(login!.method, 'post');
  assert.equal(login!.hasPassword, true);
  assert.deepEqual(
    login!.fields.map((f) => [f.name, f.type, f.value, f.submitted]),
    [
      ['csrfmiddlewaretoken', 'hidden', 'tok123', true],
      ['username', 'text', '', true],
      ['password', 'password', '', true],
      ['remember', 'checkbox', '1', false],
      ['terms', 'checkbox', 'on', true],
      ['disabled_one', 'text', 'd', false],
      ['lang', 'select', 'fr', true],
      ['tz', 'select', 'UTC', true],
      ['note', 'textarea', 'hello', true],
    ],
  );
  assert.deepEqual(login!.submitter, { name: 'login', value: 'Log in' });
});

test('a form without action submits to the page; an http:// action stays http://', () => {
  const p = extractPage(
    `<form method=post><input name=a></form><form action="http://site.test/login" method=post><input type=password name=p></form>`,
    'https://site.test/here?q=1#f',
  );
  assert.equal(p.forms[0]!.action, 'https://site.test/here?q=1');
  assert.equal(p.forms[0]!.actionAttribute, null);
  assert.equal(p.forms[1]!.action, 'http://site.test/login');
});

test('the login form is the one that holds every named field, preferring one with a password', () => {
  const p = extractPage(
    `<form action="/newsletter"><input name="username"></form>
     <form action="/signup"><input name="username"><input name="email"><input type="password" name="pw"></form>
     <form action="/login"><input name="username"><input type="password" name="password"></form>`,
    PAGE,
  );
  assert.equal(findFormWithFields(p.forms, ['username', 'password'])!.action, 'https://site.test/login');
  assert.equal(findFormWithFields(p.forms, ['username'])!.action, 'https://site.test/signup');
  assert.equal(findFormWithFields(p.forms, ['username', 'otp']), null);
});

test('the submission keeps the page values (CSRF token), types the given ones, adds the submit button', () => {
  const p = extractPage(LOGIN_PAGE, 'https://site.test/admin/login/');
  const form = findFormWithFields(p.forms, ['username', 'password'])!;
  assert.deepEqual(formSubmission(form, { username: 'alice', password: 's3cret' }), [
    ['csrfmiddlewaretoken', 'tok123'],
    ['username', 'alice'],
    ['password', 's3cret'],
    ['terms', 'on'],
    ['lang', 'fr'],
    ['tz', 'UTC'],
    ['note', 'hello'],
    ['login', 'Log in'],
  ]);
});
