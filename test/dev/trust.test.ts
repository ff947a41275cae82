/**
 * trust / untrust against temporary NSS databases (made with certutil -N) and a temporary CA
 * directory, with HOME pointing at a temporary directory. The machine's real stores are never
 * touched: the system store is either skipped (--no-system) or only planned (--dry-run), and the
 * test checks that the Debian file was not created.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEBIAN_CERT_FILE,
  commandLine,
  findNssDatabases,
  nssNickname,
  systemTrustPlan,
} from '../../src/dev/trust.js';
import { runCli, tempDir } from './helpers.js';

const hasCertutil = spawnSync('certutil', ['-H']).error === undefined;

function newNssDb(dir: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password'], { timeout: 30_000 });
}

/** certutil -L for one nickname: its trust flags, or null when absent. */
function trustFlags(db: string, nick: string): string | null {
  const r = spawnSync('certutil', ['-L', '-d', `sql:${db}`], { encoding: 'utf8', timeout: 30_000 });
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith(nick)) return line.slice(nick.length).trim();
  }
  return null;
}

test('system trust plans per system (case table)', () => {
  const ca = '/home/u/.local/share/cookieguard/ca.pem';
  const probe = (platform: NodeJS.Platform, files: string[]) => ({
    platform,
    exists: (p: string) => files.includes(p),
  });
  const cases: [string, ReturnType<typeof probe>, string, boolean, string[]][] = [
    [
      'Debian/Ubuntu',
      probe('linux', ['/usr/sbin/update-ca-certificates', '/usr/local/share/ca-certificates']),
      'debian',
      true,
      [`cp ${ca} /usr/local/share/ca-certificates/cookieguard.crt`, 'update-ca-certificates'],
    ],
    [
      'Fedora/RHEL',
      probe('linux', ['/usr/bin/update-ca-trust']),
      'fedora',
      false,
      [`sudo cp ${ca} /etc/pki/ca-trust/source/anchors/cookieguard.pem`, 'sudo update-ca-trust extract'],
    ],
    [
      'openSUSE',
      probe('linux', ['/usr/sbin/update-ca-certificates', '/etc/pki/trust/anchors']),
      'suse',
      false,
      [`sudo cp ${ca} /etc/pki/trust/anchors/cookieguard.pem`, 'sudo update-ca-certificates'],
    ],
    ['Arch', probe('linux', ['/usr/bin/trust']), 'arch', false, [`sudo trust anchor --store ${ca}`]],
    [
      'macOS',
      probe('darwin', []),
      'macos',
      false,
      [`sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${ca}`],
    ],
    ['Windows', probe('win32', []), 'windows', false, [`certutil -addstore -f ROOT ${ca}`]],
    ['nothing known', probe('linux', []), 'unknown', false, []],
  ];
  for (const [label, p, kind, automatic, install] of cases) {
    const plan = systemTrustPlan(ca, 'cookieguard local CA u@h', p);
    assert.equal(plan.kind, kind, label);
    assert.equal(plan.automatic, automatic, label);
    assert.deepEqual(plan.install.map(commandLine), install, label);
  }
  assert.equal(
    commandLine(['security', 'delete-certificate', '-c', 'cookieguard local CA u@h']),
    "security delete-certificate -c 'cookieguard local CA u@h'",
  );
});

test('NSS databases are found for Chromium and every Firefox profile with a cert9.db', () => {
  const t = tempDir('home');
  try {
    const home = t.dir;
    for (const d of [
      '.pki/nssdb',
      '.mozilla/firefox/abc.default-release',
      '.mozilla/firefox/xyz.dev',
      'snap/firefox/common/.mozilla/firefox/s1.default',
    ]) {
      mkdirSync(join(home, d), { recursive: true });
      writeFileSync(join(home, d, 'cert9.db'), '');
    }
    mkdirSync(join(home, '.mozilla/firefox/empty.profile'), { recursive: true });
    const found = findNssDatabases(home).map((d) => [d.label, d.dir.slice(home.length)]);
    assert.deepEqual(found, [
      ['Chrome/Chromium', '/.pki/nssdb'],
      ['Firefox profile abc.default-release', '/.mozilla/firefox/abc.default-release'],
      ['Firefox profile xyz.dev', '/.mozilla/firefox/xyz.dev'],
      ['Firefox profile s1.default', '/snap/firefox/common/.mozilla/firefox/s1.default'],
    ]);
    assert.deepEqual(findNssDatabases(join(home, 'nobody')), []);
  } finally {
    t.cleanup();
  }
});

test(
  'dev trust / untrust with a temporary NSS database: added with trust C,, then removed',
  { skip: !hasCertutil && 'certutil not installed (libnss3-tools)', timeout: 120_000 },
  async () => {
    const t = tempDir('trust');
    try {
      const home = join(t.dir, 'home');
      const db = join(home, '.pki', 'nssdb');
      newNssDb(db);
      const caDir = join(t.dir, 'ca');
      const env = { HOME: home, XDG_DATA_HOME: join(t.dir, 'xdg') };

      const r = await runCli(['dev', 'trust', '--ca-dir', caDir, '--nss-db', db, '--no-system'], env);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const nick = nssNickname({ certPem: readFileSync(join(caDir, 'ca.pem'), 'utf8') });
      assert.match(r.stdout, new RegExp(`✓ NSS database .*: added as "${nick}" \\(trust C,,\\)`));
      assert.match(
        r.stdout,
        new RegExp(`export NODE_EXTRA_CA_CERTS=${caDir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/ca\\.pem`),
      );
      assert.match(trustFlags(db, nick) ?? '', /^C,,$/);

      // trusting again is harmless (same nickname, one entry)
      const again = await runCli(['dev', 'trust', '--ca-dir', caDir, '--nss-db', db, '--no-system'], env);
      assert.equal(again.code, 0, again.stderr);

      const u = await runCli(['dev', 'untrust', '--ca-dir', caDir, '--nss-db', db, '--no-system'], env);
      assert.equal(u.code, 0, u.stderr + u.stdout);
      assert.match(u.stdout, new RegExp(`removed "${nick}"`));
      assert.equal(trustFlags(db, nick), null);
      assert.ok(existsSync(join(caDir, 'ca.pem')), 'the CA files stay');

      const u2 = await runCli(['dev', 'untrust', '--ca-dir', caDir, '--nss-db', db, '--no-system'], env);
      assert.equal(u2.code, 0);
      assert.match(u2.stdout, /was not there/);
    } finally {
      t.cleanup();
    }
  },
);

test(
  'one store failing does not stop the others; the failure is named and the exit is 2',
  { skip: !hasCertutil && 'certutil not installed (libnss3-tools)', timeout: 120_000 },
  async () => {
    const t = tempDir('partial');
    try {
      const good = join(t.dir, 'good');
      newNssDb(good);
      const missing = join(t.dir, 'missing');
      const caDir = join(t.dir, 'ca');
      const r = await runCli(
        ['dev', 'trust', '--ca-dir', caDir, '--nss-db', missing, '--nss-db', good, '--no-system'],
        { HOME: t.dir },
      );
      assert.equal(r.code, 2);
      assert.match(r.stdout, /✗ NSS database .*missing: no NSS database \(cert9\.db\)/);
      assert.match(r.stdout, /✓ NSS database .*good: added as/);
      assert.match(r.stderr, /^cookieguard: dev trust: 1 of 2 stores not changed: NSS database .*missing\n$/);
      const nick = nssNickname({ certPem: readFileSync(join(caDir, 'ca.pem'), 'utf8') });
      assert.match(trustFlags(good, nick) ?? '', /^C,,$/);
    } finally {
      t.cleanup();
    }
  },
);

test(
  '--dry-run plans the system store (Debian here) and the NSS databases without changing anything',
  { timeout: 120_000 },
  async () => {
    const t = tempDir('dry');
    try {
      const db = join(t.dir, 'db');
      if (hasCertutil) newNssDb(db);
      const caDir = join(t.dir, 'ca');
      const debianBefore = existsSync(DEBIAN_CERT_FILE);
      const r = await runCli(['dev', 'trust', '--dry-run', '--ca-dir', caDir, '--nss-db', db], {
        HOME: t.dir,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /dry run: nothing changed/);
      const plan = systemTrustPlan(join(caDir, 'ca.pem'), 'x', {
        platform: process.platform,
        exists: existsSync,
      });
      for (const argv of plan.install)
        assert.ok(r.stdout.includes(commandLine(argv)), `plans ${commandLine(argv)}`);
      if (plan.kind === 'debian') {
        assert.ok(
          r.stdout.includes(`cp ${join(caDir, 'ca.pem')} /usr/local/share/ca-certificates/cookieguard.crt`),
        );
        assert.match(r.stdout, /\n {6}update-ca-certificates\n/);
      }
      assert.match(
        r.stdout,
        new RegExp(
          `certutil -A -d sql:${db.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} -t C,, -n 'cookieguard local CA [0-9a-f]{8}' -i `,
        ),
      );
      assert.equal(existsSync(DEBIAN_CERT_FILE), debianBefore, 'the system store was not touched');
      if (hasCertutil) {
        const nick = nssNickname({ certPem: readFileSync(join(caDir, 'ca.pem'), 'utf8') });
        assert.equal(trustFlags(db, nick), null, 'the NSS database was not touched');
      }
      const u = await runCli(['dev', 'untrust', '--dry-run', '--ca-dir', caDir, '--nss-db', db], {
        HOME: t.dir,
      });
      assert.equal(u.code, 0, u.stderr);
      for (const argv of plan.remove)
        assert.ok(u.stdout.includes(commandLine(argv)), `plans ${commandLine(argv)}`);
      assert.match(u.stdout, /certutil -D -d sql:/);
    } finally {
      t.cleanup();
    }
  },
);

test('untrust does not create a CA that is not there', async () => {
  const t = tempDir('none');
  try {
    const r = await runCli(['dev', 'untrust', '--ca-dir', join(t.dir, 'ca'), '--no-system', '--no-nss'], {
      HOME: t.dir,
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^cookieguard: there is no CA in .* yet/);
    assert.equal(existsSync(join(t.dir, 'ca')), false);
  } finally {
    t.cleanup();
  }
});
