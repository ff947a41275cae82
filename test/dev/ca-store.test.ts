import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createCa } from '../../src/tls/ca.js';
import {
  caFiles,
  certificateSanNames,
  defaultCaDir,
  ensureDevCa,
  ensureLeaf,
  leafRenewalReason,
  LEAF_DAYS,
} from '../../src/dev/ca-store.js';
import { certificateNames } from '../../src/dev/names.js';
import { tempDir } from './helpers.js';

const DAY = 24 * 60 * 60 * 1000;

test('default CA directory: $XDG_DATA_HOME/cookieguard when absolute, else ~/.local/share/cookieguard', () => {
  assert.equal(defaultCaDir({ XDG_DATA_HOME: '/x/data' }, '/home/u'), '/x/data/cookieguard');
  assert.equal(defaultCaDir({ XDG_DATA_HOME: 'relative' }, '/home/u'), '/home/u/.local/share/cookieguard');
  assert.equal(defaultCaDir({}, '/home/u'), '/home/u/.local/share/cookieguard');
});

test('the CA is created once: directory 0700, key 0600, name-constrained, and loaded again unchanged', async () => {
  const t = tempDir('ca');
  try {
    const dir = join(t.dir, 'nested', 'cookieguard');
    const first = await ensureDevCa(dir);
    assert.equal(first.created, true);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(first.files.caKey).mode & 0o777, 0o600);
    const cert = new X509Certificate(readFileSync(first.files.caCert));
    assert.equal(cert.ca, true);
    assert.match(cert.subject, /CN=cookieguard local CA/);
    // Name Constraints (2.5.29.30) present and critical: the raw DER carries the OID 55 1d 1e then the critical flag
    assert.ok(
      cert.raw.includes(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x1e, 0x01, 0x01, 0xff])),
      'critical nameConstraints',
    );
    const again = await ensureDevCa(dir);
    assert.equal(again.created, false);
    assert.equal(again.fingerprint, first.fingerprint);
  } finally {
    t.cleanup();
  }
});

test('two starts at once make one CA (the key is published exclusively)', async () => {
  const t = tempDir('race');
  try {
    const dir = join(t.dir, 'ca');
    const [a, b, c] = await Promise.all([ensureDevCa(dir), ensureDevCa(dir), ensureDevCa(dir)]);
    assert.equal(a.fingerprint, b.fingerprint);
    assert.equal(b.fingerprint, c.fingerprint);
    assert.equal([a, b, c].filter((x) => x.created).length, 1);
  } finally {
    t.cleanup();
  }
});

test('a key readable by others is tightened to 0600 and said so', async () => {
  const t = tempDir('mode');
  try {
    const first = await ensureDevCa(t.dir);
    chmodSync(first.files.caKey, 0o644);
    const again = await ensureDevCa(t.dir);
    assert.equal(statSync(first.files.caKey).mode & 0o777, 0o600);
    assert.match(again.notes.join('\n'), /readable by others \(mode 0644\); it is now 0600/);
  } finally {
    t.cleanup();
  }
});

test('an unusable CA directory or damaged CA files give one clear error', async () => {
  const t = tempDir('bad');
  try {
    // a path through a regular file: cannot be created, whoever runs the test (root included)
    writeFileSync(join(t.dir, 'file'), 'x');
    await assert.rejects(
      ensureDevCa(join(t.dir, 'file', 'ca')),
      /cannot create the CA directory .*file\/ca: a part of the path is a file.*--ca-dir/,
    );
    await assert.rejects(ensureDevCa(join(t.dir, 'file')), /is a file, not a directory/);

    const d1 = join(t.dir, 'mismatch');
    const d2 = join(t.dir, 'other');
    const one = await ensureDevCa(d1);
    const two = await ensureDevCa(d2);
    writeFileSync(one.files.caCert, readFileSync(two.files.caCert));
    await assert.rejects(ensureDevCa(d1), /ca\.pem does not belong to .*ca-key\.pem/);

    writeFileSync(two.files.caCert, 'not a certificate');
    await assert.rejects(ensureDevCa(d2), /is not a PEM certificate/);

    const d3 = join(t.dir, 'nokey');
    await ensureDevCa(d3);
    const f3 = caFiles(d3);
    writeFileSync(f3.caKey, ''); // truncated
    await assert.rejects(ensureDevCa(d3), /is not a PEM private key/);

    await assert.rejects(ensureDevCa(join(t.dir, 'none'), { create: false }), /there is no CA in/);
  } finally {
    t.cleanup();
  }
});

test('leaf renewal reasons (case table)', async () => {
  const ca = await createCa();
  const other = await createCa();
  const names = certificateNames([]);
  const leaf = await ca.issue(names, { days: 30 });
  const now = new Date();
  const cases: [string, string | null, string, readonly string[], Date, string | null][] = [
    ['fresh, same names', leaf.certPem, ca.certPem, names, now, null],
    ['names in another order', leaf.certPem, ca.certPem, [...names].reverse(), now, null],
    ['no leaf', null, ca.certPem, names, now, 'no certificate yet'],
    ['garbage', 'nope', ca.certPem, names, now, 'the saved certificate cannot be read'],
    ['other CA', leaf.certPem, other.certPem, names, now, 'the saved certificate is from another CA'],
    ['a name added', leaf.certPem, ca.certPem, [...names, 'myapp.test'], now, 'the names changed'],
    ['a name gone', leaf.certPem, ca.certPem, names.slice(1), now, 'the names changed'],
    [
      'close to expiry',
      leaf.certPem,
      ca.certPem,
      names,
      new Date(now.getTime() + 25 * DAY),
      'the saved certificate expires in 5 days',
    ],
    [
      'expired',
      leaf.certPem,
      ca.certPem,
      names,
      new Date(now.getTime() + 31 * DAY),
      'the saved certificate expired',
    ],
    [
      'not valid yet',
      leaf.certPem,
      ca.certPem,
      names,
      new Date(now.getTime() - 2 * DAY),
      'the saved certificate is not valid yet',
    ],
  ];
  for (const [label, pem, caPem, n, at, want] of cases) {
    assert.equal(leafRenewalReason(pem, caPem, n, at), want, label);
  }
});

async function verifies(
  certPem: string,
  keyPem: string,
  caPem: string,
  servername: string,
  connectTo: string,
): Promise<boolean> {
  const server = https.createServer({ cert: certPem, key: keyPem }, (_q, r) => r.end('ok'));
  server.listen(0, connectTo);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  try {
    return await new Promise<boolean>((resolve) => {
      const s = tls.connect(
        {
          host: connectTo,
          port,
          ca: caPem,
          servername: /^[\d.:]+$/.test(servername) ? undefined : servername,
        },
        () => {
          resolve(s.authorized && tls.checkServerIdentity(servername, s.getPeerCertificate()) === undefined);
          s.end();
        },
      );
      s.on('error', () => resolve(false));
    });
  } finally {
    server.close();
  }
}

test('the leaf: 30 days, local names, reused while good, issued again when names change or near expiry', async () => {
  const t = tempDir('leaf');
  try {
    const devCa = await ensureDevCa(t.dir);
    const names = certificateNames(['myapp.test']);
    const a = await ensureLeaf(devCa, names);
    assert.equal(a.issued, true);
    assert.equal(statSync(devCa.files.leafKey).mode & 0o777, 0o600);
    const lifetime = a.notAfter.getTime() - Date.now();
    assert.ok(lifetime > (LEAF_DAYS - 1) * DAY && lifetime <= LEAF_DAYS * DAY, 'about 30 days');
    assert.deepEqual(certificateSanNames(a.certPem).sort(), [...names].sort());

    const b = await ensureLeaf(devCa, names);
    assert.equal(b.issued, false);
    assert.equal(b.certPem, a.certPem);

    const c = await ensureLeaf(devCa, certificateNames(['other.test']));
    assert.equal(c.issued, true);
    assert.equal(c.reason, 'the names changed');

    const d = await ensureLeaf(devCa, certificateNames(['other.test']), {
      now: new Date(Date.now() + 22 * DAY),
    });
    assert.equal(d.issued, true);
    assert.match(d.reason ?? '', /expires in \d+ days/);

    // the saved leaf verifies against the CA for its names, over real TLS on loopback
    assert.equal(await verifies(d.certPem, d.keyPem, devCa.certPem, 'localhost', '127.0.0.1'), true);
    assert.equal(await verifies(d.certPem, d.keyPem, devCa.certPem, '127.0.0.1', '127.0.0.1'), true);
    assert.equal(await verifies(d.certPem, d.keyPem, devCa.certPem, '::1', '::1'), true);
    assert.equal(await verifies(d.certPem, d.keyPem, devCa.certPem, 'other.test', '127.0.0.1'), true);
    assert.equal(await verifies(d.certPem, d.keyPem, devCa.certPem, 'myapp.test', '127.0.0.1'), false);
    assert.ok(existsSync(devCa.files.leafCert));
  } finally {
    t.cleanup();
  }
});

test('a leaf that cannot be saved is still served, with a note', async () => {
  const t = tempDir('ro');
  try {
    const devCa = await ensureDevCa(t.dir);
    // the leaf paths are directories: writing them fails for any user
    const { mkdirSync } = await import('node:fs');
    mkdirSync(devCa.files.leafKey);
    mkdirSync(devCa.files.leafCert);
    const leaf = await ensureLeaf(devCa, certificateNames([]));
    assert.equal(leaf.issued, true);
    assert.match(leaf.saveError ?? '', /could not save the certificate .* it is used for this run only/);
  } finally {
    t.cleanup();
  }
});
