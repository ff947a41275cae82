import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DYNAMIC_LANGUAGES, parseAs, registeredGrammars } from '../../src/collect/code/common/grammar.js';
import { languageOf } from '../../src/collect/code/paths.js';

test('every grammar the project ships is registered in one call and parses its language', () => {
  const samples: Record<keyof typeof DYNAMIC_LANGUAGES, [string, string]> = {
    php: ['<?php session_start();', 'function_call_expression'],
    python: ['app.config["SESSION_COOKIE_SECURE"] = False', 'assignment'],
    ruby: ['Rails.application.config.session_store :cookie_store, secure: false', 'call'],
    java: ['class A { void f() { new Cookie("a", "b").setSecure(false); } }', 'method_invocation'],
    csharp: [
      'class A { void F() { o.Cookie.SecurePolicy = CookieSecurePolicy.None; } }',
      'assignment_expression',
    ],
    go: ['package main\nvar c = http.Cookie{Name: "a", Secure: false}', 'composite_literal'],
  };
  assert.deepEqual([...registeredGrammars()].sort(), Object.keys(DYNAMIC_LANGUAGES).sort());
  for (const [lang, [text, kind]] of Object.entries(samples)) {
    const root = parseAs(lang as keyof typeof DYNAMIC_LANGUAGES, text).root();
    assert.ok(root.find({ rule: { kind } }), `${lang}: no ${kind} in ${text}`);
  }
});

test('file names map to the new languages', () => {
  assert.equal(languageOf('config/initializers/session_store.rb'), 'ruby');
  assert.equal(languageOf('lib/tasks/x.rake'), 'ruby');
  assert.equal(languageOf('src/main/java/A.java'), 'java');
  assert.equal(languageOf('Startup.cs'), 'csharp');
  assert.equal(languageOf('main.go'), 'go');
  assert.equal(languageOf('application.yml'), 'config');
});
