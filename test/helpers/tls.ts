/**
 * Test certificates made on the fly: a CA and leaf certificates it signs, with @peculiar/x509 over
 * Node's WebCrypto (ECDSA P-256, quick to generate). Nothing here touches the system trust store.
 *
 *   const ca = await makeTestCa();
 *   const leaf = await ca.issue(['localhost', '127.0.0.1', '::1']);
 *   https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, ...)
 *   // clients trust ca.caPem (or the file at ca.caFile, for --ca)
 */
import { webcrypto } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isIP } from 'node:net';
import 'reflect-metadata'; // @peculiar/x509 (tsyringe) needs a Reflect polyfill, loaded first
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

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
  /** Issue a server certificate for these DNS names and IP addresses. */
  issue(names: string[], opts?: { notBefore?: Date; notAfter?: Date }): Promise<IssuedCert>;
  /** Remove the temporary directory holding caFile. */
  cleanup(): void;
}

async function keyToPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key as unknown as webcrypto.CryptoKey);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function serial(): string {
  // Positive 16-byte serial (first byte < 0x80).
  const b = webcrypto.getRandomValues(new Uint8Array(16));
  b[0] = b[0]! & 0x7f;
  return Buffer.from(b).toString('hex');
}

function sanFor(names: string[]): x509.SubjectAlternativeNameExtension {
  return new x509.SubjectAlternativeNameExtension(
    names.map((n) => (isIP(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n })),
  );
}

/** A CA valid from one hour ago for 30 days, named `label` (default "cookieguard test CA"). */
export async function makeTestCa(label = 'cookieguard test CA'): Promise<TestCa> {
  const now = Date.now();
  const caKeys = (await webcrypto.subtle.generateKey(EC, true, [
    'sign',
    'verify',
  ])) as unknown as CryptoKeyPair;
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${label.replace(/[,=+<>#;\\"]/g, ' ')}`,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 30 * 86400_000),
    signingAlgorithm: SIGN,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const caPem = caCert.toString('pem');
  const caKeyPem = await keyToPem(caKeys.privateKey);
  const dir = mkdtempSync(join(tmpdir(), 'cookieguard-ca-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, caPem);

  return {
    caPem,
    caKeyPem,
    caFile,
    async issue(names, opts = {}) {
      if (names.length === 0) throw new Error('issue(): at least one name is required');
      const keys = (await webcrypto.subtle.generateKey(EC, true, [
        'sign',
        'verify',
      ])) as unknown as CryptoKeyPair;
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: `CN=${names[0]}`,
        issuer: caCert.subject,
        notBefore: opts.notBefore ?? new Date(Date.now() - 3600_000),
        notAfter: opts.notAfter ?? new Date(Date.now() + 7 * 86400_000),
        signingAlgorithm: SIGN,
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          sanFor(names),
          await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
          await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
        ],
      });
      const certPem = cert.toString('pem');
      return { certPem, keyPem: await keyToPem(keys.privateKey), chainPem: `${certPem}\n${caPem}\n` };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The usual loopback names: localhost, 127.0.0.1 and ::1. */
export const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
