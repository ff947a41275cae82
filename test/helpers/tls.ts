/**
 * Test certificates made on the fly: a CA and leaf certificates it signs, made by the project's own
 * CA code (src/tls/ca.ts: @peculiar/x509 over WebCrypto, ECDSA P-256). Nothing here touches the system trust store.
 *
 *   const ca = await makeTestCa();
 *   const leaf = await ca.issue(['localhost', '127.0.0.1', '::1']);
 *   https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, ...)
 *   // clients trust ca.caPem (or the file at ca.caFile, for --ca)
 */
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa } from '../../src/tls/ca.js';

export interface IssuedCert {
  certPem: string;
  keyPem: string;
  /** Leaf followed by the CA certificate, for servers that should send the chain. */
  chainPem: string;
}

export interface TestCa {
  caPem: string;
  caKeyPem: string;
  /** caPem written to a temporary file (for --ca FILE / NODE_EXTRA_CA_CERTS). */
  caFile: string;
  /** Issue a server certificate for these DNS names and IP addresses (valid for 7 days). */
  issue(names: string[]): Promise<IssuedCert>;
  /** Remove the temporary directory holding caFile. */
  cleanup(): void;
}

/** A CA for one test (src/tls/ca.ts, unconstrained), with its certificate written to a temp file. */
export async function makeTestCa(label = 'cookieguard test CA'): Promise<TestCa> {
  const ca = await createCa({ commonName: label.replace(/[,=+<>#;\\"]/g, ' '), days: 30 });
  const dir = mkdtempSync(join(tmpdir(), 'cookieguard-ca-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca.certPem);
  return {
    caPem: ca.certPem,
    caKeyPem: ca.keyPem,
    caFile,
    async issue(names) {
      const leaf = await ca.issue(names, { days: 7 });
      return { certPem: leaf.certPem, keyPem: leaf.keyPem, chainPem: `${leaf.certPem}${ca.certPem}` };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The usual loopback names: localhost, 127.0.0.1 and ::1. */
export const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
