// A WebSocket conformance client in the manner of the Autobahn|Testsuite "fuzzingclient", graded strictly by
// RFC 6455 and RFC 7692. Node's standard library only: raw TCP (node:net), our own frame writer and reader,
// node:zlib for permessage-deflate. The zones under test must echo exactly (text as text, binary as binary).
//
// Usage: node conformance.mjs <base-url> <zone-path> [--deflate <zone-path>] [--label <name>]
//                             [--only <case-id-prefix>[,...]] [--deadline <seconds>] [--list]
//   e.g. node conformance.mjs http://localhost:8080 /conf-worker --deflate /conf-deflate --label worker
// Prints "ok - <case> <label> <title>" or "not ok - <case> <label> <title>: <reason>" per case, then
// "N passed, N failed"; exits 1 on any failure. docs/conformance.md describes the case families.
import net from 'node:net';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';

// ------------------------------------------------------------------------------------------------ arguments

function parseArgs(argv) {
  const o = { positional: [], only: [], label: '', deflate: null, deadline: 240, list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--deflate') o.deflate = argv[++i];
    else if (a === '--label') o.label = argv[++i];
    else if (a === '--only') o.only.push(...argv[++i].split(',').filter(Boolean));
    else if (a === '--deadline') o.deadline = Number(argv[++i]);
    else if (a === '--list') o.list = true;
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else o.positional.push(a);
  }
  if (o.positional.length !== 2 && !o.list) usage('a base URL and a zone path are required');
  return o;
}

function usage(why) {
  console.error(`${why}\nUsage: node conformance.mjs <base-url> <zone-path> [--deflate <zone-path>] [--label <name>] ` +
      '[--only <case-id-prefix>[,...]] [--deadline <seconds>] [--list]');
  process.exit(2);
}

const ARGS = parseArgs(process.argv.slice(2));
const BASE = new URL(ARGS.positional[0] ?? 'http://localhost:8080');
const HOST = BASE.hostname;
const PORT = Number(BASE.port || 80);
const ZONE = ARGS.positional[1] ?? '/conf-worker';
const LABEL = ARGS.label ? `${ARGS.label} ` : '';

// ------------------------------------------------------------------------------------------------ frames

const OP = { CONT: 0x0, TEXT: 0x1, BINARY: 0x2, CLOSE: 0x8, PING: 0x9, PONG: 0xa };
const OP_NAMES = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong' };
// RSV bits as a 3-bit number, as Autobahn writes them: 4 = RSV1, 2 = RSV2, 1 = RSV3.
const RSV1 = 4;
const EMPTY = Buffer.alloc(0);
const TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);
const Z = zlib.constants;

const buf = (x) => (Buffer.isBuffer(x) ? x : typeof x === 'string' ? Buffer.from(x, 'utf8') : Buffer.from(x));
const hex = (s) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const opName = (op) => OP_NAMES[op] ?? `reserved opcode ${op}`;

/** One client frame, masked (as RFC 6455 5.3 requires of clients) unless told otherwise. */
function frame(opcode, payload = EMPTY, { fin = true, rsv = 0, mask = true, length } = {}) {
  const data = buf(payload);
  const len = length ?? data.length; // a header may announce more than is written (oversized-frame cases)
  const extra = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const out = Buffer.allocUnsafe(2 + extra + (mask ? 4 : 0) + data.length);
  out[0] = (fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0xf);
  let o = 2;
  if (extra === 0) out[1] = len;
  else if (extra === 2) { out[1] = 126; out.writeUInt16BE(len, 2); o = 4; }
  else { out[1] = 127; out.writeBigUInt64BE(BigInt(len), 2); o = 10; }
  if (mask) {
    out[1] |= 0x80;
    const key = crypto.randomBytes(4);
    key.copy(out, o);
    o += 4;
    for (let i = 0; i < data.length; i++) out[o + i] = data[i] ^ key[i & 3];
  } else {
    data.copy(out, o);
  }
  return out;
}

/** A message as frames of at most `size` payload bytes; `rsv` goes on the first frame only. */
function fragments(opcode, payload, size, { rsv = 0 } = {}) {
  const data = buf(payload);
  if (data.length <= size) return [frame(opcode, data, { rsv })];
  const out = [];
  for (let at = 0; at < data.length; at += size) {
    const last = at + size >= data.length;
    out.push(frame(at === 0 ? opcode : OP.CONT, data.subarray(at, at + size), { fin: last, rsv: at === 0 ? rsv : 0 }));
  }
  return out;
}

function closePayload(code, reason = '') {
  if (code === null || code === undefined) return EMPTY;
  const r = buf(reason);
  const out = Buffer.allocUnsafe(2 + r.length);
  out.writeUInt16BE(code, 0);
  r.copy(out, 2);
  return out;
}

/** Codes an endpoint may put in a close frame: RFC 6455 7.4.1/7.4.2 and IANA's registry (1012-1014). */
const sendableCode = (c) => (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1014) || (c >= 3000 && c <= 4999);

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
function isUtf8(b) {
  try {
    utf8Decoder.decode(b);
    return true;
  } catch {
    return false;
  }
}

const lastBytes = (b, n) => (b.length <= n ? b : b.subarray(b.length - n));

/** Reads server frames from TCP chunks without quadratic copying (16 MiB echoes arrive in many chunks). */
class FrameReader {
  constructor(onFrame) {
    this.onFrame = onFrame;
    this.chunks = [];
    this.size = 0;
    this.stage = 0;
    this.f = null;
  }

  push(chunk) {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    this.drain();
  }

  take(n) {
    if (n === 0) return EMPTY;
    const first = this.chunks[0];
    if (first.length >= n) {
      this.size -= n;
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let o = 0;
    while (o < n) {
      const c = this.chunks[0];
      const k = Math.min(c.length, n - o);
      c.copy(out, o, 0, k);
      o += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.size -= n;
    return out;
  }

  drain() {
    for (;;) {
      if (this.stage === 0) {
        if (this.size < 2) return;
        const b = this.take(2);
        const len = b[1] & 0x7f;
        this.f = { fin: (b[0] & 0x80) !== 0, rsv: (b[0] >> 4) & 7, opcode: b[0] & 0xf, masked: (b[1] & 0x80) !== 0, len };
        this.stage = len === 126 ? 1 : len === 127 ? 2 : 3;
      } else if (this.stage === 1) {
        if (this.size < 2) return;
        this.f.len = this.take(2).readUInt16BE(0);
        this.stage = 3;
      } else if (this.stage === 2) {
        if (this.size < 8) return;
        this.f.len = Number(this.take(8).readBigUInt64BE(0));
        this.stage = 3;
      } else if (this.stage === 3) {
        if (this.f.masked) {
          if (this.size < 4) return;
          this.f.key = Buffer.from(this.take(4));
        }
        this.stage = 4;
      } else {
        if (this.size < this.f.len) return;
        let payload = this.take(this.f.len);
        if (this.f.masked) {
          payload = Buffer.from(payload);
          for (let i = 0; i < payload.length; i++) payload[i] ^= this.f.key[i & 3];
        }
        const f = this.f;
        this.f = null;
        this.stage = 0;
        this.onFrame(f, payload);
      }
    }
  }
}

// ------------------------------------------------------------------------------------------------ permessage-deflate

/** Parses a Sec-WebSocket-Extensions value: [{name, params: [[name, value|null], ...]}]. */
function parseExtensions(value) {
  const out = [];
  for (const element of splitOutsideQuotes(value, ',')) {
    const parts = splitOutsideQuotes(element, ';').map((s) => s.trim());
    if (!parts[0]) continue;
    const params = parts.slice(1).map((p) => {
      const eq = p.indexOf('=');
      if (eq < 0) return [p.toLowerCase(), null];
      let v = p.slice(eq + 1).trim();
      if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
      return [p.slice(0, eq).trim().toLowerCase(), v];
    });
    out.push({ name: parts[0].toLowerCase(), params });
  }
  return out;
}

function splitOutsideQuotes(s, sep) {
  const out = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '"') quoted = !quoted;
    else if (s[i] === sep && !quoted) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

const PMD_PARAMS = ['server_no_context_takeover', 'client_no_context_takeover', 'server_max_window_bits', 'client_max_window_bits'];
const windowBits = (v) => (v !== null && /^[1-9][0-9]?$/.test(v) && Number(v) >= 8 && Number(v) <= 15 ? Number(v) : null);

/** An offer as the server must read it (RFC 7692 7): null when the server must decline it. */
function readOffer(element) {
  if (element.name !== 'permessage-deflate') return null;
  const seen = new Map();
  for (const [name, value] of element.params) {
    if (!PMD_PARAMS.includes(name) || seen.has(name)) return null;
    if (name.endsWith('no_context_takeover') && value !== null) return null;
    if (name === 'server_max_window_bits' && windowBits(value) === null) return null;
    if (name === 'client_max_window_bits' && value !== null && windowBits(value) === null) return null;
    seen.set(name, value);
  }
  return seen;
}

/**
 * Checks a server's Sec-WebSocket-Extensions answer against our offers (RFC 7692 5, 7.1): returns the
 * agreed parameters, null when declined, or throws with what is wrong.
 */
function agreeDeflate(offerHeader, answer) {
  if (answer === undefined) return null;
  const elements = parseExtensions(answer);
  if (elements.length === 0) return null;
  const offered = offerHeader ? parseExtensions(offerHeader) : [];
  const names = new Set(offered.map((e) => e.name));
  for (const e of elements) {
    if (!names.has(e.name)) throw new Error(`the server answered with the extension "${e.name}", which was not offered`);
  }
  if (elements.length > 1) throw new Error(`the server answered with ${elements.length} extensions: "${answer}"`);
  if (elements[0].name !== 'permessage-deflate') throw new Error(`the server accepted "${elements[0].name}", which no one implements`);
  const r = new Map();
  for (const [name, value] of elements[0].params) {
    if (!PMD_PARAMS.includes(name)) throw new Error(`unknown parameter "${name}" in the answer "${answer}"`);
    if (r.has(name)) throw new Error(`parameter "${name}" twice in the answer "${answer}"`);
    if (name.endsWith('no_context_takeover') && value !== null) throw new Error(`"${name}" with a value in "${answer}"`);
    if (name.endsWith('max_window_bits') && windowBits(value) === null) {
      throw new Error(`"${name}" needs a value of 8 to 15 in an answer: "${answer}"`);
    }
    r.set(name, value);
  }
  // The answer must accept one of the offers the server could accept.
  const problems = [];
  for (const offer of offered.map(readOffer)) {
    if (!offer) continue;
    const why = answerProblem(offer, r);
    if (!why) {
      return {
        answer,
        serverNoContextTakeover: r.has('server_no_context_takeover'),
        clientNoContextTakeover: r.has('client_no_context_takeover') || offer.has('client_no_context_takeover'),
        serverMaxWindowBits: r.has('server_max_window_bits') ? Number(r.get('server_max_window_bits')) : 15,
        clientMaxWindowBits: Math.min(r.has('client_max_window_bits') ? Number(r.get('client_max_window_bits')) : 15,
            windowBits(offer.get('client_max_window_bits') ?? null) ?? 15),
      };
    }
    problems.push(why);
  }
  throw new Error(`the answer "${answer}" accepts none of the valid offers in "${offerHeader}"` +
      (problems.length ? ` (${problems.join('; ')})` : ''));
}

function answerProblem(offer, r) {
  if (offer.has('server_no_context_takeover') && !r.has('server_no_context_takeover')) {
    return 'server_no_context_takeover was offered but not answered (RFC 7692 7.1.1.1)';
  }
  if (offer.has('server_max_window_bits')) {
    const asked = Number(offer.get('server_max_window_bits'));
    if (!r.has('server_max_window_bits')) return `server_max_window_bits=${asked} was offered but not answered (7.1.2.1)`;
    if (Number(r.get('server_max_window_bits')) > asked) return `server_max_window_bits above the offered ${asked} (7.1.2.1)`;
  }
  if (r.has('client_max_window_bits')) {
    if (!offer.has('client_max_window_bits')) return 'client_max_window_bits in the answer but not in the offer (7.1.2.2)';
    const hint = offer.get('client_max_window_bits');
    if (hint !== null && Number(r.get('client_max_window_bits')) > Number(hint)) {
      return `client_max_window_bits above the offered ${hint} (7.1.2.2)`;
    }
  }
  return null;
}

// ------------------------------------------------------------------------------------------------ a connection

const events = {
  text: (d) => ({ type: 'text', data: buf(d) }),
  binary: (d) => ({ type: 'binary', data: buf(d) }),
  pong: (d = EMPTY) => ({ type: 'pong', data: buf(d) }),
};
const T = events.text;
const B = events.binary;
const P = events.pong;

function describe(e) {
  if (!e) return 'nothing';
  if (e.type === 'close') return e.code === null ? 'close(no code)' : `close(${e.code}${e.reason ? ` "${e.reason.slice(0, 60)}"` : ''})`;
  if (!e.data) return `${e.type}(undecodable: ${e.error})`;
  const n = e.data.length;
  if (e.type === 'text' && n <= 40) return `text(${n} B "${e.data.toString('utf8')}")`;
  if (n <= 16) return `${e.type}(${n} B 0x${e.data.toString('hex')})`;
  return `${e.type}(${n} B sha1 ${crypto.createHash('sha1').update(e.data).digest('hex').slice(0, 10)})`;
}
const describeAll = (list) => `[${list.map(describe).join(', ')}]`;
const same = (a, b) => a.type === b.type && a.data && b.data && a.data.equals(b.data);
const sameList = (a, b) => a.length === b.length && a.every((e, i) => same(e, b[i]));

class Conn {
  /** Opens a connection and completes the opening handshake (RFC 6455 4.1), checking the server's answer. */
  static open(path, { extensions } = {}) {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: HOST, port: PORT });
      socket.setNoDelay(true);
      const key = crypto.randomBytes(16).toString('base64');
      let head = EMPTY;
      let done = false;
      const fail = (e) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.destroy();
        reject(e);
      };
      const timer = setTimeout(() => fail(new Error(`no handshake answer from ${path} within 5 s`)), 5000);
      const onError = (e) => fail(new Error(`handshake with ${path}: ${e.message}`));
      const onClose = () => fail(new Error(`the connection to ${path} closed during the handshake`));
      socket.on('error', onError);
      socket.on('close', onClose);
      socket.on('connect', () => socket.write(
          `GET ${path} HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n` +
          (extensions ? `Sec-WebSocket-Extensions: ${extensions}\r\n` : '') + '\r\n'));
      const onData = (chunk) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          if (head.length > 65536) fail(new Error('handshake answer headers over 64 KiB'));
          return;
        }
        socket.off('data', onData);
        const lines = head.subarray(0, end).toString('latin1').split('\r\n');
        const status = lines[0];
        const headers = {};
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          const name = line.slice(0, colon).trim().toLowerCase();
          const value = line.slice(colon + 1).trim();
          headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
        }
        if (!/^HTTP\/1\.1 101\b/.test(status)) {
          fail(new Error(`the handshake with ${path} was answered "${status}": ${head.subarray(end + 4, end + 200).toString()}`));
          return;
        }
        const accept = crypto.createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
        const problems = [];
        if ((headers.upgrade ?? '').toLowerCase() !== 'websocket') problems.push(`Upgrade: ${headers.upgrade}`);
        if (!/(^|,)\s*upgrade\s*(,|$)/i.test(headers.connection ?? '')) problems.push(`Connection: ${headers.connection}`);
        if (headers['sec-websocket-accept'] !== accept) problems.push(`Sec-WebSocket-Accept: ${headers['sec-websocket-accept']}`);
        let pmd;
        try {
          pmd = agreeDeflate(extensions, headers['sec-websocket-extensions']);
        } catch (e) {
          problems.push(e.message);
        }
        if (problems.length) {
          fail(new Error(`bad handshake answer from ${path}: ${problems.join('; ')}`));
          return;
        }
        done = true;
        clearTimeout(timer);
        socket.off('error', onError);
        socket.off('close', onClose);
        const conn = new Conn(socket, headers, pmd);
        conn.reader.push(head.subarray(end + 4));
        resolve(conn);
      };
      socket.on('data', onData);
    });
  }

  constructor(socket, headers, pmd) {
    this.socket = socket;
    this.headers = headers;
    this.pmd = pmd; // the agreed permessage-deflate parameters, or null
    this.events = [];
    this.cursor = 0;
    this.wakers = [];
    this.violations = [];
    this.closeEvent = null;
    this.sentClose = false;
    this.clientClosedFirst = false;
    this.ended = false;
    this.msg = null;
    this.inflateWindow = EMPTY;
    this.deflateWindow = EMPTY;
    this.reader = new FrameReader((f, p) => this.onFrame(f, p));
    socket.on('data', (d) => this.reader.push(d));
    socket.on('end', () => this.onEnd());
    socket.on('close', () => this.onEnd());
    socket.on('error', () => this.onEnd()); // resets after the close handshake are the peer's business
  }

  // ---------------------------------------------------------------- writing

  write(...buffers) {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.write(buffers.length === 1 ? buffers[0] : Buffer.concat(buffers));
  }

  /** Writes the bytes in pieces of `size` (Autobahn's "chops"), each its own write. */
  async writeChopped(bytes, size, delayMs = 0) {
    for (let at = 0; at < bytes.length; at += size) {
      this.write(bytes.subarray(at, at + size));
      if (delayMs) await sleep(delayMs);
    }
  }

  /** Writes frames one by one with a short pause between them (Autobahn's sync=True). */
  async writeEach(frames, pauseMs = 5) {
    for (const f of frames) {
      this.write(f);
      await sleep(pauseMs);
    }
  }

  sendClose(code = 1000, reason = '') {
    if (!this.closeEvent) this.clientClosedFirst = true;
    this.sentClose = true;
    this.write(frame(OP.CLOSE, closePayload(code, reason)));
  }

  /** Compresses one message as RFC 7692 7.2.1 says, under the agreed window and context takeover. */
  deflate(data, { final = false } = {}) {
    const p = this.pmd;
    const bits = p.clientMaxWindowBits;
    const takeover = !p.clientNoContextTakeover;
    const options = { finishFlush: final ? Z.Z_FINISH : Z.Z_SYNC_FLUSH, windowBits: Math.max(bits, 9) };
    if (bits === 8) options.strategy = Z.Z_HUFFMAN_ONLY; // zlib cannot limit itself to 256 bytes; no matches at all
    else if (takeover && this.deflateWindow.length) options.dictionary = this.deflateWindow;
    let out = zlib.deflateRawSync(buf(data), options);
    if (final) out = Buffer.concat([out, Buffer.from([0x00])]); // RFC 7692 7.2.3.3
    else if (out.subarray(-4).equals(TAIL)) out = out.subarray(0, out.length - 4);
    else throw new Error('zlib did not end with an empty stored block');
    this.deflateWindow = takeover ? lastBytes(Buffer.concat([this.deflateWindow, buf(data)]), 1 << bits) : EMPTY;
    return out;
  }

  inflate(data) {
    const p = this.pmd;
    const bits = p.serverMaxWindowBits;
    const dictionary = !p.serverNoContextTakeover && this.inflateWindow.length ? this.inflateWindow : undefined;
    // With a small output chunk every back-reference past it is checked against the agreed window, so a
    // server that uses more window than it agreed to fails here ("invalid distance too far back").
    const out = zlib.inflateRawSync(Buffer.concat([data, TAIL]), {
      windowBits: bits, finishFlush: Z.Z_SYNC_FLUSH, dictionary, chunkSize: bits < 15 ? 64 : 64 * 1024,
      maxOutputLength: 64 << 20,
    });
    this.inflateWindow = p.serverNoContextTakeover ? EMPTY : lastBytes(Buffer.concat([this.inflateWindow, out]), 1 << bits);
    return out;
  }

  // ---------------------------------------------------------------- reading

  violation(what) {
    if (this.violations.length < 5) this.violations.push(what);
  }

  push(e) {
    e.at = Date.now();
    this.events.push(e);
    this.wake();
  }

  wake() {
    const w = this.wakers;
    this.wakers = [];
    for (const f of w) f();
  }

  onEnd() {
    if (!this.ended) {
      this.ended = true;
      this.endedAt = Date.now();
    }
    this.wake();
  }

  onFrame(f, payload) {
    if (this.closeEvent) {
      this.violation(`a ${opName(f.opcode)} frame after the server's close frame`);
      return;
    }
    if (f.masked) this.violation('a masked frame from the server (RFC 6455 5.1)');
    const rsv1Allowed = this.pmd && (f.opcode === OP.TEXT || f.opcode === OP.BINARY);
    if ((f.rsv & 3) || ((f.rsv & RSV1) && !rsv1Allowed)) {
      this.violation(`RSV bits ${f.rsv.toString(2).padStart(3, '0')} on a ${opName(f.opcode)} frame from the server`);
    }
    if (f.opcode >= 8 && (!f.fin || payload.length > 125)) this.violation(`a fragmented or oversized ${opName(f.opcode)} frame`);
    switch (f.opcode) {
      case OP.CONT:
        if (!this.msg) {
          this.violation('a continuation frame with no message to continue');
          return;
        }
        this.msg.parts.push(payload);
        this.msg.size += payload.length;
        if (f.fin) this.finishMessage();
        return;
      case OP.TEXT:
      case OP.BINARY:
        if (this.msg) this.violation('a new data frame inside a fragmented message');
        this.msg = { opcode: f.opcode, parts: [payload], size: payload.length, compressed: (f.rsv & RSV1) !== 0 };
        if (f.fin) this.finishMessage();
        return;
      case OP.CLOSE: {
        let code = null;
        let reason = '';
        if (payload.length === 1) this.violation('a close frame with a 1-byte payload');
        if (payload.length >= 2) {
          code = payload.readUInt16BE(0);
          if (!sendableCode(code)) this.violation(`close code ${code}, which no endpoint may send`);
          const r = payload.subarray(2);
          if (!isUtf8(r)) this.violation('a close reason that is not UTF-8');
          reason = r.toString('utf8');
        }
        this.closeEvent = { type: 'close', code, reason };
        this.push(this.closeEvent);
        if (!this.sentClose) {
          this.sentClose = true;
          this.write(frame(OP.CLOSE, closePayload(code)));
        }
        return;
      }
      case OP.PING:
        if (!this.sentClose) this.write(frame(OP.PONG, payload)); // the server's heartbeat: answered, not recorded
        return;
      case OP.PONG:
        this.push({ type: 'pong', data: payload });
        return;
      default:
        this.violation(`a frame with ${opName(f.opcode)}`);
    }
  }

  finishMessage() {
    const m = this.msg;
    this.msg = null;
    const type = m.opcode === OP.TEXT ? 'text' : 'binary';
    let data = m.parts.length === 1 ? m.parts[0] : Buffer.concat(m.parts, m.size);
    if (m.compressed) {
      try {
        data = this.inflate(data);
      } catch (e) {
        this.violation(`a compressed message that does not inflate under the agreed parameters (${e.message})`);
        this.push({ type, data: null, error: e.message });
        return;
      }
    }
    if (type === 'text' && !isUtf8(data)) this.violation('a text message that is not valid UTF-8');
    this.push({ type, data, compressed: m.compressed });
  }

  /** The next event (message, pong or close) within `ms`, or null. */
  async next(ms = 5000) {
    const deadline = Date.now() + ms;
    while (this.cursor >= this.events.length) {
      const left = deadline - Date.now();
      if (this.ended || left <= 0) return null;
      await new Promise((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wakers.push(done);
      });
    }
    return this.events[this.cursor++];
  }

  /** Exactly these events next, in this order. */
  async expect(list, ms = 5000) {
    const got = [];
    for (const want of list) {
      const e = await this.next(ms);
      if (!e) {
        throw new Error(`expected ${describeAll(list)}, got ${describeAll(got)} and then ` +
            (this.ended ? 'the connection ended' : `nothing for ${ms} ms`));
      }
      got.push(e);
      if (!same(e, want)) throw new Error(`expected ${describeAll(list)}, got ${describeAll(got)}`);
    }
  }

  /** A ping with a fresh payload whose pong must be the very next event: nothing else was answered before it. */
  async sync(ms = 5000) {
    const id = crypto.randomBytes(8);
    this.write(frame(OP.PING, id));
    const e = await this.next(ms);
    if (!e || !same(e, P(id))) throw new Error(`expected only the pong of our marker ping, got ${describe(e)}`);
  }

  /**
   * Waits for the server's close frame: the events before it must be `before`, its code one of `codes`
   * (null: no code), and it must come from the endpoint `by` says. Then the server must drop the TCP connection.
   */
  async expectClose(codes, { before = [], within = 5000, by = 'server' } = {}) {
    const got = [];
    let e;
    for (;;) {
      e = await this.next(within);
      if (!e) {
        throw new Error(`expected ${before.length ? `${describeAll(before)} then ` : ''}a close frame ` +
            `${codes.map((c) => c ?? 'without code').join('/')}; got ${describeAll(got)} and then ` +
            (this.ended ? 'the connection ended without a close frame' : `nothing for ${within} ms`));
      }
      if (e.type === 'close') break;
      got.push(e);
    }
    if (!sameList(got, before)) {
      throw new Error(`before the close ${describe(e)}: expected ${describeAll(before)}, got ${describeAll(got)}`);
    }
    if (!codes.includes(e.code)) {
      throw new Error(`closed with ${e.code ?? 'no code'}, expected ${codes.map((c) => c ?? 'no code').join(' or ')}` +
          (e.reason ? ` (reason "${e.reason}")` : ''));
    }
    if (by === 'server' && this.clientClosedFirst) throw new Error('the test closed first; the server should have');
    await this.expectTcpEnd();
    return e;
  }

  /** RFC 6455 7.1.1: after the closing handshake the server closes the TCP connection first. */
  async expectTcpEnd(ms = 5000) {
    const deadline = Date.now() + ms;
    while (!this.ended && Date.now() < deadline) {
      await new Promise((resolve) => {
        const timer = setTimeout(done, Math.max(1, deadline - Date.now()));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wakers.push(done);
      });
    }
    if (!this.ended) throw new Error(`the server did not close the TCP connection within ${ms} ms of the closing handshake`);
  }

  /** Our normal close: the server echoes the code (RFC 6455 5.5.1) and drops the connection. */
  async close(code = 1000, reason = '', { expectCodes = [code] } = {}) {
    this.sendClose(code, reason);
    await this.expectClose(expectCodes, { by: 'client' });
  }

  destroy() {
    this.socket.destroy();
  }
}

// ------------------------------------------------------------------------------------------------ test data

/** A deterministic pseudo-random generator (mulberry32), so every run sends the same bytes. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(n, seed = 1) {
  const r = prng(seed);
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = (r() * 256) | 0;
  return out;
}

/** Cuts UTF-8 to exactly n bytes on a code point boundary, padding with spaces. */
function fitUtf8(b, n) {
  let cut = Math.min(n, b.length);
  while (cut > 0 && cut < b.length && (b[cut] & 0xc0) === 0x80) cut--;
  return Buffer.concat([b.subarray(0, cut), Buffer.alloc(n - cut, 0x20)]);
}

const bigTextCache = new Map();
/** Valid UTF-8 of n bytes with 2-, 3- and 4-byte code points, so fragment boundaries split characters. */
function bigText(n) {
  if (!bigTextCache.has(n)) {
    const unit = Buffer.from('edgesocket κόσμε µ@ßöäüàá € 𝄞 ✓ — ', 'utf8');
    const whole = Buffer.alloc(Math.ceil(n / unit.length) * unit.length);
    for (let at = 0; at < whole.length; at += unit.length) unit.copy(whole, at);
    bigTextCache.set(n, fitUtf8(whole, n));
  }
  return bigTextCache.get(n);
}

const bigBinaryCache = new Map();
function bigBinary(n) {
  if (!bigBinaryCache.has(n)) bigBinaryCache.set(n, crypto.randomBytes(n));
  return bigBinaryCache.get(n);
}

const WORDS = ('edge socket zone script worker loop frame message deflate window context takeover ping pong close ' +
    'fragment continuation payload mask utf-8 κόσμε grüße façade naïve 東京 データ ✓').split(' ');
/** JSON-like text of exactly n bytes, compressible as real traffic is. */
function jsonText(n, seed = 7) {
  const r = prng(seed);
  const parts = [];
  let size = 0;
  for (let id = 1; size < n + 64; id++) {
    const pick = () => WORDS[(r() * WORDS.length) | 0];
    const s = JSON.stringify({ id, name: `${pick()}-${pick()}`, tags: [pick(), pick(), pick()], score: Math.round(r() * 1e6) / 100,
      text: `${pick()} ${pick()} ${pick()} ${pick()}` });
    parts.push(s);
    size += Buffer.byteLength(s) + 2;
  }
  return fitUtf8(Buffer.from(`[${parts.join(',\n')}]`, 'utf8'), n);
}

/** n bytes made of one random block repeated: back-references exactly `block` bytes back. */
function blockRepeat(n, block, seed = 3) {
  const unit = randomBytes(block, seed);
  const out = Buffer.allocUnsafe(n);
  for (let at = 0; at < n; at += block) unit.copy(out, at, 0, Math.min(block, n - at));
  return out;
}

// ------------------------------------------------------------------------------------------------ the cases

const cases = [];
function kase(id, title, fn, { timeout = 20000 } = {}) {
  cases.push({ id, title, fn, timeout });
}

/** One case's connections, closed when it ends. */
class Trial {
  constructor() {
    this.conns = [];
    this.notes = [];
  }

  async open(path = ZONE, options = {}) {
    const c = await Conn.open(path, options);
    this.conns.push(c);
    return c;
  }

  note(text) {
    this.notes.push(text);
  }

  dispose() {
    for (const c of this.conns) c.destroy();
  }
}

/** Send, expect exactly the echo, close normally. */
async function echo(t, message, frames, { ms = 10000, path } = {}) {
  const c = await t.open(path);
  c.write(...frames);
  await c.expect([message], ms);
  await c.close();
}

/** A case whose frames must end in a close with `codes` from the server, after exactly `before`. */
async function failing(t, frames, codes, { before = [], path, write = 'all' } = {}) {
  const c = await t.open(path);
  if (write === 'all') c.write(...frames);
  else if (write === 'each') await c.writeEach(frames);
  else await c.writeChopped(Buffer.concat(frames), 1);
  await c.expectClose(codes, { before });
}

const HELLO = 'Hello, world!';

// ---- 1.x framing: text and binary messages of the boundary lengths of the 7-, 16- and 64-bit length forms
const LENGTHS = [0, 125, 126, 127, 128, 65535, 65536];
LENGTHS.forEach((len, i) => {
  kase(`1.1.${i + 1}`, `text message of ${len} bytes`, (t) => echo(t, T(Buffer.alloc(len, '*')), [frame(OP.TEXT, Buffer.alloc(len, '*'))]));
});
kase('1.1.8', 'text message of 65536 bytes written in TCP chops of 997 bytes', async (t) => {
  const c = await t.open();
  const p = Buffer.alloc(65536, '*');
  await c.writeChopped(frame(OP.TEXT, p), 997);
  await c.expect([T(p)]);
  await c.close();
});
LENGTHS.forEach((len, i) => {
  kase(`1.2.${i + 1}`, `binary message of ${len} bytes`, (t) => echo(t, B(Buffer.alloc(len, 0xfe)), [frame(OP.BINARY, Buffer.alloc(len, 0xfe))]));
});
kase('1.2.8', 'binary message of 65536 bytes written in TCP chops of 997 bytes', async (t) => {
  const c = await t.open();
  const p = Buffer.alloc(65536, 0xfe);
  await c.writeChopped(frame(OP.BINARY, p), 997);
  await c.expect([B(p)]);
  await c.close();
});
// (16 MiB messages, in one frame and in 64 KiB fragments: 9.1.6, 9.2.6, 9.3.e2, 9.4.e2)

// ---- 2.x pings and pongs
const pingEcho = (payload) => async (t) => {
  const c = await t.open();
  c.write(frame(OP.PING, payload));
  await c.expect([P(payload)]);
  await c.close();
};
kase('2.1', 'ping without payload is answered by a pong without payload', pingEcho(EMPTY));
kase('2.2', 'ping with a small text payload', pingEcho(HELLO));
kase('2.3', 'ping with a small binary payload', pingEcho(hex('00 ff fe fd fc fb 00 ff')));
kase('2.4', 'ping with a 125-byte payload is answered in full', pingEcho(Buffer.alloc(125, 0xfe)));
kase('2.5', 'ping with a 126-byte payload fails with 1002', (t) => failing(t, [frame(OP.PING, Buffer.alloc(126, 0xfe))], [1002]));
kase('2.6', 'ping with a 125-byte payload written in 1-byte chops', async (t) => {
  const c = await t.open();
  const p = Buffer.alloc(125, 0xfe);
  await c.writeChopped(frame(OP.PING, p), 1);
  await c.expect([P(p)]);
  await c.close();
});
kase('2.7', 'unsolicited pong without payload is ignored', async (t) => {
  const c = await t.open();
  c.write(frame(OP.PONG));
  await c.sync();
  await c.close();
});
kase('2.8', 'unsolicited pong with payload is ignored', async (t) => {
  const c = await t.open();
  c.write(frame(OP.PONG, 'unsolicited pong payload'));
  await c.sync();
  await c.close();
});
kase('2.9', 'unsolicited pong, then a ping: only the ping is answered', async (t) => {
  const c = await t.open();
  c.write(frame(OP.PONG, 'unsolicited pong payload'), frame(OP.PING, 'ping payload'));
  await c.expect([P('ping payload')]);
  await c.close();
});
const pings = (n) => Array.from({ length: n }, (_, i) => `payload-${i}`);
kase('2.10', '10 pings in one write are answered in order', async (t) => {
  const c = await t.open();
  c.write(...pings(10).map((p) => frame(OP.PING, p)));
  await c.expect(pings(10).map((p) => P(p)));
  await c.close();
});
kase('2.11', '10 pings in 1-byte chops are answered in order', async (t) => {
  const c = await t.open();
  await c.writeChopped(Buffer.concat(pings(10).map((p) => frame(OP.PING, p))), 1);
  await c.expect(pings(10).map((p) => P(p)));
  await c.close();
});
// RFC 6455 5.5.3 lets an endpoint answer only the most recent of several pings; edgesocket answers a burst ping for
// ping up to 16 pongs on their way, then coalesces what it owes to the latest (so a ping flood holds a few pongs).
kase('2.e1', 'a burst of 1,000 pings: pongs in order, the first 16 one for one, ending with the latest, then nothing', async (t) => {
  const c = await t.open();
  const sent = pings(1000);
  c.write(...sent.map((p) => frame(OP.PING, p)));
  const got = [];
  for (;;) {
    const e = await c.next();
    if (!e || e.type !== 'pong') throw new Error(`expected pongs, got ${describe(e)} after ${got.length}`);
    const i = sent.indexOf(e.data.toString());
    if (i < 0 || (got.length > 0 && i <= got[got.length - 1])) {
      throw new Error(`pong ${describe(e)} out of order after ${got.length} pongs`);
    }
    got.push(i);
    if (i === sent.length - 1) break;
  }
  if (got.length < 16 || got.slice(0, 16).some((v, k) => v !== k)) {
    throw new Error(`the first 16 pings were not answered one for one: ${got.slice(0, 16)}`);
  }
  await c.sync(); // nothing was answered after the latest ping
  await c.close();
});

// ---- 3.x reserved bits: no extension negotiated, so any RSV bit fails the connection (RFC 6455 5.2)
kase('3.1', 'text with RSV=1 fails with 1002', (t) => failing(t, [frame(OP.TEXT, HELLO, { rsv: 1 })], [1002]));
kase('3.2', 'text, then text with RSV=2, then ping: the first is echoed, then 1002, no pong',
    (t) => failing(t, [frame(OP.TEXT, HELLO), frame(OP.TEXT, HELLO, { rsv: 2 }), frame(OP.PING)], [1002], { before: [T(HELLO)] }));
kase('3.3', 'as 3.2 with RSV=3, frame by frame',
    (t) => failing(t, [frame(OP.TEXT, HELLO), frame(OP.TEXT, HELLO, { rsv: 3 }), frame(OP.PING)], [1002],
        { before: [T(HELLO)], write: 'each' }));
kase('3.4', 'as 3.2 with RSV=4, in 1-byte chops',
    (t) => failing(t, [frame(OP.TEXT, HELLO), frame(OP.TEXT, HELLO, { rsv: 4 }), frame(OP.PING)], [1002],
        { before: [T(HELLO)], write: 'chops' }));
kase('3.5', 'binary with RSV=5 fails with 1002', (t) => failing(t, [frame(OP.BINARY, hex('00 ff fe fd fc fb 00 ff'), { rsv: 5 })], [1002]));
kase('3.6', 'ping with RSV=6 fails with 1002', (t) => failing(t, [frame(OP.PING, HELLO, { rsv: 6 })], [1002]));
kase('3.7', 'close with RSV=7 fails with 1002', (t) => failing(t, [frame(OP.CLOSE, closePayload(1000), { rsv: 7 })], [1002]));

// ---- 4.x reserved opcodes
[[1, 3], [2, 4], [3, 5], [4, 6], [5, 7]].forEach(([n, op]) => defineReservedOpcode(`4.1.${n}`, op, n));
[[1, 0xb], [2, 0xc], [3, 0xd], [4, 0xe], [5, 0xf]].forEach(([n, op]) => defineReservedOpcode(`4.2.${n}`, op, n));
function defineReservedOpcode(id, op, n) {
  const payload = n % 2 === 0 ? 'reserved opcode payload' : EMPTY;
  if (n <= 2) {
    kase(id, `frame with reserved opcode ${op} fails with 1002`, (t) => failing(t, [frame(op, payload)], [1002]));
  } else {
    kase(id, `text, then reserved opcode ${op}, then ping: the text is echoed, then 1002, no pong`,
        (t) => failing(t, [frame(OP.TEXT, HELLO), frame(op, payload), frame(OP.PING)], [1002], { before: [T(HELLO)] }));
  }
}

// ---- 5.x fragmentation
kase('5.1', 'ping in 2 fragments fails with 1002',
    (t) => failing(t, [frame(OP.PING, 'fragment1', { fin: false }), frame(OP.CONT, 'fragment2')], [1002]));
kase('5.2', 'pong in 2 fragments fails with 1002',
    (t) => failing(t, [frame(OP.PONG, 'fragment1', { fin: false }), frame(OP.CONT, 'fragment2')], [1002]));
const twoFragments = () => [frame(OP.TEXT, 'fragment1', { fin: false }), frame(OP.CONT, 'fragment2')];
kase('5.3', 'text in 2 fragments is echoed whole', (t) => echo(t, T('fragment1fragment2'), twoFragments()));
kase('5.4', 'text in 2 fragments, in 1-byte chops', async (t) => {
  const c = await t.open();
  await c.writeChopped(Buffer.concat(twoFragments()), 1);
  await c.expect([T('fragment1fragment2')]);
  await c.close();
});
kase('5.5', 'text in 2 fragments, frame by frame', async (t) => {
  const c = await t.open();
  await c.writeEach(twoFragments());
  await c.expect([T('fragment1fragment2')]);
  await c.close();
});
const withPing = () => [frame(OP.TEXT, 'fragment1', { fin: false }), frame(OP.PING, 'pongme!'), frame(OP.CONT, 'fragment2')];
kase('5.6', 'text in 2 fragments with a ping between: pong, then the echo', (t) => echo2(t, withPing(), 'all'));
kase('5.7', 'as 5.6, in 1-byte chops', (t) => echo2(t, withPing(), 'chops'));
kase('5.8', 'as 5.6, frame by frame', (t) => echo2(t, withPing(), 'each'));
async function echo2(t, frames, how) {
  const c = await t.open();
  if (how === 'all') c.write(...frames);
  else if (how === 'each') await c.writeEach(frames);
  else await c.writeChopped(Buffer.concat(frames), 1);
  await c.expect([P('pongme!'), T('fragment1fragment2')]);
  await c.close();
}
const strayCont = (fin) => [frame(OP.CONT, 'fragment1', { fin }), frame(OP.TEXT, 'fragment2', { fin: false }), frame(OP.CONT, 'fragment3')];
kase('5.9', 'continuation (FIN) with nothing to continue fails with 1002', (t) => failing(t, strayCont(true), [1002]));
kase('5.10', 'as 5.9, in 1-byte chops', (t) => failing(t, strayCont(true), [1002], { write: 'chops' }));
kase('5.11', 'as 5.9, frame by frame', (t) => failing(t, strayCont(true), [1002], { write: 'each' }));
kase('5.12', 'continuation (no FIN) with nothing to continue fails with 1002', (t) => failing(t, strayCont(false), [1002]));
kase('5.13', 'as 5.12, in 1-byte chops', (t) => failing(t, strayCont(false), [1002], { write: 'chops' }));
kase('5.14', 'as 5.12, frame by frame', (t) => failing(t, strayCont(false), [1002], { write: 'each' }));
kase('5.15', 'text in 2 fragments, then a continuation with nothing to continue: echo, then 1002',
    (t) => failing(t, [frame(OP.TEXT, 'fragment1', { fin: false }), frame(OP.CONT, 'fragment2'),
      frame(OP.CONT, 'fragment3', { fin: false }), frame(OP.TEXT, 'fragment4')], [1002], { before: [T('fragment1fragment2')] }));
const twice = (fin) => {
  const one = [frame(OP.CONT, 'fragment1', { fin }), frame(OP.TEXT, 'fragment2', { fin: false }), frame(OP.CONT, 'fragment3')];
  return [...one, ...one];
};
kase('5.16', 'continuation (no FIN) first, then a fragmented text, twice: 1002', (t) => failing(t, twice(false), [1002]));
kase('5.17', 'continuation (FIN) first, then a fragmented text, twice: 1002', (t) => failing(t, twice(true), [1002]));
kase('5.18', 'a text frame starting inside a fragmented text message fails with 1002',
    (t) => failing(t, [frame(OP.TEXT, 'fragment1', { fin: false }), frame(OP.TEXT, 'fragment2')], [1002]));
const interleaved = (how) => async (t) => {
  const c = await t.open();
  const send = (frames) => (how === 'each' ? c.writeEach(frames) : c.write(...frames));
  const sentAt = Date.now();
  await send([frame(OP.TEXT, 'fragment1', { fin: false }), frame(OP.CONT, 'fragment2', { fin: false }), frame(OP.PING, 'pongme 1!')]);
  // The pong comes at once, while the message is still incomplete.
  await c.expect([P('pongme 1!')], 1000);
  await sleep(Math.max(0, 1000 - (Date.now() - sentAt)));
  await send([frame(OP.CONT, 'fragment3', { fin: false }), frame(OP.CONT, 'fragment4', { fin: false }),
    frame(OP.PING, 'pongme 2!'), frame(OP.CONT, 'fragment5')]);
  await c.expect([P('pongme 2!'), T('fragment1fragment2fragment3fragment4fragment5')]);
  await c.close();
};
kase('5.19', 'text in 5 fragments with 2 pings between and a 1 s pause: each pong at once, then the echo', interleaved('all'));
kase('5.20', 'as 5.19, frame by frame', interleaved('each'));

// ---- 6.x UTF-8
kase('6.1.1', 'empty text message', (t) => echo(t, T(''), [frame(OP.TEXT)]));
kase('6.1.2', 'text message of 3 empty fragments', (t) => echo(t, T(''),
    [frame(OP.TEXT, EMPTY, { fin: false }), frame(OP.CONT, EMPTY, { fin: false }), frame(OP.CONT)]));
kase('6.1.3', 'text message of an empty, a non-empty and an empty fragment', (t) => echo(t, T('middle frame payload'),
    [frame(OP.TEXT, EMPTY, { fin: false }), frame(OP.CONT, 'middle frame payload', { fin: false }), frame(OP.CONT)]));
const MIXED = Buffer.from('Hello-µ@ßöäüàá-UTF-8!!', 'utf8');
kase('6.2.1', 'valid UTF-8 with multi-byte characters in one frame', (t) => echo(t, T(MIXED), [frame(OP.TEXT, MIXED)]));
kase('6.2.2', 'the same in 2 fragments split on a character boundary', (t) => echo(t, T(MIXED),
    [frame(OP.TEXT, MIXED.subarray(0, 10), { fin: false }), frame(OP.CONT, MIXED.subarray(10))]));
kase('6.2.3', 'the same in one frame written in 1-byte chops', async (t) => {
  const c = await t.open();
  await c.writeChopped(frame(OP.TEXT, MIXED), 1);
  await c.expect([T(MIXED)]);
  await c.close();
});
const KOSME = hex('ce ba e1 bd b9 cf 83 ce bc ce b5');
kase('6.2.4', 'valid UTF-8 in 1-byte fragments, splitting every multi-byte character', (t) => echo(t, T(KOSME), fragments(OP.TEXT, KOSME, 1)));
const CLEF = Buffer.from('a𝄞b', 'utf8');
kase('6.2.e1', 'a 4-byte character split 2+2 over two fragments', (t) => echo(t, T(CLEF),
    [frame(OP.TEXT, CLEF.subarray(0, 3), { fin: false }), frame(OP.CONT, CLEF.subarray(3))]));
const BROKEN = hex('ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64');
kase('6.3.1', 'invalid UTF-8 (a surrogate) in one frame fails with 1007', (t) => failing(t, [frame(OP.TEXT, BROKEN)], [1007]));
kase('6.3.2', 'the same in 1-byte fragments fails with 1007', (t) => failing(t, fragments(OP.TEXT, BROKEN, 1), [1007]));

// 6.4.x fail fast: the part that makes the text invalid arrives, then nothing for 1 s; the close must come
// in that second, before the rest of the message is sent.
const FF1 = hex('ce ba e1 bd b9 cf 83 ce bc ce b5');
const FF2 = hex('f4 90 80 80'); // would be U+110000, beyond Unicode: invalid at its second byte
const FF3 = hex('65 64 69 74 65 64');
const FF = Buffer.concat([FF1, FF2, FF3]);
async function failFast(t, parts) {
  const c = await t.open();
  c.write(parts[0]);
  const early = await c.next(1000);
  if (early) throw new Error(`the valid first part was answered with ${describe(early)}`);
  c.write(parts[1]);
  const e = await c.next(1000);
  if (!e) {
    c.write(parts[2]);
    const late = await c.next(3000);
    throw new Error('not fail-fast: no close within 1 s of the invalid bytes; after the rest of the message: ' +
        (late ? describe(late) : 'still nothing'));
  }
  if (e.type !== 'close' || e.code !== 1007) throw new Error(`expected close(1007), got ${describe(e)}`);
  await c.expectTcpEnd();
}
kase('6.4.1', 'invalid UTF-8 in the 2nd of 3 fragments: 1007 before the 3rd is sent',
    (t) => failFast(t, [frame(OP.TEXT, FF1, { fin: false }), frame(OP.CONT, FF2, { fin: false }), frame(OP.CONT, FF3)]));
kase('6.4.2', 'invalid UTF-8 at the one byte of the 2nd of 3 fragments: 1007 before the 3rd is sent',
    (t) => failFast(t, [frame(OP.TEXT, FF.subarray(0, 12), { fin: false }), frame(OP.CONT, FF.subarray(12, 13), { fin: false }),
      frame(OP.CONT, FF.subarray(13))]));
function chopsOfOneFrame(cuts) {
  const f = frame(OP.TEXT, FF);
  const header = f.length - FF.length;
  return [f.subarray(0, header + cuts[0]), f.subarray(header + cuts[0], header + cuts[1]), f.subarray(header + cuts[1])];
}
kase('6.4.3', 'invalid UTF-8 in the middle of one frame sent in 3 TCP chops: 1007 before the last chop',
    (t) => failFast(t, chopsOfOneFrame([11, 15])));
kase('6.4.4', 'as 6.4.3, the invalid chop being the one byte 0x90: 1007 before the last chop',
    (t) => failFast(t, chopsOfOneFrame([12, 13])));

// 6.5 onwards: Markus Kuhn's UTF-8 decoder capability and stress test, one text frame each. Validity is
// decided by the WHATWG fatal decoder (RFC 3629: no surrogates, no overlongs, nothing above U+10FFFF).
const UTF8_GROUPS = [
  ['some valid UTF-8', ['68656c6c6f24776f726c64', '68656c6c6fc2a2776f726c64', '68656c6c6fe282ac776f726c64', '68656c6c6ff0a4ada2776f726c64',
    'cebae1bdb9cf83cebcceb5']],
  ['every prefix of a valid multi-byte string', Array.from({ length: KOSME.length }, (_, i) => KOSME.subarray(0, i + 1).toString('hex'))],
  ['first possible sequence of each length', ['00', 'c280', 'e0a080', 'f0908080']],
  ['first possible 5- and 6-byte sequences', ['f888808080', 'fc8480808080']],
  ['last possible sequence of each length', ['7f', 'dfbf', 'efbfbf', 'f48fbfbf']],
  ['last possible 4-, 5- and 6-byte sequences', ['f7bfbfbf', 'fbbfbfbfbf', 'fdbfbfbfbfbf']],
  ['other boundary conditions', ['ed9fbf', 'ee8080', 'efbfbd', 'f48fbfbf', 'f4908080']],
  ['unexpected continuation bytes', ['80', 'bf', '80bf', '80bf80', '80bf80bf', '80bf80bf80', '80bf80bf80bf',
    Buffer.from(Array.from({ length: 0x3f }, (_, i) => 0x80 + i)).toString('hex')]],
  ['lonely start bytes, each followed by a space', [[0xc0, 0xdf], [0xe0, 0xef], [0xf0, 0xf7], [0xf8, 0xfb], [0xfc, 0xfd]]
      .map(([a, b]) => Buffer.from(Array.from({ length: b - a }, (_, i) => [a + i, 0x20]).flat()).toString('hex'))],
  ['sequences with the last continuation byte missing', ['c0', 'e080', 'f08080', 'f8808080', 'fc80808080', 'df', 'efbf', 'f7bfbf',
    'fbbfbfbf', 'fdbfbfbfbf']],
  ['concatenated incomplete sequences', ['c0e080f08080f8808080fc80808080dfefbff7bfbffbbfbfbffdbfbfbfbf']],
  ['impossible bytes', ['fe', 'ff', 'fefeffff']],
  ['overlong ASCII', ['c0af', 'e080af', 'f08080af', 'f8808080af', 'fc80808080af']],
  ['maximum overlong sequences', ['c1bf', 'e09fbf', 'f08fbfbf', 'f887bfbfbf', 'fc83bfbfbfbf']],
  ['overlong NUL', ['c080', 'e08080', 'f0808080', 'f880808080', 'fc8080808080']],
  ['single UTF-16 surrogates', ['eda080', 'edadbf', 'edae80', 'edafbf', 'edb080', 'edbe80', 'edbfbf']],
  ['paired UTF-16 surrogates', ['eda080edb080', 'eda080edbfbf', 'edadbfedb080', 'edadbfedbfbf', 'edae80edb080', 'edae80edbfbf',
    'edafbfedb080', 'edafbfedbfbf']],
  ['noncharacters (valid UTF-8)', ['efbfbe', 'efbfbf', 'f09fbfbe', 'f09fbfbf', 'f0afbfbe', 'f3bfbfbf', 'f48fbfbe', 'f48fbfbf']],
  ['Unicode specials', ['efbfb9', 'efbfba', 'efbfbb', 'efbfbc', 'efbfbd', 'efbfbe', 'efbfbf']],
];
UTF8_GROUPS.forEach(([group, list], g) => {
  list.forEach((h, i) => {
    const payload = hex(h);
    const valid = isUtf8(payload);
    const id = `6.${g + 5}.${i + 1}`;
    if (valid) kase(id, `${group}: valid 0x${h.slice(0, 24)}${h.length > 24 ? '…' : ''} is echoed`, (t) => echo(t, T(payload), [frame(OP.TEXT, payload)]));
    else kase(id, `${group}: invalid 0x${h.slice(0, 24)}${h.length > 24 ? '…' : ''} fails with 1007`, (t) => failing(t, [frame(OP.TEXT, payload)], [1007]));
  });
});

// ---- 7.x closing handshake
kase('7.1.1', 'text, its echo, then a close 1000 that is echoed', async (t) => {
  const c = await t.open();
  c.write(frame(OP.TEXT, 'Hello World!'));
  await c.expect([T('Hello World!')]);
  await c.close(1000);
});
kase('7.1.2', 'two close frames: one close answered, nothing after it', async (t) => {
  const c = await t.open();
  c.write(frame(OP.CLOSE, closePayload(1000)), frame(OP.CLOSE, closePayload(1000)));
  c.sentClose = c.clientClosedFirst = true;
  await c.expectClose([1000], { by: 'client' });
});
kase('7.1.3', 'close, then a ping: the ping is not answered', async (t) => {
  const c = await t.open();
  c.write(frame(OP.CLOSE, closePayload(1000)), frame(OP.PING, 'after close'));
  c.sentClose = c.clientClosedFirst = true;
  await c.expectClose([1000], { by: 'client' });
});
kase('7.1.4', 'close, then a text message: no echo', async (t) => {
  const c = await t.open();
  c.write(frame(OP.CLOSE, closePayload(1000)), frame(OP.TEXT, 'after close'));
  c.sentClose = c.clientClosedFirst = true;
  await c.expectClose([1000], { by: 'client' });
});
kase('7.1.5', 'first fragment, close, last fragment: close answered, no echo', async (t) => {
  const c = await t.open();
  c.write(frame(OP.TEXT, 'fragment1', { fin: false }), frame(OP.CLOSE, closePayload(1000)), frame(OP.CONT, 'fragment2'));
  c.sentClose = c.clientClosedFirst = true;
  await c.expectClose([1000], { by: 'client' });
});
kase('7.1.6', '256 KiB text, a short text, close and ping in one write: both echoed before the close (Autobahn: informational)', async (t) => {
  const c = await t.open();
  const big = Buffer.alloc(256 * 1024, 'BAsd7&jh23');
  c.write(frame(OP.TEXT, big), frame(OP.TEXT, 'Hello World!'), frame(OP.CLOSE, closePayload(1000)), frame(OP.PING));
  c.sentClose = c.clientClosedFirst = true;
  await c.expectClose([1000], { by: 'client', before: [T(big), T('Hello World!')] });
});
kase('7.1.e1', 'a text and a close in one TCP write, 200 times: the echo always precedes the close', async (t) => {
  for (let i = 1; i <= 200; i++) {
    const c = await t.open();
    c.write(Buffer.concat([frame(OP.TEXT, `message ${i}`), frame(OP.CLOSE, closePayload(1000))]));
    c.sentClose = c.clientClosedFirst = true;
    try {
      await c.expectClose([1000], { by: 'client', before: [T(`message ${i}`)] });
    } catch (e) {
      throw new Error(`iteration ${i}: ${e.message}`);
    }
    c.destroy();
  }
}, { timeout: 60000 });
kase('7.3.1', 'close without payload is answered with a close without payload', async (t) => {
  const c = await t.open();
  c.sendClose(null);
  await c.expectClose([null], { by: 'client' });
});
kase('7.3.2', 'close with a 1-byte payload fails with 1002', (t) => failing(t, [frame(OP.CLOSE, hex('03'))], [1002]));
kase('7.3.3', 'close 1000 without reason is echoed', async (t) => (await t.open()).close(1000));
kase('7.3.4', 'close 1000 with a reason is echoed', async (t) => (await t.open()).close(1000, 'Hello World!'));
kase('7.3.5', 'close 1000 with a 123-byte reason is echoed', async (t) => (await t.open()).close(1000, '*'.repeat(123)));
kase('7.3.6', 'close with a 124-byte reason (a 126-byte control frame) fails with 1002',
    (t) => failing(t, [frame(OP.CLOSE, closePayload(1000, '*'.repeat(124)))], [1002]));
kase('7.5.1', 'close reason that is not UTF-8 fails with 1007',
    (t) => failing(t, [frame(OP.CLOSE, Buffer.concat([closePayload(1000), BROKEN]))], [1007]));
[1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999].forEach((code, i) => {
  kase(`7.7.${i + 1}`, `close with valid code ${code} is echoed`, async (t) => (await t.open()).close(code));
});
[1012, 1013, 1014].forEach((code, i) => {
  kase(`7.7.e${i + 1}`, `close with code ${code} (IANA-registered after RFC 6455) is echoed`, async (t) => (await t.open()).close(code));
});
[0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999].forEach((code, i) => {
  kase(`7.9.${i + 1}`, `close with invalid code ${code} fails with 1002`, (t) => failing(t, [frame(OP.CLOSE, closePayload(code))], [1002]));
});
kase('7.9.e1', 'close with code 1015 (reserved: never sent in a frame) fails with 1002',
    (t) => failing(t, [frame(OP.CLOSE, closePayload(1015))], [1002]));
kase('7.13.1', 'close with code 5000 fails with 1002 (Autobahn: informational)',
    (t) => failing(t, [frame(OP.CLOSE, closePayload(5000))], [1002]));
kase('7.13.2', 'close with code 65535 fails with 1002 (Autobahn: informational)',
    (t) => failing(t, [frame(OP.CLOSE, closePayload(65535))], [1002]));

// ---- 9.x limits and performance (reduced), 10.x auto-fragmentation
const MiB = 1 << 20;
const bigCase = (id, title, make, frames) => kase(id, title, async (t) => {
  const c = await t.open();
  const payload = make();
  const started = Date.now();
  c.write(...frames(payload));
  await c.expect([title.startsWith('text') ? T(payload) : B(payload)], 30000);
  t.note(`${Date.now() - started} ms`);
  await c.close();
}, { timeout: 60000 });
[64 * 1024, 256 * 1024, MiB, 4 * MiB, 8 * MiB, 16 * MiB].forEach((n, i) => {
  const size = n >= MiB ? `${n / MiB} MiB` : `${n / 1024} KiB`;
  bigCase(`9.1.${i + 1}`, `text of ${size} in one frame`, () => bigText(n), (p) => [frame(OP.TEXT, p)]);
  bigCase(`9.2.${i + 1}`, `binary of ${size} in one frame`, () => bigBinary(n), (p) => [frame(OP.BINARY, p)]);
});
[64, 256, 1024, 4096, 16384, 65536, 256 * 1024, MiB, 4 * MiB].forEach((f, i) => {
  const size = f >= MiB ? `${f / MiB} MiB` : f >= 1024 ? `${f / 1024} KiB` : `${f} B`;
  bigCase(`9.3.${i + 1}`, `text of 4 MiB in fragments of ${size}`, () => bigText(4 * MiB), (p) => fragments(OP.TEXT, p, f));
  bigCase(`9.4.${i + 1}`, `binary of 4 MiB in fragments of ${size}`, () => bigBinary(4 * MiB), (p) => fragments(OP.BINARY, p, f));
});
bigCase('9.3.e1', 'text of 1 MiB in 64 KiB fragments', () => bigText(MiB), (p) => fragments(OP.TEXT, p, 65536));
bigCase('9.3.e2', 'text of 16 MiB in 64 KiB fragments', () => bigText(16 * MiB), (p) => fragments(OP.TEXT, p, 65536));
bigCase('9.4.e1', 'binary of 1 MiB in 64 KiB fragments', () => bigBinary(MiB), (p) => fragments(OP.BINARY, p, 65536));
bigCase('9.4.e2', 'binary of 16 MiB in 64 KiB fragments', () => bigBinary(16 * MiB), (p) => fragments(OP.BINARY, p, 65536));
[64, 128, 256, 512, 1024, 2048].forEach((chop, i) => {
  for (const [family, make, op, ev] of [['9.5', bigText, OP.TEXT, T], ['9.6', bigBinary, OP.BINARY, B]]) {
    kase(`${family}.${i + 1}`, `${op === OP.TEXT ? 'text' : 'binary'} of 1 MiB in one frame written in TCP chops of ${chop} bytes`, async (t) => {
      const c = await t.open();
      const p = make(MiB);
      await c.writeChopped(frame(op, p), chop);
      await c.expect([ev(p)], 30000);
      await c.close();
    }, { timeout: 60000 });
  }
});
[0, 16, 64, 256, 1024, 4096].forEach((n, i) => {
  for (const [family, make, op, ev] of [['9.7', bigText, OP.TEXT, T], ['9.8', bigBinary, OP.BINARY, B]]) {
    kase(`${family}.${i + 1}`, `1,000 ${op === OP.TEXT ? 'text' : 'binary'} messages of ${n} bytes, one round trip each`, async (t) => {
      const c = await t.open();
      const p = make(n);
      const started = Date.now();
      for (let k = 0; k < 1000; k++) {
        c.write(frame(op, p));
        await c.expect([ev(p)]);
      }
      t.note(`${Date.now() - started} ms`);
      await c.close();
    }, { timeout: 60000 });
  }
});
kase('9.e1', '100,000 fragments of 1 byte make one message (the zones allow 100,000)', async (t) => {
  const c = await t.open();
  const p = bigText(100000);
  c.write(...fragments(OP.TEXT, p, 1));
  await c.expect([T(p)], 30000);
  await c.close();
}, { timeout: 60000 });
kase('9.e2', 'a message of 100,001 fragments fails with 1009 (max-fragments)',
    (t) => failing(t, fragments(OP.BINARY, Buffer.alloc(100001, 7), 1), [1009]), { timeout: 60000 });
kase('9.e3', 'a frame announcing 16 MiB + 1 byte fails with 1009 from its header (max-message-size)', async (t) => {
  const c = await t.open();
  c.write(frame(OP.BINARY, Buffer.alloc(65536), { length: 16 * MiB + 1 }));
  await c.expectClose([1009]);
});
kase('9.e4', '16 MiB + 1 byte in 64 KiB fragments fails with 1009 (max-message-size)', async (t) => {
  const c = await t.open();
  const frames = fragments(OP.BINARY, bigBinary(16 * MiB), 65536);
  frames[frames.length - 1][0] &= 0x7f; // not the last fragment after all: one byte more follows
  c.write(...frames, frame(OP.CONT, Buffer.alloc(1)));
  await c.expectClose([1009], { within: 10000 });
}, { timeout: 60000 });
kase('10.1.1', 'text of 65536 bytes in fragments of 1300 bytes', (t) => echo(t, T(bigText(65536)), fragments(OP.TEXT, bigText(65536), 1300)));

// ---- 12.x / 13.x permessage-deflate (RFC 7692)
kase('12.e1', 'a zone without compression declines permessage-deflate; RSV1 there fails with 1002', async (t) => {
  const c = await t.open(ZONE, { extensions: 'permessage-deflate; client_max_window_bits' });
  if (c.pmd) throw new Error(`the zone accepted "${c.pmd.answer}" though compression is off`);
  c.write(frame(OP.TEXT, zlib.deflateRawSync(Buffer.from(HELLO), { finishFlush: Z.Z_SYNC_FLUSH }).subarray(0, -4), { rsv: RSV1 }));
  await c.expectClose([1002]);
});

if (ARGS.deflate) defineDeflateCases(ARGS.deflate);

function defineDeflateCases(DZ) {
  const AUTOBAHN_OFFER = 'permessage-deflate; client_max_window_bits';

  async function openDeflate(t, offer, { mayDecline = false } = {}) {
    const c = await t.open(DZ, { extensions: offer });
    if (!c.pmd && !mayDecline) throw new Error(`the compression zone declined the offer "${offer}"`);
    if (c.pmd) t.note(`agreed "${c.pmd.answer}"`);
    else t.note('declined, a valid RFC 7692 answer (Autobahn: unimplemented)');
    return c;
  }

  /** Sends each message compressed (fragmented when asked) and checks each echo, in order. */
  async function roundTrips(c, messages, { fragment = 0 } = {}) {
    for (const [type, data] of messages) {
      const op = type === 'text' ? OP.TEXT : OP.BINARY;
      const compressed = c.deflate(data);
      c.write(...(fragment ? fragments(op, compressed, fragment, { rsv: RSV1 }) : [frame(op, compressed, { rsv: RSV1 })]));
      await c.expect([{ type, data }], 10000);
    }
  }

  // 12.x: Autobahn's default offer, messages of its sizes (20 each instead of 1,000), with and without fragmentation.
  const SIZES = [[16, 0], [64, 0], [256, 0], [1024, 0], [4096, 0], [8192, 0], [16384, 0], [32768, 0], [65536, 0], [131072, 0],
    [8192, 256], [16384, 256], [32768, 256], [65536, 256], [131072, 256], [131072, 1024], [131072, 4096], [131072, 32768]];
  const DATA_SETS = [['text', 'JSON text', (n, k) => jsonText(n, k + 1)], ['binary', 'random binary', (n, k) => randomBytes(n, k + 1)],
    ['binary', 'repetitive binary', (n, k) => blockRepeat(n, 100 + 37 * (k % 5), k + 1)]];
  DATA_SETS.forEach(([type, name, make], d) => {
    SIZES.forEach(([n, frag], i) => {
      kase(`12.${d + 1}.${i + 1}`, `20 compressed ${name} messages of ${n} bytes${frag ? `, fragments of ${frag} bytes` : ''}`, async (t) => {
        const c = await openDeflate(t, AUTOBAHN_OFFER);
        await roundTrips(c, Array.from({ length: 20 }, (_, k) => [type, make(n, k)]), { fragment: frag });
        await c.close();
      });
    });
  });

  // 13.x: offers. Each agreed connection carries a mix that catches a server overstepping what it agreed to:
  // repeated messages (context takeover), long back-references (window bits), fragments and an empty message.
  const mix = () => {
    const m = [];
    for (const n of [16, 256, 4096, 65536, 131072]) m.push(['text', jsonText(n, n)]);
    m.push(['text', jsonText(4096, 4096)], ['text', jsonText(4096, 4096)]); // the same again: context takeover pays off
    for (const block of [200, 400, 700, 1500, 3000, 6000, 12000, 24000]) m.push(['binary', blockRepeat(65536, block, block)]);
    m.push(['binary', randomBytes(4096, 9)], ['text', EMPTY], ['binary', EMPTY]);
    return m;
  };
  const OFFERS = [
    ['permessage-deflate', false],
    [AUTOBAHN_OFFER, false],
    ['permessage-deflate; client_no_context_takeover', false],
    ['permessage-deflate; server_no_context_takeover', false],
    ['permessage-deflate; client_no_context_takeover; server_no_context_takeover', false],
    ['permessage-deflate; client_max_window_bits=9', false],
    ['permessage-deflate; client_max_window_bits=15', false],
    ...[8, 9, 10, 11, 12, 13, 14].map((b) => [`permessage-deflate; server_max_window_bits=${b}`, true]),
    ['permessage-deflate; server_max_window_bits=15', false],
    ['permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_max_window_bits', true],
    ['permessage-deflate; server_max_window_bits="10"', true],
    // Autobahn 13.7: several offers, most demanding first; the server takes any it supports.
    ['permessage-deflate; server_no_context_takeover; server_max_window_bits=8; client_max_window_bits, ' +
      'permessage-deflate; server_no_context_takeover; client_max_window_bits, permessage-deflate; client_max_window_bits', false],
    // Unknown extensions around the offer.
    ['x-edgesocket-unknown, permessage-deflate', false],
  ];
  OFFERS.forEach(([offer, mayDecline], i) => {
    kase(`13.${i + 1}`, `offer "${offer}": a valid answer, then messages that inflate under it`, async (t) => {
      const c = await openDeflate(t, offer, { mayDecline });
      if (!c.pmd) {
        c.write(frame(OP.TEXT, HELLO));
        await c.expect([T(HELLO)]);
        await c.close();
        return;
      }
      await roundTrips(c, mix());
      await roundTrips(c, mix(), { fragment: 1000 });
      await c.close();
    });
  });

  // Offers the server must decline (RFC 7692 5, 7): the handshake succeeds without the extension.
  const DECLINE = [
    'permessage-deflate; server_max_window_bits=7',
    'permessage-deflate; server_max_window_bits=16',
    'permessage-deflate; server_max_window_bits',
    'permessage-deflate; server_max_window_bits=010',
    'permessage-deflate; client_max_window_bits=7',
    'permessage-deflate; server_no_context_takeover=1',
    'permessage-deflate; server_no_context_takeover; server_no_context_takeover',
    'permessage-deflate; unknown_parameter',
    'x-edgesocket-unknown',
  ];
  DECLINE.forEach((offer, i) => {
    kase(`13.e${i + 1}`, `invalid offer "${offer}" is declined; RSV1 then fails with 1002`, async (t) => {
      const c = await t.open(DZ, { extensions: offer });
      if (c.pmd) throw new Error(`the server accepted an offer it must decline: "${c.pmd.answer}"`);
      c.write(frame(OP.TEXT, HELLO));
      await c.expect([T(HELLO)]);
      c.write(frame(OP.TEXT, zlib.deflateRawSync(Buffer.from(HELLO), { finishFlush: Z.Z_SYNC_FLUSH }).subarray(0, -4), { rsv: RSV1 }));
      await c.expectClose([1002]);
    });
  });
  kase('13.e10', 'an invalid offer, then a valid one: the valid one is taken', async (t) => {
    const c = await openDeflate(t, 'permessage-deflate; server_max_window_bits=7, permessage-deflate; client_max_window_bits');
    await roundTrips(c, [['text', jsonText(1024)], ['text', jsonText(1024)]]);
    await c.close();
  });

  // The RFC's own examples and edge cases.
  const agreed = async (t) => openDeflate(t, AUTOBAHN_OFFER);
  kase('12.e2', 'RFC 7692 7.2.3.1/7.2.3.2: "Hello", then "Hello" through the shared window', async (t) => {
    const c = await agreed(t);
    c.write(frame(OP.TEXT, hex('f2 48 cd c9 c9 07 00'), { rsv: RSV1 }));
    await c.expect([T('Hello')]);
    if (c.pmd.clientNoContextTakeover) {
      t.note('the server asked for client_no_context_takeover: the shared-window half does not apply');
    } else {
      c.write(frame(OP.TEXT, hex('f2 00 11 00 00'), { rsv: RSV1 }));
      await c.expect([T('Hello')]);
    }
    await c.close();
  });
  kase('12.e3', 'RFC 7692 7.2.3.1: a compressed "Hello" in 2 fragments, RSV1 on the first only', async (t) => {
    const c = await agreed(t);
    c.write(frame(OP.TEXT, hex('f2 48 cd'), { fin: false, rsv: RSV1 }), frame(OP.CONT, hex('c9 c9 07 00')));
    await c.expect([T('Hello')]);
    await c.close();
  });
  kase('12.e4', 'RFC 7692 7.2.3.3: a block with BFINAL set, then a message through the window', async (t) => {
    const c = await agreed(t);
    c.write(frame(OP.TEXT, hex('f3 48 cd c9 c9 07 00 00'), { rsv: RSV1 }));
    await c.expect([T('Hello')]);
    c.deflateWindow = Buffer.from('Hello');
    c.write(frame(OP.TEXT, c.deflate('Hello, Hello'), { rsv: RSV1 }));
    await c.expect([T('Hello, Hello')]);
    await c.close();
  });
  kase('12.e4b', 'a block with BFINAL set, then a message that needs no window: both echoed', async (t) => {
    const c = await agreed(t);
    c.write(frame(OP.TEXT, hex('f3 48 cd c9 c9 07 00 00'), { rsv: RSV1 }));
    await c.expect([T('Hello')]);
    c.write(frame(OP.TEXT, zlib.deflateRawSync(Buffer.from('World'), { finishFlush: Z.Z_SYNC_FLUSH }).subarray(0, -4), { rsv: RSV1 }));
    await c.expect([T('World')]);
    await c.close();
  });
  kase('12.e5', 'RFC 7692 7.2.3.4: a stored (uncompressed) DEFLATE block', async (t) => {
    const c = await agreed(t);
    c.write(frame(OP.BINARY, hex('00 05 00 fa ff 48 65 6c 6c 6f 00'), { rsv: RSV1 }));
    await c.expect([B('Hello')]);
    await c.close();
  });
  kase('12.e6', 'RFC 7692 7.2.3.6: an empty message compressed to the single byte 0x00', async (t) => {
    const c = await agreed(t);
    c.write(frame(OP.TEXT, hex('00'), { rsv: RSV1 }));
    await c.expect([T('')]);
    await c.close();
  });
  kase('12.e7', 'an uncompressed message (RSV1 clear) on a compressed connection is echoed', async (t) => {
    const c = await agreed(t);
    c.write(frame(OP.TEXT, HELLO), frame(OP.BINARY, hex('00 ff')));
    await c.expect([T(HELLO), B(hex('00 ff'))]);
    await c.close();
  });
  kase('12.e8', 'a ping between compressed fragments: pong, then the echo', async (t) => {
    const c = await agreed(t);
    const z = c.deflate(jsonText(4096));
    c.write(frame(OP.TEXT, z.subarray(0, 100), { fin: false, rsv: RSV1 }), frame(OP.PING, 'pongme!'), frame(OP.CONT, z.subarray(100)));
    await c.expect([P('pongme!'), T(jsonText(4096))]);
    await c.close();
  });
  kase('12.e9', 'RSV1 on a continuation frame fails with 1002', async (t) => {
    const c = await agreed(t);
    const z = c.deflate(HELLO);
    c.write(frame(OP.TEXT, z.subarray(0, 3), { fin: false, rsv: RSV1 }), frame(OP.CONT, z.subarray(3), { rsv: RSV1 }));
    await c.expectClose([1002]);
  });
  kase('12.e10', 'RSV1 on a ping fails with 1002', async (t) => {
    const c = await agreed(t);
    c.write(frame(OP.PING, HELLO, { rsv: RSV1 }));
    await c.expectClose([1002]);
  });
  kase('12.e11', 'RSV2 on a text still fails with 1002', async (t) => {
    const c = await agreed(t);
    c.write(frame(OP.TEXT, HELLO, { rsv: 2 }));
    await c.expectClose([1002]);
  });
  kase('12.e12', 'compressed text that inflates to invalid UTF-8 fails with 1007', async (t) => {
    const c = await agreed(t);
    c.write(frame(OP.TEXT, c.deflate(BROKEN), { rsv: RSV1 }));
    await c.expectClose([1007]);
  });
  kase('12.e13', 'compressed data that does not inflate fails the connection (1007 or 1002: RFC 7692 names no code)', async (t) => {
    const c = await agreed(t);
    c.write(frame(OP.BINARY, hex('ff ff ff ff 00 01 02 03'), { rsv: RSV1 }));
    await c.expectClose([1007, 1002]);
  });
  kase('12.e14', 'a compressed message inflating past max-message-size (1 MiB here) fails with 1009', async (t) => {
    const c = await agreed(t);
    const bomb = c.deflate(Buffer.alloc(2 * MiB));
    t.note(`${bomb.length} compressed bytes`);
    c.write(frame(OP.BINARY, bomb, { rsv: RSV1 }));
    await c.expectClose([1009]);
  });
  kase('12.e15', 'the same bomb in fragments of 256 bytes fails with 1009', async (t) => {
    const c = await agreed(t);
    c.write(...fragments(OP.BINARY, c.deflate(Buffer.alloc(2 * MiB)), 256, { rsv: RSV1 }));
    await c.expectClose([1009]);
  });
}

// ------------------------------------------------------------------------------------------------ running

async function main() {
  const selected = cases.filter((c) => ARGS.only.length === 0 || ARGS.only.some((p) => c.id === p || c.id.startsWith(`${p}.`)));
  if (ARGS.list) {
    for (const c of selected) console.log(`${c.id} ${c.title}`);
    return;
  }
  const deadline = Date.now() + ARGS.deadline * 1000;
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  console.log(`# ${selected.length} cases against ${BASE.origin}${ZONE}${ARGS.deflate ? ` and ${ARGS.deflate} (permessage-deflate)` : ''}`);
  for (const c of selected) {
    if (Date.now() > deadline) {
      failed++;
      console.log(`not ok - ${c.id} ${LABEL}${c.title}: not run, the whole run passed its ${ARGS.deadline} s deadline`);
      continue;
    }
    const t = new Trial();
    let timer;
    try {
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the case did not finish within ${c.timeout / 1000} s`)), c.timeout);
      });
      await Promise.race([c.fn(t), timeout]);
      const broken = t.conns.flatMap((conn) => conn.violations);
      if (broken.length) throw new Error(`the server broke the protocol: ${broken.join('; ')}`);
      passed++;
      console.log(`ok - ${c.id} ${LABEL}${c.title}${t.notes.length ? ` (${t.notes.join(', ')})` : ''}`);
    } catch (e) {
      failed++;
      const broken = t.conns.flatMap((conn) => conn.violations);
      const extra = broken.length && !e.message.includes('broke the protocol') ? ` [also: ${broken.join('; ')}]` : '';
      console.log(`not ok - ${c.id} ${LABEL}${c.title}: ${e.message}${extra}`);
    } finally {
      clearTimeout(timer);
      t.dispose();
    }
  }
  console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

await main();
