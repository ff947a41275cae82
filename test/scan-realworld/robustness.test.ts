/**
 * Bad input on the paths the corpus lessons added: settings modules importing each other in a loop,
 * a huge generated settings module, a file that does not parse. Each gives at most a line in
 * `errors`; what can be judged still is.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectCode } from '../../src/collect/code/index.js';
import { runRules } from '../../src/rules/index.js';
import { row } from './harness.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cookieguard-robust-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const DJANGO =
  "INSTALLED_APPS = ['django.contrib.sessions']\nMIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware']\n";

test('settings modules that star-import each other: one error line naming the loop, the settings still judged', async () => {
  const dir = tree({
    'site/__init__.py': '',
    'site/a.py': `from .b import *\n${DJANGO}SESSION_COOKIE_SECURE = False\n`,
    'site/b.py': 'from .a import *\nSESSION_COOKIE_HTTPONLY = True\n',
  });
  try {
    const r = await collectCode([dir], { workers: 0 });
    assert.deepEqual(
      r.errors.map((e) => `${e.file}: ${e.message}`),
      [
        'site/a.py: settings modules import each other in a loop (site.a -> site.b -> site.a): values they set may depend on import order; they are read once each',
      ],
    );
    const rows = runRules(r.observations).map(row);
    assert.ok(rows.includes('cookie-missing-secure high sessionid site/a.py:4'), rows.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a huge generated settings module and a file that does not parse: the scan goes on', async () => {
  const lines: string[] = [DJANGO];
  for (let i = 0; i < 40_000; i++) lines.push(`GENERATED_SETTING_${i} = ${i} * 2  # generated`);
  lines.push('SESSION_COOKIE_SECURE = False');
  const dir = tree({
    'proj/settings.py': `${lines.join('\n')}\n`,
    'proj/broken.py': 'def (:\n  SESSION_COOKIE_SECURE = \n\x00\x01 from flask import\n',
  });
  try {
    const r = await collectCode([dir], { workers: 0 });
    const rows = runRules(r.observations).map(row);
    assert.ok(rows.includes('cookie-missing-secure high sessionid proj/settings.py:40004'), rows.join('\n'));
    for (const e of r.errors) assert.equal(e.file, 'proj/broken.py', e.message);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
