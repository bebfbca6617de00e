// The origins behind edgesocket's Pull Zone tests (OriginIT), on loopback:
//   node origin.mjs <httpPort> <garbagePort> [<key.pem> <cert.pem>]
// <httpPort>: an HTTP server (and, with ws, a WebSocket server) whose answers say what it received; given a key and
// a certificate it speaks HTTPS (and WSS) instead, for the TLS tests;
// <garbagePort>: a TCP server that answers anything with bytes that are not HTTP.
// Paths are matched by their last segment, so any base path (the origin URL's prefix) works.
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import net from 'node:net';
import crypto from 'node:crypto';
import { WebSocketServer } from 'ws';

const [httpPort, garbagePort] = process.argv.slice(2, 4).map(Number);
const [keyFile, certFile] = process.argv.slice(4, 6);
const tls = keyFile && certFile ? { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) } : null;

function last(url) {
  const path = new URL(url, 'http://origin').pathname;
  return path.substring(path.lastIndexOf('/') + 1);
}

const handler = (req, res) => {
  const url = new URL(req.url, 'http://origin');
  switch (last(req.url)) {
    case 'echo': {
      // What arrived: method, target, headers (raw, in order), and the body's length and SHA-256.
      const hash = crypto.createHash('sha256');
      let length = 0;
      req.on('data', chunk => { hash.update(chunk); length += chunk.length; });
      req.on('end', () => {
        const body = JSON.stringify({ method: req.method, url: req.url, headers: req.headers,
          rawHeaders: req.rawHeaders, httpVersion: req.httpVersion, length, sha256: hash.digest('hex') });
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body),
          'Connection': 'X-Secret', 'X-Secret': 'hop', 'Keep-Alive': 'timeout=5', 'X-Origin': 'node' });
        res.end(req.method === 'HEAD' ? undefined : body);
      });
      return;
    }
    case 'stream': {
      // N MiB in 64 KiB chunks, chunked, written as fast as the reader takes them (and no faster).
      const total = Number(url.searchParams.get('mb') || '1') * 1024 * 1024;
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      const pump = () => {
        while (sent < total) {
          sent += chunk.length;
          if (!res.write(chunk)) { res.once('drain', pump); return; }
        }
        res.end();
      };
      pump();
      return;
    }
    case 'slow-head':
      setTimeout(() => { res.writeHead(200); res.end('late'); }, Number(url.searchParams.get('ms') || '3000'));
      return;
    case 'drop':
      req.socket.destroy();
      return;
    case 'drop-mid':
      res.writeHead(200, { 'Content-Length': '1000000' });
      res.write(Buffer.alloc(1000, 0x62), () => setTimeout(() => req.socket.destroy(), 50));
      return;
    case 'status':
      res.writeHead(Number(url.searchParams.get('code')), 'Custom Reason', { 'X-Origin': 'node', 'Content-Type': 'text/plain' });
      res.end('the origin says ' + url.searchParams.get('code'));
      return;
    case 'sni':
      // The server name the client's TLS handshake named (SNI), or "none" (and on plain HTTP, "plain").
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(tls ? String(req.socket.servername || 'none') : 'plain');
      return;
    case 'page.html':
      // A page for the browser tests: its scripts open WebSockets to the same origin (the proxy's, to Chromium).
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><head><title>origin page</title></head><body>served by the origin</body></html>');
      return;
    default:
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('no such thing at the origin: ' + req.url);
  }
};
const server = tls ? https.createServer(tls, handler) : http.createServer(handler);

// WebSocket origin: echoes, and obeys a few commands (sent as text) that tests use to make it misbehave. Every
// close it sees is printed ("closed <code> <reason>"), so a test can tell what reached it.
const wss = new WebSocketServer({
  noServer: true,
  handleProtocols: (protocols) => (protocols.has('v2') ? 'v2' : protocols.has('v1') ? 'v1' : false),
});
server.on('upgrade', (req, socket, head) => {
  if (last(req.url) === 'refuse') {
    socket.end('HTTP/1.1 401 Unauthorized\r\nX-Why: token\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nno token, no');
    return;
  }
  if (last(req.url) === 'hang') {
    return; // never answers the handshake
  }
  wss.handleUpgrade(req, socket, head, ws => wss.emit('connection', ws, req));
});
wss.on('connection', (ws, req) => {
  let received = 0;
  ws.on('close', (code, reason) => console.log('closed ' + code + ' ' + reason.toString()));
  ws.on('message', (data, isBinary) => {
    received++;
    const text = isBinary ? null : data.toString();
    if (text === 'handshake') {
      ws.send(JSON.stringify({ url: req.url, headers: req.headers, protocol: ws.protocol,
        servername: req.socket.servername || null }));
    } else if (text && text.startsWith('close:')) {
      const [, code, reason] = text.split(':');
      ws.close(Number(code), reason || '');
    } else if (text === 'drop') {
      ws._socket.destroy();
    } else if (text === 'garbage') {
      ws._socket.write(Buffer.from([0x8f, 0x00])); // opcode 0xF: reserved, a protocol error
    } else if (text && text.startsWith('big:')) {
      ws.send('x'.repeat(Number(text.split(':')[1])));
    } else if (text && text.startsWith('flood:')) {
      const count = Number(text.split(':')[1]);
      for (let i = 0; i < count; i++) ws.send('m' + i);
    } else if (text && text.startsWith('deaf:')) {
      // Stops reading (so answers no ping) for the given milliseconds.
      ws._socket.pause();
      setTimeout(() => ws._socket.resume(), Number(text.split(':')[1]));
    } else if (text === 'count') {
      ws.send('received ' + received);
    } else {
      ws.send(data, { binary: isBinary });
    }
  });
});

const garbage = net.createServer(socket => {
  socket.once('data', () => socket.end('THIS IS NOT HTTP\r\n\r\n'));
  socket.on('error', () => {});
});

server.listen(httpPort, '127.0.0.1', () => garbage.listen(garbagePort, '127.0.0.1', () => console.log('listening')));
