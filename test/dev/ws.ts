/**
 * A minimal WebSocket (RFC 6455) for tests: the opening handshake's accept value (§4.2.2) and text
 * frames (§5.2; clients mask, servers do not). Enough to prove that frames cross the proxy both ways.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function acceptFor(key: string): string {
  return createHash('sha1')
    .update(key + GUID)
    .digest('base64');
}

export function newKey(): string {
  return randomBytes(16).toString('base64');
}

/** One FIN text frame; masked when sent by a client. */
export function encodeFrame(text: string, masked: boolean): Buffer {
  const payload = Buffer.from(text);
  const len = payload.length;
  const head: number[] = [0x81];
  const maskBit = masked ? 0x80 : 0;
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) head.push(maskBit | 126, len >> 8, len & 255);
  else throw new Error('test frames stay under 64 KiB');
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const mask = randomBytes(4);
  const body = Buffer.alloc(len);
  for (let i = 0; i < len; i++) body[i] = payload[i]! ^ mask[i % 4]!;
  return Buffer.concat([Buffer.from(head), mask, body]);
}

/** Decodes one complete frame at the start of `buf`, or null when more bytes are needed. */
export function decodeFrame(buf: Buffer): { text: string; size: number } | null {
  if (buf.length < 2) return null;
  const masked = (buf[1]! & 0x80) !== 0;
  let len = buf[1]! & 0x7f;
  let off = 2;
  if (len === 126) {
    if (buf.length < 4) return null;
    len = buf.readUInt16BE(2);
    off = 4;
  } else if (len === 127) throw new Error('test frames stay under 64 KiB');
  const maskOff = off;
  if (masked) off += 4;
  if (buf.length < off + len) return null;
  const payload = Buffer.from(buf.subarray(off, off + len));
  if (masked) for (let i = 0; i < len; i++) payload[i] = payload[i]! ^ buf[maskOff + (i % 4)]!;
  return { text: payload.toString(), size: off + len };
}

/** Reads the next frame from a socket (bounded). `pending` holds bytes already received. */
export function readFrame(
  socket: Duplex,
  pending: Buffer = Buffer.alloc(0),
  timeoutMs = 10_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = pending;
    const done = () => {
      clearTimeout(t);
      socket.off('data', onData);
      socket.off('close', onClose);
    };
    const tryDecode = () => {
      const f = decodeFrame(buf);
      if (f) {
        done();
        resolve(f.text);
        return true;
      }
      return false;
    };
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      tryDecode();
    };
    const onClose = () => {
      done();
      reject(new Error('socket closed before a frame arrived'));
    };
    const t = setTimeout(() => {
      done();
      reject(new Error('no frame within the time bound'));
    }, timeoutMs);
    if (tryDecode()) return;
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}

/** Server side for tests: echo every frame back, upper-cased, until the socket closes. */
export function echoServer(socket: Duplex, head: Buffer): void {
  let buf = head;
  socket.on('error', () => undefined);
  const drain = () => {
    for (;;) {
      const f = decodeFrame(buf);
      if (!f) return;
      buf = buf.subarray(f.size);
      socket.write(encodeFrame(f.text.toUpperCase(), false));
    }
  };
  socket.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    drain();
  });
  // HTTP servers accept half-open sockets: close ours when the other side has ended.
  socket.on('end', () => socket.end());
  drain();
}
