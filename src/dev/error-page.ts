/**
 * The page the proxy answers with (502 Bad Gateway) while the app is down or restarting.
 * GET pages reload themselves every two seconds, so the browser shows the app as soon as it is back;
 * other methods do not (a reload would not repeat a form post, it would GET the URL).
 */
import { escapeHtml } from '../report/escape.js';

/** Why the app did not answer, in words, from a Node network error. */
export function upstreamErrorText(err: NodeJS.ErrnoException | undefined): string {
  switch (err?.code) {
    case 'ECONNREFUSED':
      return 'is not accepting connections (connection refused): it is stopped, or restarting';
    case 'ECONNRESET':
      return 'closed the connection without answering';
    case 'EPIPE':
      return 'closed the connection while the request was being sent';
    case 'ETIMEDOUT':
    case 'CONNECT_TIMEOUT':
      return 'did not accept the connection in time';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'has a host name that cannot be resolved';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'is on a host that cannot be reached';
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_INVALID_STATUS':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return 'sent a response that is not valid HTTP/1.1 (is it an HTTPS or HTTP/2-only server?)';
    case 'BAD_RESPONSE_HEADER':
      return 'sent a response header that cannot be forwarded';
    default:
      return `did not answer (${err?.code ?? err?.message ?? 'unknown error'})`;
  }
}

export function badGatewayPage(target: string, reason: string, reload: boolean): string {
  const t = escapeHtml(target);
  const r = escapeHtml(reason);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>502 · the app at ${t} is not answering</title>
${reload ? '<meta http-equiv="refresh" content="2">\n' : ''}<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em;color:#222}code{background:#f2f2f2;padding:0 .25em}</style>
</head>
<body>
<h1>The app is not answering</h1>
<p><code>cookieguard dev</code> is running, but the app at <code>${t}</code> ${r}.</p>
<p>If it is restarting, ${reload ? 'this page reloads every two seconds and shows the app once it is back' : 'send the request again once it is back'}. Otherwise start it, or check <code>--target</code>.</p>
</body>
</html>
`;
}
