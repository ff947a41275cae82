/**
 * One clear line for every way a live request can fail: TLS verification, refused or reset
 * connections, timeouts, oversized headers, answers that are not HTTP. Errors from undici and Node
 * carry a `code` (sometimes on a `cause`); the message is built from the code, never a stack.
 */

/**
 * Certificate verification failures, by the code Node gives them (OpenSSL X509_V_ERR_* names, see
 * Node's src/crypto/crypto_common.cc `X509ErrorCode`; the hostname check is `ERR_TLS_CERT_ALTNAME_INVALID`
 * from lib/tls.js `checkServerIdentity`).
 */
const TLS_VERIFY: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends at a CA that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'the issuer is not trusted (or the server does not send its intermediate certificates)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer is not among the trusted CAs',
  UNABLE_TO_GET_ISSUER_CERT: 'the issuer certificate cannot be found',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not name this host',
  HOSTNAME_MISMATCH: 'the certificate does not name this host',
  IP_ADDRESS_MISMATCH: 'the certificate does not name this IP address',
  CERT_SIGNATURE_FAILURE: 'the certificate signature is invalid',
  CERT_REVOKED: 'the certificate is revoked',
  CERT_UNTRUSTED: 'the certificate is not trusted',
  CERT_REJECTED: 'the certificate is rejected',
  INVALID_CA: 'an issuer in the chain is not a valid CA',
  INVALID_PURPOSE: 'the certificate is not for TLS servers',
  PATH_LENGTH_EXCEEDED: 'the chain is longer than its CA allows',
  CERT_CHAIN_TOO_LONG: 'the certificate chain is too long',
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: 'the certificate signature cannot be decrypted',
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: 'the issuer public key cannot be decoded',
  ERROR_IN_CERT_NOT_BEFORE_FIELD: 'the certificate validity dates are malformed',
  ERROR_IN_CERT_NOT_AFTER_FIELD: 'the certificate validity dates are malformed',
  EE_KEY_TOO_SMALL: 'the certificate key is too small',
  CA_KEY_TOO_SMALL: 'the CA key is too small',
  CA_MD_TOO_WEAK: 'the certificate is signed with a weak digest',
};

/** True when `code` is a certificate verification failure (as opposed to a network or protocol error). */
export function isTlsVerifyCode(code: string | undefined): boolean {
  return code !== undefined && Object.hasOwn(TLS_VERIFY, code);
}

/** "self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)" */
export function describeTlsCode(code: string): string {
  return `${TLS_VERIFY[code] ?? 'the certificate cannot be verified'} (${code})`;
}

export interface DescribeContext {
  timeoutMs: number;
  maxHeaderBytes: number;
  /** host:port, for "connection refused by 127.0.0.1:8443". */
  hostPort: string;
}

interface CodedError {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The innermost error with a code (undici and fetch wrap socket errors in `cause`). */
function codeOf(err: unknown): { code: string | undefined; name: string | undefined; message: string } {
  let e = err as CodedError | undefined;
  let first: { code: string | undefined; name: string | undefined; message: string } | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    const name = typeof e.name === 'string' ? e.name : undefined;
    const message = typeof e.message === 'string' ? e.message : String(e);
    first ??= { code, name, message };
    if (code) return { code, name, message };
    e = e.cause as CodedError | undefined;
  }
  return first ?? { code: undefined, name: undefined, message: String(err) };
}

/** The code Node/undici gave this error, if any. */
export function errorCode(err: unknown): string | undefined {
  return codeOf(err).code;
}

function firstLine(s: string): string {
  const line = s.split(/\r?\n/, 1)[0]!.trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** One line saying why a request failed, e.g. "connection refused by 127.0.0.1:80". */
export function describeError(err: unknown, ctx: DescribeContext): string {
  const { code, name, message } = codeOf(err);
  const t = ctx.timeoutMs;
  if (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    code === 'UND_ERR_ABORTED' ||
    code === 'ABORT_ERR'
  ) {
    return `no complete response within ${t} ms`;
  }
  if (code && isTlsVerifyCode(code)) return `TLS certificate not trusted: ${describeTlsCode(code)}`;
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused by ${ctx.hostPort}`;
    case 'ECONNRESET':
      return `connection reset by ${ctx.hostPort}`;
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return `${ctx.hostPort} closed the connection before a complete response`;
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return `no connection to ${ctx.hostPort} within ${t} ms`;
    case 'UND_ERR_HEADERS_TIMEOUT':
      return `no complete response headers within ${t} ms`;
    case 'UND_ERR_BODY_TIMEOUT':
      return `response body stalled for ${t} ms`;
    case 'UND_ERR_HEADERS_OVERFLOW':
    case 'HPE_HEADER_OVERFLOW':
      return `response headers larger than ${ctx.maxHeaderBytes} bytes`;
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return 'response body shorter or longer than its Content-Length';
    case 'ENOTFOUND':
      return `host not found: ${ctx.hostPort.replace(/:\d+$/, '')}`;
    case 'EAI_AGAIN':
      return `DNS lookup failed for ${ctx.hostPort.replace(/:\d+$/, '')} (temporary failure)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${ctx.hostPort} is unreachable`;
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
    case 'ERR_SSL_HTTP_REQUEST':
      return `${ctx.hostPort} did not answer with TLS (plain HTTP on an HTTPS port?)`;
    case 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION':
    case 'ERR_SSL_UNSUPPORTED_PROTOCOL':
      return `TLS handshake with ${ctx.hostPort} failed: no common protocol version`;
    case 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE':
      return `TLS handshake with ${ctx.hostPort} failed`;
    case 'ERR_TLS_CERT_ALTNAME_FORMAT':
      return 'TLS certificate has malformed subject alternative names';
  }
  if (code?.startsWith('HPE_') || name === 'HTTPParserError') {
    // undici's HTTPParserError carries llhttp's reason in its message: "... (Expected HTTP/, ...)".
    const reason = /\(([^()]*)\)\s*$/.exec(message)?.[1] ?? code ?? 'parse error';
    return `the answer of ${ctx.hostPort} is not valid HTTP/1.1 (${firstLine(reason)})`;
  }
  if (code?.startsWith('ERR_SSL_')) return `TLS handshake with ${ctx.hostPort} failed (${code})`;
  if (code === 'EPROTO') return `TLS handshake with ${ctx.hostPort} failed: ${firstLine(message)}`;
  return code ? `${firstLine(message)} (${code})` : firstLine(message);
}
