import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import tls from 'node:tls';
import { once } from 'node:events';
import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createCa, loadCa, LOCAL_NAME_CONSTRAINTS } from '../../src/tls/ca.js';

async function serveAndConnect(
  certPem: string,
  keyPem: string,
  caPem: string,
  servername: string,
  host = '127.0.0.1',
) {
  const server = https.createServer({ cert: certPem, key: keyPem }, (_req, res) => res.end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  try {
    return await new Promise<{ authorized: boolean; error?: string }>((resolve) => {
      const s = tls.connect(
        {
          host,
          port,
          ca: caPem,
          servername: servername.match(/^[\d.]+$/) ? undefined : servername,
          rejectUnauthorized: false,
        },
        () => {
          const err = s.authorizationError ? String(s.authorizationError) : undefined;
          const identity = tls.checkServerIdentity(servername, s.getPeerCertificate());
          resolve({ authorized: s.authorized && !identity, error: err ?? identity?.message });
          s.end();
        },
      );
      s.on('error', (e) => resolve({ authorized: false, error: e.message }));
    });
  } finally {
    server.close();
  }
}

test('a leaf issued by the CA verifies for localhost and 127.0.0.1 against the CA only', async () => {
  const ca = await createCa();
  const leaf = await ca.issue(['localhost', '127.0.0.1', '::1']);
  assert.deepEqual(await serveAndConnect(leaf.certPem, leaf.keyPem, ca.certPem, 'localhost'), {
    authorized: true,
    error: undefined,
  });
  assert.equal((await serveAndConnect(leaf.certPem, leaf.keyPem, ca.certPem, '127.0.0.1')).authorized, true);
  const other = await createCa();
  const r = await serveAndConnect(leaf.certPem, leaf.keyPem, other.certPem, 'localhost');
  assert.equal(r.authorized, false);
  assert.match(r.error ?? '', /UNABLE_TO_VERIFY|self.signed|unable to verify/i);
});

test('the CA certificate carries basic constraints and, when asked, critical name constraints', async () => {
  const ca = await createCa({ nameConstraints: LOCAL_NAME_CONSTRAINTS });
  const cert = new X509Certificate(ca.certPem);
  assert.equal(cert.ca, true);
  assert.match(cert.toString(), /BEGIN CERTIFICATE/);
  const leaf = await ca.issue(['localhost', 'app.localhost', '127.0.0.1']);
  assert.equal(new X509Certificate(leaf.certPem).checkIssued(cert), true);
  assert.equal(
    (await serveAndConnect(leaf.certPem, leaf.keyPem, ca.certPem, 'app.localhost')).authorized,
    true,
  );
  // a name outside the constraints is refused by OpenSSL's chain verification (openssl verify says
  // 'permitted subtree violation'; Node surfaces OpenSSL's error as UNSPECIFIED)
  const bad = await ca.issue(['example.com']);
  const r = await serveAndConnect(bad.certPem, bad.keyPem, ca.certPem, 'example.com');
  assert.equal(r.authorized, false);
  assert.match(r.error ?? '', /PERMITTED_VIOLATION|UNSPECIFIED|permitted/i);
});

test('a CA reloaded from PEM issues certificates that chain to the same root', async () => {
  const ca = await createCa();
  const again = await loadCa(ca.certPem, ca.keyPem);
  const leaf = await again.issue(['localhost'], { days: 2 });
  assert.equal(new X509Certificate(leaf.certPem).checkIssued(new X509Certificate(ca.certPem)), true);
  assert.ok(leaf.notAfter.getTime() - Date.now() < 3 * 86400_000);
});
