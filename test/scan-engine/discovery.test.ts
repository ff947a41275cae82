import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { collectCode, ScanInputError, type CollectOptions } from '../../src/collect/code/index.js';
import { makeTree, removeTree, seeEverythingRegistry } from './tree.js';
import type { Extractor } from '../../src/collect/code/types.js';

async function seen(paths: string[], opts: CollectOptions = {}) {
  const r = await collectCode(paths, { registry: seeEverythingRegistry, workers: 0, ...opts });
  return { files: r.facts.files.map((f) => f.file), errors: r.errors, result: r };
}

const BASE_TREE = {
  '.gitignore': 'ignored-dir/\n*.log\n!keep.log\n/generated.js\n',
  'app.js': 'a',
  'keep.log': 'kept by negation',
  'debug.log': 'ignored by *.log',
  'generated.js': 'anchored to the root',
  'ignored-dir/x.js': 'ignored folder',
  'sub/.gitignore': 'local.js\n!important.log\n',
  'sub/generated.js': 'the root pattern is anchored: kept',
  'sub/local.js': 'ignored by the nested .gitignore',
  'sub/important.log': 'ignored at the root, brought back below',
  'sub/deeper/local.js': 'nested patterns without a slash match at any depth below',
  'node_modules/pkg/index.js': 'dependency',
  'vendor/laravel/session.php': 'dependency',
  'src/vendor-ish/ok.js': 'a name that only looks like vendor',
  'dist/bundle.js': 'build output',
  '.next/server.js': 'build output',
  '__pycache__/m.py': 'cache',
  'env/pyvenv.cfg': 'home = /usr/bin',
  'env/lib/site.py': 'a virtualenv under another name',
  'lib/jquery.min.js': 'minified',
  'src/legacy/old.js': 'legacy',
  'tests/app.test.js': 'test',
  'examples/server.js': 'example',
};

test('discovery honours .gitignore at every level and skips dependency and build folders', async () => {
  const dir = makeTree(BASE_TREE);
  try {
    const { files, errors } = await seen([dir]);
    assert.deepEqual(files, [
      '.gitignore',
      'app.js',
      'examples/server.js',
      'keep.log',
      'src/legacy/old.js',
      'src/vendor-ish/ok.js',
      'sub/.gitignore',
      'sub/generated.js',
      'sub/important.log',
      'tests/app.test.js',
    ]);
    assert.deepEqual(errors, []);
  } finally {
    removeTree(dir);
  }
});

test('--include brings a skipped folder back; --exclude drops paths and wins over --include', async () => {
  const dir = makeTree(BASE_TREE);
  try {
    const a = await seen([dir], { include: ['vendor/**'], exclude: ['src/legacy'] });
    assert.ok(a.files.includes('vendor/laravel/session.php'));
    assert.ok(!a.files.includes('src/legacy/old.js'));
    assert.ok(!a.files.includes('node_modules/pkg/index.js'));

    const b = await seen([dir], {
      include: ['vendor', 'debug.log', 'ignored-dir/**'],
      exclude: ['vendor/laravel/**', '*.test.js'],
    });
    assert.ok(!b.files.includes('vendor/laravel/session.php'), 'exclude wins');
    assert.ok(b.files.includes('debug.log'), 'an include brings back a gitignored file');
    assert.ok(b.files.includes('ignored-dir/x.js'), 'and a gitignored folder');
    assert.ok(!b.files.includes('tests/app.test.js'), 'a glob without a slash matches at any depth');

    const c = await seen([dir], { include: ['**/*.min.js', 'node_modules/pkg/index.js'] });
    assert.ok(c.files.includes('lib/jquery.min.js'));
    assert.ok(c.files.includes('node_modules/pkg/index.js'), 'a file path inside a skipped folder');
  } finally {
    removeTree(dir);
  }
});

test('.git/info/exclude and the .gitignore files above the scanned folder in the same work tree apply', async () => {
  const dir = makeTree({
    '.git/info/exclude': 'notes.js\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.gitignore': 'app/private.js\n*.secret.js\n',
    'app/notes.js': 'excluded by info/exclude',
    'app/private.js': 'ignored by the parent .gitignore',
    'app/x.secret.js': 'ignored by the parent .gitignore',
    'app/main.js': 'kept',
  });
  try {
    const { files } = await seen([join(dir, 'app')]);
    assert.deepEqual(files, ['main.js']);
  } finally {
    removeTree(dir);
  }
});

test('a folder named explicitly is scanned even when a .gitignore above it ignores it', async () => {
  const dir = makeTree({
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.gitignore': 'tmp/\n',
    'tmp/tree/.gitignore': '*.log\n',
    'tmp/tree/a.js': 'x',
    'tmp/tree/b.log': 'x',
    'tmp/other.js': 'x',
  });
  try {
    assert.deepEqual((await seen([join(dir, 'tmp', 'tree')])).files, ['.gitignore', 'a.js']);
    assert.deepEqual((await seen([dir])).files, ['.gitignore']);
  } finally {
    removeTree(dir);
  }
});

test('test and fixture folders are marked; examples are ordinary code', async () => {
  const dir = makeTree({
    'tests/a.js': 'x',
    'src/__tests__/b.js': 'x',
    'spec/c.js': 'x',
    'test/fixtures/d.js': 'x',
    'pkg/testdata/e.py': 'x',
    'src/f.spec.ts': 'x',
    'test_views.py': 'x',
    'examples/g.js': 'x',
    'src/h.js': 'x',
  });
  try {
    const { result } = await seen([dir]);
    const marks = Object.fromEntries(result.facts.files.map((f) => [f.file, f.inTestCode]));
    assert.deepEqual(marks, {
      'examples/g.js': false,
      'pkg/testdata/e.py': true,
      'spec/c.js': true,
      'src/__tests__/b.js': true,
      'src/f.spec.ts': true,
      'src/h.js': false,
      'test/fixtures/d.js': true,
      'test_views.py': true,
      'tests/a.js': true,
    });
    assert.equal(result.facts.files.find((f) => f.file === 'src/f.spec.ts')?.language, 'typescript');
  } finally {
    removeTree(dir);
  }
});

test('binary and oversized files are skipped with a note; limits are configurable', async () => {
  // Short lines: a file of one huge line would be skipped as minified once read.
  const big = Buffer.from(('x'.repeat(79) + '\n').repeat(Math.ceil((3.1 * 1024 * 1024) / 80))).subarray(
    0,
    Math.round(3.1 * 1024 * 1024),
  );
  const dir = makeTree({
    'big.js': big,
    'image.js': Buffer.concat([Buffer.from('GIF89a'), Buffer.from([0, 1, 2, 0])]),
    'ok.js': 'fine',
  });
  try {
    const { files, errors } = await seen([dir]);
    assert.deepEqual(files, ['ok.js']);
    assert.deepEqual(errors, [
      { file: 'big.js', message: 'skipped big.js: 3.1 MiB is over the 2 MiB limit (--max-file-size)' },
      { file: 'image.js', message: 'skipped image.js: binary file (NUL byte in the first 8 KB)' },
    ]);
    const larger = await seen([dir], { maxFileBytes: 4 * 1024 * 1024 });
    assert.deepEqual(larger.files, ['big.js', 'ok.js']);
    const smaller = await seen([dir], { maxFileBytes: 2 });
    assert.ok(
      smaller.errors.some(
        (e) => e.message === 'skipped ok.js: 4 bytes is over the 2 bytes limit (--max-file-size)',
      ),
    );
  } finally {
    removeTree(dir);
  }
});

test('symbolic links: loops and links out of the root are reported, never followed; links to files inside are read', async () => {
  const outside = makeTree({ 'outside.js': 'secret elsewhere', 'dir/x.js': 'elsewhere' });
  const dir = makeTree({ 'src/app.js': 'real', 'sub/inner.js': 'inner' });
  try {
    symlinkSync('b', join(dir, 'a')); // a -> b -> a
    symlinkSync('a', join(dir, 'b'));
    symlinkSync('..', join(dir, 'sub', 'loop')); // a folder link to its own parent
    symlinkSync('/', join(dir, 'slash'));
    symlinkSync(join(outside, 'outside.js'), join(dir, 'outside.js'));
    symlinkSync(join(outside, 'dir'), join(dir, 'outdir'));
    symlinkSync('src/app.js', join(dir, 'link.js'));
    symlinkSync('src', join(dir, 'src-again'));
    symlinkSync('missing.js', join(dir, 'dangling.js'));
    const { files, errors } = await seen([dir]);
    assert.deepEqual(files, ['link.js', 'src/app.js', 'sub/inner.js']);
    assert.deepEqual(errors, [
      { file: 'a', message: 'skipped a: symbolic link loop' },
      { file: 'b', message: 'skipped b: symbolic link loop' },
      {
        file: 'outdir',
        message: 'skipped outdir/: symbolic link to a folder outside the scanned root (not followed)',
      },
      {
        file: 'outside.js',
        message: 'skipped outside.js: symbolic link to a file outside the scanned root (not followed)',
      },
      {
        file: 'slash',
        message: 'skipped slash/: symbolic link to a folder outside the scanned root (not followed)',
      },
      {
        file: 'sub/loop',
        message: 'skipped sub/loop/: symbolic link to an enclosing folder (a loop, not followed)',
      },
    ]);
  } finally {
    removeTree(dir);
    removeTree(outside);
  }
});

test('a FIFO named like a source file is reported and does not block; a folder named like a file is walked', async () => {
  const dir = makeTree({ 'dir.js/inner.js': 'inside a folder named dir.js', 'ok.js': 'x' });
  try {
    execFileSync('mkfifo', [join(dir, 'pipe.js')]);
    const { files, errors } = await seen([dir]);
    assert.deepEqual(files, ['dir.js/inner.js', 'ok.js']);
    assert.deepEqual(errors, [{ file: 'pipe.js', message: 'skipped pipe.js: not a regular file' }]);
  } finally {
    removeTree(dir);
  }
});

test('an unreadable file and folder are reported and the scan goes on (as an unprivileged user when run as root)', async () => {
  const dir = makeTree({ 'secret.js': 'no access', 'closed/inner.js': 'no access', 'ok.js': 'x' });
  try {
    chmodSync(join(dir, 'secret.js'), 0o000);
    chmodSync(join(dir, 'closed'), 0o000);
    let out: { files: string[]; errors: unknown[] };
    if (process.getuid?.() === 0) {
      // root reads through chmod 000: run the scan as `nobody`, where permissions apply.
      const index = pathToFileURL(join(import.meta.dirname, '../../src/collect/code/index.js')).href;
      const tree = pathToFileURL(join(import.meta.dirname, 'tree.js')).href;
      const script = `
        const { collectCode } = await import(${JSON.stringify(index)});
        const { seeEverythingRegistry } = await import(${JSON.stringify(tree)});
        const r = await collectCode([${JSON.stringify(dir)}], { registry: seeEverythingRegistry, workers: 0 });
        console.log(JSON.stringify({ files: r.facts.files.map((f) => f.file), errors: r.errors }));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        uid: 65534,
        gid: 65534,
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(r.status, 0, r.stderr);
      out = JSON.parse(r.stdout);
    } else {
      const s = await seen([dir]);
      out = { files: s.files, errors: s.errors };
    }
    assert.deepEqual(out.files, ['ok.js']);
    assert.deepEqual(out.errors, [
      { file: 'closed', message: 'cannot read folder closed: permission denied' },
      { file: 'secret.js', message: 'cannot read secret.js: permission denied' },
    ]);
  } finally {
    chmodSync(join(dir, 'closed'), 0o755);
    removeTree(dir);
  }
});

test('invalid UTF-8 is decoded with replacement characters and noted; a byte-order mark is dropped', async () => {
  const dir = makeTree({
    'latin1.js': Buffer.from([0x76, 0x61, 0x72, 0x20, 0x78, 0x3d, 0x27, 0xe9, 0x27, 0x3b]), // var x='é' in latin1
    'bom.js': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('const a = 1;')]),
  });
  try {
    const { result, errors } = await seen([dir]);
    const text = (f: string) =>
      (result.facts.files.find((x) => x.file === f)?.facts[0] as { data: { text: string } }).data.text;
    assert.equal(text('latin1.js'), "var x='\uFFFD';");
    assert.equal(text('bom.js'), 'const a = 1;');
    assert.deepEqual(errors, [
      {
        file: 'latin1.js',
        message: 'latin1.js: not valid UTF-8; invalid bytes were replaced (U+FFFD) before analysis',
      },
    ]);
  } finally {
    removeTree(dir);
  }
});

test('explicit paths: a file scans that file, several paths share their common ancestor as root, a missing one is an input error', async () => {
  const dir = makeTree({
    'a/one.js': 'x',
    'a/skip.js': 'x',
    'b/two.js': 'x',
    'node_modules/three.js': 'x',
    'c/README': 'x',
  });
  try {
    const single = await seen([join(dir, 'a', 'one.js')]);
    assert.equal(single.result.root, join(dir, 'a'));
    assert.deepEqual(single.files, ['one.js']);

    const several = await seen([join(dir, 'a', 'one.js'), join(dir, 'b'), join(dir, 'node_modules')]);
    assert.equal(several.result.root, dir);
    assert.deepEqual(
      several.files,
      ['a/one.js', 'b/two.js', 'node_modules/three.js'],
      'a folder named explicitly is scanned even if skipped by default',
    );

    const overlapping = await seen([dir, join(dir, 'a')]);
    assert.deepEqual(overlapping.files, ['a/one.js', 'a/skip.js', 'b/two.js', 'c/README']);

    await assert.rejects(
      collectCode([join(dir, 'nope')], { registry: seeEverythingRegistry }),
      (e: Error) => {
        assert.ok(e instanceof ScanInputError);
        assert.equal(e.message, `no such file or folder: ${join(dir, 'nope')}`);
        return true;
      },
    );
  } finally {
    removeTree(dir);
  }
});

test('a folder already walked under another path (bind mount or hard-linked folder) is walked once', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root for a bind mount');
  const dir = makeTree({ 'real/x.js': 'x' });
  mkdirSync(join(dir, 'real', 'mnt'));
  const mounted = spawnSync('mount', ['--bind', dir, join(dir, 'real', 'mnt')]);
  if (mounted.status !== 0) {
    removeTree(dir);
    return t.skip('mount --bind is not permitted here');
  }
  try {
    writeFileSync(join(dir, 'top.js'), 'x');
    const { files, errors } = await seen([dir]);
    assert.deepEqual(files, ['real/x.js', 'top.js']);
    assert.deepEqual(errors, [
      {
        file: 'real/mnt',
        message: 'skipped real/mnt/: folder already scanned under another path (a filesystem loop)',
      },
    ]);
  } finally {
    spawnSync('umount', [join(dir, 'real', 'mnt')]);
    removeTree(dir);
  }
});

test('files reach exactly the extractors whose globs picomatch matches (name-keyed routing)', async () => {
  const { extractors } = await import('../../src/collect/code/registry.js');
  const picomatch = (await import('picomatch')).default;
  const tricky: Extractor[] = [
    { name: 'root-only', files: ['Procfile', 'conf/*.ini'], keywords: [], extract: () => [] },
    {
      name: 'no-dot-suffix',
      files: ['**/Dockerfile-*', '**/*nginx*.conf', '**/x.{py,cfg}'],
      keywords: [],
      extract: () => [],
    },
    {
      name: 'dotted-prefix',
      files: ['**/.env.*', '**/*.env', '**/deploy/**/*.yaml'],
      keywords: [],
      extract: () => [],
    },
  ];
  const all = [...extractors, ...tricky];
  const names = [
    'Procfile',
    'sub/Procfile',
    'conf/a.ini',
    'sub/conf/a.ini',
    'Dockerfile',
    'Dockerfile-prod',
    'a/Dockerfile.dev',
    'web.Dockerfile',
    'nginx.conf',
    'etc/my-nginx-site.conf',
    'x.py',
    'x.cfg',
    'a/x.pyc',
    '.env',
    '.env.production',
    'prod.env',
    'a/.env.local',
    'deploy/k8s/ingress.yaml',
    'docker-compose.override.yml',
    'compose.prod.yaml',
    'requirements-dev.txt',
    'requirements/base.txt',
    'src/app.tsx',
    'src/app.d.ts',
    'lib/a.inc',
    '.htaccess',
    'public/.user.ini',
    'config/packages/prod/framework.yaml',
    'app/config/config.yml',
    'README.md',
    'Makefile',
    '.platform/routes.yaml',
    'sites-enabled/default',
    'settings.py',
    'noext',
  ];
  const dir = makeTree(Object.fromEntries(names.map((n) => [n, 'x'])));
  try {
    const r = await collectCode([dir], {
      registry: {
        extractors: all.map((e, i) => ({
          ...e,
          keywords: [],
          extract: (f) => [
            {
              type: 'other',
              framework: 'test',
              key: String(i),
              data: {},
              location: { file: f.file, line: 1, column: 1 },
              evidence: '',
            },
          ],
        })),
        resolvers: [],
      },
      workers: 0,
    });
    const got = new Map<string, number[]>();
    for (const f of r.facts.files)
      got.set(
        f.file,
        f.facts.map((x) => Number((x as { key: string }).key)).sort((a, b) => a - b),
      );
    for (const n of names) {
      const want = all.flatMap((e, i) => (e.files.some((g) => picomatch(g, { dot: true })(n)) ? [i] : []));
      assert.deepEqual(got.get(n) ?? [], want, n);
    }
  } finally {
    removeTree(dir);
  }
});
