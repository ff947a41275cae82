/**
 * A small certificate authority for loopback HTTPS: the demo, `cookieguard dev` and tests.
 *
 * Built on Node's WebCrypto and @peculiar/x509 (no binaries, no downloads). Keys are ECDSA P-256.
 * The CA can carry an X.509 Name Constraints extension (RFC 5280 4.2.1.10) that limits it to local
 * names and loopback addresses, so that a leaked CA key cannot mint certificates for real sites.
 */
import 'reflect-metadata';
import { webcrypto, randomBytes, X509Certificate as NodeX509 } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  GeneralName,
  GeneralSubtree,
  GeneralSubtrees,
  NameConstraints,
  id_ce_nameConstraints,
} from '@peculiar/asn1-x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Names a local-development CA is constrained to (RFC 6761 special-use names and loopback). */
export const LOCAL_NAME_CONSTRAINTS = {
  dns: [
    'localhost',
    '.localhost',
    'test',
    '.test',
    'local',
    '.local',
    'internal',
    '.internal',
    'home.arpa',
    '.home.arpa',
  ],
  ip: ['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', 'fe80::/10'],
};

export interface CaOptions {
  commonName?: string;
  /** Validity of the CA certificate in days (default 3650). */
  days?: number;
  /** Permitted subtrees; omit for an unconstrained CA (tests). */
  nameConstraints?: { dns: string[]; ip: string[] };
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  notAfter: Date;
}

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
  /** Issue a server certificate for DNS names and IP addresses (default lifetime 30 days). */
  issue(names: string[], opts?: { days?: number; commonName?: string }): Promise<IssuedCertificate>;
}

function serial(): string {
  const b = randomBytes(16);
  b[0] &= 0x7f; // positive
  return b.toString('hex');
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

function nameConstraintsExtension(c: { dns: string[]; ip: string[] }): x509.Extension {
  const subtrees = [
    ...c.dns.map((d) => new GeneralSubtree({ base: new GeneralName({ dNSName: d }) })),
    ...c.ip.map((ip) => new GeneralSubtree({ base: new GeneralName({ iPAddress: ip }) })),
  ];
  const value = AsnConvert.serialize(
    new NameConstraints({ permittedSubtrees: new GeneralSubtrees(subtrees) }),
  );
  return new x509.Extension(id_ce_nameConstraints, true, value);
}

function sanEntries(names: string[]): x509.JsonGeneralName[] {
  return names.map((n) => {
    const bare = n.replace(/^\[|\]$/g, '');
    return isIP(bare) ? { type: 'ip' as const, value: bare } : { type: 'dns' as const, value: n };
  });
}

async function keysToPem(keys: CryptoKeyPair): Promise<string> {
  return pem(
    'PRIVATE KEY',
    await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as webcrypto.CryptoKey),
  );
}

async function build(
  cert: x509.X509Certificate,
  keys: CryptoKeyPair,
  keyPem: string,
): Promise<CertificateAuthority> {
  return {
    certPem: cert.toString('pem') + '\n',
    keyPem,
    async issue(names, opts = {}) {
      if (names.length === 0) throw new Error('a certificate needs at least one name');
      const leafKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
      const now = Date.now();
      const notAfter = new Date(now + (opts.days ?? 30) * DAY_MS);
      const leaf = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: `CN=${opts.commonName ?? names[0]}`,
        issuer: cert.subject,
        notBefore: new Date(now - 60 * 60 * 1000), // an hour of clock skew
        notAfter,
        signingAlgorithm: ALG,
        publicKey: leafKeys.publicKey,
        signingKey: keys.privateKey,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
          new x509.SubjectAlternativeNameExtension(sanEntries(names), false),
          await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
          await x509.AuthorityKeyIdentifierExtension.create(cert),
        ],
      });
      return { certPem: leaf.toString('pem') + '\n', keyPem: await keysToPem(leafKeys), notAfter };
    },
  };
}

/** Create a new CA (key and self-signed certificate). */
export async function createCa(opts: CaOptions = {}): Promise<CertificateAuthority> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, 0, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (opts.nameConstraints) extensions.push(nameConstraintsExtension(opts.nameConstraints));
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${opts.commonName ?? 'cookieguard local CA'}, O=cookieguard`,
    notBefore: new Date(now - 60 * 60 * 1000),
    notAfter: new Date(now + (opts.days ?? 3650) * DAY_MS),
    signingAlgorithm: ALG,
    keys,
    extensions,
  });
  return build(cert, keys, await keysToPem(keys));
}

/** Load a CA from its PEM certificate and PKCS#8 PEM key. */
export async function loadCa(certPem: string, keyPem: string): Promise<CertificateAuthority> {
  const cert = new x509.X509Certificate(certPem);
  const der = Buffer.from(keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign']);
  return build(
    cert,
    { privateKey, publicKey: await cert.publicKey.export(ALG, ['verify']) } as CryptoKeyPair,
    keyPem,
  );
}

/** Expiry of a PEM certificate (Node's parser). */
export function certificateNotAfter(certPem: string): Date {
  return new Date(new NodeX509(certPem).validTo);
}
