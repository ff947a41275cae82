import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectCode, type CollectResult } from '../../src/collect/code/index.js';
import { extractors as fakeExtractors, resolvers as fakeResolvers, FAKE_REGISTRY } from './fake-registry.js';
import { makeTree, removeTree } from './tree.js';

/** A seeded generator, so the generated tree is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function generatedTree(n: number): Record<string, string> {
  const r = rng(42);
  const files: Record<string, string> = {};
  const words = ['const', 'value', 'handler', 'request', 'user', 'data', 'return', 'items'];
  for (let i = 0; i < n; i++) {
    const dir = `pkg${i % 17}/mod${i % 5}${i % 11 === 0 ? '/tests' : ''}`;
    const kind = r();
    const body = Array.from(
      { length: 5 + Math.floor(r() * 30) },
      () => words[Math.floor(r() * words.length)],
    ).join(' ');
    if (kind < 0.45) {
      const withSession = r() < 0.2;
      files[`${dir}/f${i}.js`] =
        `// ${body}\n${withSession ? `app.use(session({ secret: 'x', cookie: { secure: ${r() < 0.5} } }));\n` : ''}module.exports = ${i};\n`;
    } else if (kind < 0.8) {
      const withCookie = r() < 0.2;
      files[`${dir}/f${i}.py`] =
        `# ${body}\n${withCookie ? `resp.set_cookie('c${i}', 'v', secure=True)\n` : ''}x = ${i}\n`;
    } else if (kind < 0.85) {
      files[`${dir}/.env.${['production', 'local', 'staging'][i % 3]}`] =
        `APP_ENV=${['production', 'local', 'staging'][i % 3]}\nSESSION_SECURE_COOKIE=${i % 2 === 0}\nAPP_KEY=base64:abc${i}\n`;
    } else if (kind < 0.9) {
      files[`${dir}/f${i}.trouble`] = i % 7 === 0 ? 'throw' : 'fine';
    } else {
      files[`${dir}/notes${i}.txt`] = body;
    }
  }
  files['package.json'] = JSON.stringify(
    { dependencies: { 'express-session': '^1.18.0' }, devDependencies: { typescript: '5.6.2' } },
    null,
    2,
  );
  return files;
}

/** The parts of a result that must not depend on the number of workers. */
function comparable(r: CollectResult) {
  return { files: r.facts.files, errors: r.errors, observations: r.observations, root: r.root };
}

test('worker threads and a single thread produce identical facts, errors and observations', async () => {
  const dir = makeTree(generatedTree(700));
  try {
    const single = await collectCode([dir], { registry: FAKE_REGISTRY, workers: 0 });
    const pooled = await collectCode([dir], { registry: FAKE_REGISTRY, workers: 3 });
    const auto = await collectCode([dir], { registry: FAKE_REGISTRY });
    assert.equal(single.stats.workers, 0);
    assert.equal(pooled.stats.workers, 3);
    assert.ok(auto.stats.workers >= 1);
    assert.ok(single.facts.files.length > 100, 'the tree yields facts');
    assert.ok(
      single.errors.some((e) => e.message.includes('this extractor broke')),
      'extractor failures are errors',
    );
    assert.ok(single.observations.length > 10);
    assert.deepEqual(comparable(pooled), comparable(single));
    assert.deepEqual(comparable(auto), comparable(single));
    // The prefilter did its job: .txt files were never candidates, and not every code file was parsed.
    assert.ok(single.stats.matched < single.stats.candidates);
  } finally {
    removeTree(dir);
  }
});

test('a registry object (no module) runs single-threaded and gives the same result', async () => {
  const dir = makeTree(generatedTree(120));
  try {
    const viaModule = await collectCode([dir], { registry: FAKE_REGISTRY, workers: 2 });
    const viaObject = await collectCode([dir], {
      registry: { extractors: fakeExtractors, resolvers: fakeResolvers },
      workers: 2,
    });
    assert.equal(viaObject.stats.workers, 0);
    assert.deepEqual(comparable(viaObject), comparable(viaModule));
  } finally {
    removeTree(dir);
  }
});

test('an extractor that throws becomes an error entry for that file; other extractors and files go on', async () => {
  const dir = makeTree({
    'a.trouble': 'throw',
    'b.trouble': 'fine',
    'c.py': 'set_cookie("a", "b")',
    'd.trouble': 'overflow',
  });
  try {
    for (const workers of [0, 2]) {
      const r = await collectCode([dir], { registry: FAKE_REGISTRY, workers });
      assert.deepEqual(r.errors, [
        { file: 'a.trouble', message: 'trouble could not analyse a.trouble: this extractor broke' },
        {
          file: 'd.trouble',
          message:
            'trouble could not analyse d.trouble: code nested too deeply to analyse (maximum call stack size exceeded)',
        },
      ]);
      assert.deepEqual(
        r.facts.files.map((f) => f.file),
        ['b.trouble', 'c.py'],
      );
    }
  } finally {
    removeTree(dir);
  }
});

test('a resolver that throws becomes an error; the other resolvers still report', async () => {
  const dir = makeTree({ 'boom.trouble': 'resolver-boom', 'app.js': 'app.use(session({}));' });
  try {
    const r = await collectCode([dir], { registry: FAKE_REGISTRY, workers: 0 });
    assert.deepEqual(r.errors, [
      { message: 'boom-resolver could not reason about the project: resolver exploded' },
    ]);
    assert.equal(r.observations.length, 1);
    assert.deepEqual((r.observations[0] as { location?: unknown }).location, {
      file: 'app.js',
      line: 1,
      column: 9,
      endLine: 1,
      endColumn: 20,
    });
  } finally {
    removeTree(dir);
  }
});

test('observations located in test code are marked inTestCode when the resolver did not say', async () => {
  const dir = makeTree({ 'tests/app.js': 'session()', 'src/app.js': 'session()' });
  try {
    const r = await collectCode([dir], { registry: FAKE_REGISTRY, workers: 0 });
    const marks = r.observations.map((o) => [
      (o as { location?: { file: string } }).location?.file,
      (o as { inTestCode?: boolean }).inTestCode,
    ]);
    assert.deepEqual(marks, [
      ['src/app.js', undefined],
      ['tests/app.js', true],
    ]);
  } finally {
    removeTree(dir);
  }
});

test('a worker that dies is replaced: the file it was on is reported, the rest of its batch is done', async () => {
  const files: Record<string, string> = { 'die.trouble': 'exit' };
  for (let i = 0; i < 60; i++) files[`f${String(i).padStart(2, '0')}.trouble`] = 'fine';
  const dir = makeTree(files);
  try {
    const r = await collectCode([dir], { registry: FAKE_REGISTRY, workers: 2, mainThreadHelps: false });
    assert.deepEqual(r.errors, [
      { file: 'die.trouble', message: 'could not analyse die.trouble: worker exited with code 3' },
    ]);
    assert.equal(r.facts.files.length, 60);
  } finally {
    removeTree(dir);
  }
});

test("a file over a worker's heap limit is done by the main thread instead of being lost", async () => {
  const files: Record<string, string> = { 'big.trouble': 'oom' };
  for (let i = 0; i < 30; i++) files[`f${String(i).padStart(2, '0')}.trouble`] = 'fine';
  const dir = makeTree(files);
  try {
    const r = await collectCode([dir], { registry: FAKE_REGISTRY, workers: 2, mainThreadHelps: false });
    assert.deepEqual(r.errors, []);
    assert.equal(r.facts.files.length, 31);
    assert.ok(r.facts.files.some((f) => f.file === 'big.trouble'));
  } finally {
    removeTree(dir);
  }
});

test('the main thread helps once discovery is done: the same facts as without its help', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 400; i++) files[`f${String(i).padStart(3, '0')}.trouble`] = 'fine';
  const dir = makeTree(files);
  try {
    const a = await collectCode([dir], { registry: FAKE_REGISTRY, workers: 2 });
    const b = await collectCode([dir], { registry: FAKE_REGISTRY, workers: 2, mainThreadHelps: false });
    assert.equal(a.facts.files.length, 400);
    assert.deepEqual(a.facts.files, b.facts.files);
    assert.deepEqual(a.errors, []);
  } finally {
    removeTree(dir);
  }
});

test('a worker stuck on one file is stopped after the file timeout; the other files are done', async () => {
  const files: Record<string, string> = { 'stuck.trouble': 'hang' };
  for (let i = 0; i < 20; i++) files[`f${String(i).padStart(2, '0')}.trouble`] = 'fine';
  const dir = makeTree(files);
  try {
    const r = await collectCode([dir], {
      registry: FAKE_REGISTRY,
      workers: 2,
      fileTimeoutMs: 4000,
      mainThreadHelps: false,
    });
    assert.deepEqual(r.errors, [
      {
        file: 'stuck.trouble',
        message: 'could not analyse stuck.trouble: gave up after 4 s (the file takes too long to analyse)',
      },
    ]);
    assert.equal(r.facts.files.length, 20);
  } finally {
    removeTree(dir);
  }
});

test('deeply nested code (10,000 nested arrays and parentheses) is refused up front, the same way in a worker and in-process', async () => {
  const n = 10_000;
  // Short lines, so the files are not taken for minified code (which is skipped before parsing).
  const lines = (open: string, inner: string, close: string) =>
    `${(open.repeat(50) + '\n').repeat(n / 50)}${inner}${('\n' + close.repeat(50)).repeat(n / 50)}`;
  const dir = makeTree({
    'arrays.js': `const session = ${lines('[', '', ']')};\nsession(1);\n`,
    'parens.js': `session(${lines('(', '1', ')')});\n`,
    'deep-but-fine.js': `session(${'('.repeat(900)}1${')'.repeat(900)});\n`,
    'calm.js': 'session(2);\n',
  });
  try {
    const results = [];
    for (const workers of [0, 2]) {
      const r = await collectCode([dir], { registry: FAKE_REGISTRY, workers });
      assert.deepEqual(r.errors, [
        {
          file: 'arrays.js',
          message:
            'skipped arrays.js: brackets nested more than 1000 levels deep, too deep to analyse safely',
        },
        {
          file: 'parens.js',
          message:
            'skipped parens.js: brackets nested more than 1000 levels deep, too deep to analyse safely',
        },
      ]);
      assert.deepEqual(
        r.facts.files.map((f) => f.file),
        ['calm.js', 'deep-but-fine.js'],
      );
      results.push(comparable(r));
    }
    assert.deepEqual(results[0], results[1]);
  } finally {
    removeTree(dir);
  }
});

test('an extractor that overflows the stack on its own is reported, not fatal', async () => {
  const dir = makeTree({ 'a.trouble': 'overflow', 'b.trouble': 'fine' });
  try {
    for (const workers of [0, 2]) {
      const r = await collectCode([dir], { registry: FAKE_REGISTRY, workers });
      assert.deepEqual(r.errors, [
        {
          file: 'a.trouble',
          message:
            'trouble could not analyse a.trouble: code nested too deeply to analyse (maximum call stack size exceeded)',
        },
      ]);
      assert.deepEqual(
        r.facts.files.map((f) => f.file),
        ['b.trouble'],
      );
    }
  } finally {
    removeTree(dir);
  }
});

test('files larger than the read buffer are read whole (the last line of a 300 KB file is seen)', async () => {
  const filler = '// ' + 'x'.repeat(76) + '\n';
  const lines = (300 * 1024) / filler.length;
  const dir = makeTree({
    'big.js': filler.repeat(lines) + 'session(1);\n',
    'exact.js': 'session(2);\n' + filler.repeat(1000).slice(0, 65536 - 12),
  });
  try {
    for (const workers of [0, 2]) {
      const r = await collectCode([dir], { registry: FAKE_REGISTRY, workers });
      assert.deepEqual(r.errors, []);
      const big = r.facts.files.find((f) => f.file === 'big.js');
      assert.equal(big?.facts[0].type, 'session-enabled');
      assert.equal((big?.facts[0] as { location: { line: number } }).location.line, lines + 1);
      assert.ok(
        r.facts.files.some((f) => f.file === 'exact.js'),
        'a file of exactly the buffer size',
      );
    }
  } finally {
    removeTree(dir);
  }
});

test('progress is reported up to the number of candidate files', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 400; i++) files[`f${i}.py`] = i % 2 ? 'set_cookie(1)' : 'x = 1';
  const dir = makeTree(files);
  try {
    for (const workers of [0, 2]) {
      const seen: [number, number][] = [];
      await collectCode([dir], { registry: FAKE_REGISTRY, workers, onProgress: (d, t) => seen.push([d, t]) });
      assert.ok(seen.length > 0);
      assert.deepEqual(seen[seen.length - 1], [400, 400]);
      for (let i = 1; i < seen.length; i++)
        assert.ok(seen[i][0] >= seen[i - 1][0] && seen[i][0] <= seen[i][1]);
    }
  } finally {
    removeTree(dir);
  }
});
