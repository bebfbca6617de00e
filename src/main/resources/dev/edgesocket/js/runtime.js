// The web-shaped globals of a JavaScript zone, built on a few native functions (see Realm.java).
// Evaluated once per context; returns the entry points the Java side calls.
(function (native) {
  "use strict";
  const g = globalThis;
  const hidden = (obj, props) => {
    for (const k of Object.keys(props)) {
      Object.defineProperty(obj, k, { value: props[k], writable: true, configurable: true, enumerable: false });
    }
  };

  // ------------------------------------------------------------------ console
  function inspect(v, depth) {
    if (typeof v === "string") return depth ? JSON.stringify(v) : v;
    if (v instanceof Error) return v.stack || String(v);
    if (typeof v === "function") return "[Function " + (v.name || "anonymous") + "]";
    if (v === undefined || v === null || typeof v !== "object") return String(v);
    if (v instanceof Uint8Array) return "Uint8Array(" + v.length + ")";
    if (v instanceof ArrayBuffer) return "ArrayBuffer(" + v.byteLength + ")";
    try {
      return JSON.stringify(v);
    } catch (e) {
      return String(v);
    }
  }
  function format(args) {
    return Array.prototype.map.call(args, (a) => inspect(a, false)).join(" ");
  }
  const console = {};
  for (const [name, level] of [["log", "info"], ["info", "info"], ["debug", "debug"], ["trace", "debug"],
      ["warn", "warn"], ["error", "error"]]) {
    console[name] = function () { native.log(level, format(arguments)); };
  }
  hidden(g, { console });

  // The last exception a callback threw, set first thing in its catch (a plain write, which the watchdog's
  // interrupt cannot preempt): if it was the interrupt, it fires again at the next call and Java reads the
  // runaway code's frames from here, to log its line.
  const caught = { e: undefined };
  function report(where, e) {
    if (native.stopping()) throw e;
    caught.e = undefined;
    native.reportError(where, e instanceof Error ? (e.stack || String(e)) : "Uncaught " + inspect(e, true));
  }

  // ------------------------------------------------------------------ timers, microtasks
  const timers = new Map();
  let nextTimer = 1;
  function addTimer(fn, ms, args, repeat) {
    if (typeof fn !== "function") throw new TypeError("The callback must be a function.");
    const id = nextTimer++;
    ms = Math.max(0, Math.floor(Number(ms) || 0));
    timers.set(id, { fn, args, repeat, ms });
    native.schedule(id, ms);
    return id;
  }
  function clearTimer(id) {
    if (timers.delete(id)) native.cancel(id);
  }
  function fireTimer(id) {
    const t = timers.get(id);
    if (!t) return;
    if (t.repeat) native.schedule(id, t.ms); else timers.delete(id);
    try {
      t.fn.apply(undefined, t.args);
    } catch (e) {
      caught.e = e;
      report("A timer callback", e);
    }
  }
  hidden(g, {
    setTimeout: (fn, ms, ...args) => addTimer(fn, ms, args, false),
    setInterval: (fn, ms, ...args) => addTimer(fn, ms, args, true),
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    queueMicrotask: (fn) => {
      if (typeof fn !== "function") throw new TypeError("queueMicrotask needs a function.");
      Promise.resolve().then(() => { try { fn(); } catch (e) { caught.e = e; report("A microtask", e); } });
    },
  });

  // ------------------------------------------------------------------ bytes
  function bytesOf(data) {
    // [arrayBuffer, offset, length] of an ArrayBuffer or a view.
    if (data instanceof ArrayBuffer) return [data, 0, data.byteLength];
    if (ArrayBuffer.isView(data)) return [data.buffer, data.byteOffset, data.byteLength];
    throw new TypeError("Expected an ArrayBuffer or an ArrayBufferView.");
  }
  function copyBytes(data) {
    const [buf, off, len] = bytesOf(data);
    return new Uint8Array(buf, off, len).slice();
  }
  class TextEncoder {
    get encoding() { return "utf-8"; }
    encode(input = "") { return new Uint8Array(new ArrayBuffer(native.utf8Encode(String(input)))).slice(); }
    encodeInto(input, dest) {
      const bytes = this.encode(input);
      const n = Math.min(bytes.length, dest.length);
      dest.set(bytes.subarray(0, n));
      return { read: String(input).length, written: n };
    }
  }
  class TextDecoder {
    constructor(label = "utf-8", options = {}) {
      const l = String(label).toLowerCase();
      if (l !== "utf-8" && l !== "utf8" && l !== "unicode-1-1-utf-8") throw new RangeError("Only utf-8 is supported, got " + label + ".");
      this.fatal = !!(options && options.fatal);
      this.ignoreBOM = !!(options && options.ignoreBOM);
    }
    get encoding() { return "utf-8"; }
    decode(input) {
      if (input === undefined) return "";
      const [buf, off, len] = bytesOf(input);
      const text = native.utf8Decode(buf, off, len, this.fatal);
      if (text === null) throw new TypeError("The encoded data was not valid utf-8.");
      return !this.ignoreBOM && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    }
  }
  class Blob {
    constructor(parts = [], options = {}) {
      const chunks = [];
      let size = 0;
      for (const p of parts) {
        const b = p instanceof Blob ? p._bytes : typeof p === "string" ? new TextEncoder().encode(p) : copyBytes(p);
        chunks.push(b);
        size += b.length;
      }
      const all = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) { all.set(c, at); at += c.length; }
      hidden(this, { _bytes: all });
      this.type = options && options.type ? String(options.type).toLowerCase() : "";
    }
    get size() { return this._bytes.length; }
    arrayBuffer() { return Promise.resolve(this._bytes.slice().buffer); }
    bytes() { return Promise.resolve(this._bytes.slice()); }
    text() { return Promise.resolve(new TextDecoder().decode(this._bytes)); }
    slice(start, end, type) { return new Blob([this._bytes.slice(start, end)], { type: type || "" }); }
  }
  hidden(g, { TextEncoder, TextDecoder, Blob });

  // ------------------------------------------------------------------ URL
  const URL_RE = /^([a-zA-Z][a-zA-Z0-9+.-]*:)(?:\/\/(?:([^:@\/?#]*)(?::([^@\/?#]*))?@)?(\[[^\]]*\]|[^:\/?#]*)(?::(\d*))?)?([^?#]*)(\?[^#]*)?(#.*)?$/;
  const DEFAULT_PORTS = { "http:": "80", "https:": "443", "ws:": "80", "wss:": "443" };
  function normalizePath(p) {
    const out = [];
    for (const seg of p.split("/").slice(1)) {
      if (seg === "..") out.pop(); else if (seg !== ".") out.push(seg);
    }
    const last = p.split("/").pop();
    return "/" + out.join("/") + (last === "." || last === ".." ? "/" : "");
  }
  class URLSearchParams {
    constructor(init = "") {
      hidden(this, { _list: [], _url: null });
      if (typeof init === "string") {
        const s = init.startsWith("?") ? init.slice(1) : init;
        for (const pair of s.split("&")) {
          if (!pair) continue;
          const i = pair.indexOf("=");
          const dec = (x) => { try { return decodeURIComponent(x.replace(/\+/g, " ")); } catch (e) { return x; } };
          this._list.push(i < 0 ? [dec(pair), ""] : [dec(pair.slice(0, i)), dec(pair.slice(i + 1))]);
        }
      } else if (init && typeof init[Symbol.iterator] === "function") {
        for (const [k, v] of init) this._list.push([String(k), String(v)]);
      } else if (init && typeof init === "object") {
        for (const k of Object.keys(init)) this._list.push([k, String(init[k])]);
      }
    }
    _changed() { if (this._url) this._url._search = this._list.length ? "?" + this.toString() : ""; }
    get size() { return this._list.length; }
    append(k, v) { this._list.push([String(k), String(v)]); this._changed(); }
    delete(k) { this._list = this._list.filter(([n]) => n !== String(k)); this._changed(); }
    get(k) { const e = this._list.find(([n]) => n === String(k)); return e ? e[1] : null; }
    getAll(k) { return this._list.filter(([n]) => n === String(k)).map(([, v]) => v); }
    has(k) { return this._list.some(([n]) => n === String(k)); }
    set(k, v) {
      const i = this._list.findIndex(([n]) => n === String(k));
      if (i < 0) this._list.push([String(k), String(v)]);
      else { this._list[i] = [String(k), String(v)]; this._list = this._list.filter(([n], j) => j <= i || n !== String(k)); }
      this._changed();
    }
    sort() { this._list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)); this._changed(); }
    forEach(fn, self) { for (const [k, v] of this._list) fn.call(self, v, k, this); }
    entries() { return this._list.map((e) => e.slice())[Symbol.iterator](); }
    keys() { return this._list.map(([k]) => k)[Symbol.iterator](); }
    values() { return this._list.map(([, v]) => v)[Symbol.iterator](); }
    [Symbol.iterator]() { return this.entries(); }
    toString() {
      const enc = (x) => encodeURIComponent(x).replace(/%20/g, "+");
      return this._list.map(([k, v]) => enc(k) + "=" + enc(v)).join("&");
    }
  }
  class URL {
    constructor(url, base) {
      url = String(url).trim();
      let m = URL_RE.exec(url);
      if (!m && base !== undefined) {
        const b = new URL(base);
        if (url.startsWith("//")) m = URL_RE.exec(b.protocol + url);
        else if (url.startsWith("/")) m = URL_RE.exec(b.origin + url);
        else if (url.startsWith("?")) m = URL_RE.exec(b.origin + b.pathname + url);
        else if (url.startsWith("#")) m = URL_RE.exec(b.origin + b.pathname + b.search + url);
        else m = URL_RE.exec(b.origin + b.pathname.replace(/[^/]*$/, "") + url);
      }
      if (!m) throw new TypeError("Invalid URL: " + url);
      const protocol = m[1].toLowerCase();
      hidden(this, {
        _protocol: protocol, _username: m[2] || "", _password: m[3] || "",
        _hostname: (m[4] || "").toLowerCase(),
        _port: m[5] && m[5] !== DEFAULT_PORTS[protocol] ? m[5] : "",
        _pathname: m[4] !== undefined ? normalizePath(m[6] || "/") : m[6],
        _search: m[7] && m[7] !== "?" ? m[7] : "", _hash: m[8] && m[8] !== "#" ? m[8] : "",
        _params: null,
      });
    }
    get protocol() { return this._protocol; }
    get username() { return this._username; }
    get password() { return this._password; }
    get hostname() { return this._hostname; }
    get port() { return this._port; }
    get host() { return this._hostname + (this._port ? ":" + this._port : ""); }
    get origin() { return DEFAULT_PORTS[this._protocol] ? this._protocol + "//" + this.host : "null"; }
    get pathname() { return this._pathname; }
    set pathname(p) { this._pathname = normalizePath(String(p).startsWith("/") ? String(p) : "/" + p); }
    get search() { return this._search; }
    set search(s) { s = String(s); this._search = s && s !== "?" ? (s.startsWith("?") ? s : "?" + s) : ""; this._params = null; }
    get hash() { return this._hash; }
    set hash(h) { h = String(h); this._hash = h && h !== "#" ? (h.startsWith("#") ? h : "#" + h) : ""; }
    get searchParams() {
      if (!this._params) { this._params = new URLSearchParams(this._search); this._params._url = this; }
      return this._params;
    }
    get href() {
      const auth = this._username ? this._username + (this._password ? ":" + this._password : "") + "@" : "";
      const authority = this._hostname || DEFAULT_PORTS[this._protocol] ? "//" + auth + this.host : "";
      return this._protocol + authority + this._pathname + this._search + this._hash;
    }
    toString() { return this.href; }
    toJSON() { return this.href; }
    static canParse(url, base) { try { new URL(url, base); return true; } catch (e) { return false; } }
  }
  hidden(g, { URL, URLSearchParams });

  // ------------------------------------------------------------------ crypto
  hidden(g, {
    crypto: {
      randomUUID: () => native.uuid(),
      getRandomValues: (view) => {
        const bytes = new Uint8Array(new ArrayBuffer(native.randomBytes(view.byteLength)));
        new Uint8Array(view.buffer, view.byteOffset, view.byteLength).set(bytes);
        return view;
      },
    },
  });

  // ------------------------------------------------------------------ events
  class Event {
    constructor(type, init = {}) {
      this.type = String(type);
      this.bubbles = !!init.bubbles;
      this.cancelable = !!init.cancelable;
      this.composed = !!init.composed;
      this.defaultPrevented = false;
      this.timeStamp = Date.now();
      this.target = null;
      this.currentTarget = null;
      this.isTrusted = false;
      this.eventPhase = 0;
    }
    preventDefault() { if (this.cancelable) this.defaultPrevented = true; }
    stopPropagation() {}
    stopImmediatePropagation() { hidden(this, { _stop: true }); }
    composedPath() { return this.target ? [this.target] : []; }
  }
  class MessageEvent extends Event {
    constructor(type, init = {}) {
      super(type, init);
      this.data = init.data === undefined ? null : init.data;
      this.origin = init.origin || "";
      this.lastEventId = init.lastEventId || "";
      this.source = init.source || null;
      this.ports = init.ports || [];
    }
  }
  class CloseEvent extends Event {
    constructor(type, init = {}) {
      super(type, init);
      this.code = init.code || 0;
      this.reason = init.reason || "";
      this.wasClean = !!init.wasClean;
    }
  }
  class ErrorEvent extends Event {
    constructor(type, init = {}) {
      super(type, init);
      this.message = init.message || "";
      this.error = init.error;
    }
  }
  class EventTarget {
    constructor() { hidden(this, { _listeners: new Map() }); }
    addEventListener(type, listener, options) {
      if (listener === null || listener === undefined) return;
      const once = typeof options === "object" && options !== null && !!options.once;
      const capture = typeof options === "boolean" ? options : !!(options && options.capture);
      let list = this._listeners.get(type);
      if (!list) { list = []; this._listeners.set(type, list); }
      if (list.some((l) => l.listener === listener && l.capture === capture)) return;
      list.push({ listener, capture, once, removed: false });
    }
    removeEventListener(type, listener, options) {
      const capture = typeof options === "boolean" ? options : !!(options && options.capture);
      const list = this._listeners.get(type);
      if (!list) return;
      const i = list.findIndex((l) => l.listener === listener && l.capture === capture);
      if (i >= 0) { list[i].removed = true; list.splice(i, 1); }
    }
    dispatchEvent(event) {
      const list = this._listeners.get(event.type);
      Object.defineProperty(event, "target", { value: this, configurable: true });
      Object.defineProperty(event, "currentTarget", { value: this, configurable: true });
      const handler = this["on" + event.type];
      const all = list ? list.slice() : [];
      if (typeof handler === "function") all.push({ listener: handler, once: false, removed: false });
      for (const l of all) {
        if (l.removed) continue;
        if (l.once) this.removeEventListener(event.type, l.listener, l.capture);
        try {
          const r = typeof l.listener === "function" ? l.listener.call(this, event) : l.listener.handleEvent(event);
          if (r && typeof r.then === "function") {
            r.then(undefined, (e) => report("An async \"" + event.type + "\" listener", e));
          }
        } catch (e) {
          caught.e = e;
          report("A \"" + event.type + "\" listener", e);
        }
        if (event._stop) break;
      }
      return !event.defaultPrevented;
    }
  }
  hidden(g, { Event, MessageEvent, CloseEvent, ErrorEvent, EventTarget });

  // ------------------------------------------------------------------ Headers, Response, Request
  class Headers {
    constructor(init) {
      hidden(this, { _map: new Map() });
      if (init instanceof Headers) init.forEach((v, k) => this.append(k, v));
      else if (Array.isArray(init)) for (const [k, v] of init) this.append(k, v);
      else if (init && typeof init === "object") for (const k of Object.keys(init)) this.append(k, init[k]);
    }
    append(k, v) {
      k = String(k).toLowerCase();
      v = String(v).trim();
      const old = this._map.get(k);
      this._map.set(k, old === undefined ? v : k === "set-cookie" ? old + "\n" + v : old + ", " + v);
    }
    delete(k) { this._map.delete(String(k).toLowerCase()); }
    get(k) { const v = this._map.get(String(k).toLowerCase()); return v === undefined ? null : v.replace(/\n/g, ", "); }
    getSetCookie() { const v = this._map.get("set-cookie"); return v === undefined ? [] : v.split("\n"); }
    has(k) { return this._map.has(String(k).toLowerCase()); }
    set(k, v) { this._map.set(String(k).toLowerCase(), String(v).trim()); }
    forEach(fn, self) { for (const [k, v] of this._sorted()) fn.call(self, v, k, this); }
    _sorted() { return [...this._map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => [k, v.replace(/\n/g, ", ")]); }
    _lines() {
      const lines = [];
      for (const [k, v] of this._map) {
        if (k === "set-cookie") for (const c of v.split("\n")) lines.push([k, c]);
        else lines.push([k, v]);
      }
      return lines;
    }
    entries() { return this._sorted()[Symbol.iterator](); }
    keys() { return this._sorted().map(([k]) => k)[Symbol.iterator](); }
    values() { return this._sorted().map(([, v]) => v)[Symbol.iterator](); }
    [Symbol.iterator]() { return this.entries(); }
  }
  const UPGRADE = "_upgrade";
  class Response {
    constructor(body = null, init = {}) {
      const status = init.status === undefined ? 200 : Number(init.status);
      if (!(status >= 200 && status <= 599)) throw new RangeError("A Response's status is between 200 and 599, got " + init.status + ".");
      this.status = status;
      this.statusText = init.statusText || "";
      this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
      let bytes = null;
      if (body === null || body === undefined) bytes = null;
      else if (typeof body === "string") {
        bytes = body;
        if (!this.headers.has("content-type")) this.headers.set("content-type", "text/plain;charset=UTF-8");
      } else if (body instanceof Blob) {
        bytes = body._bytes;
        if (body.type && !this.headers.has("content-type")) this.headers.set("content-type", body.type);
      } else if (body instanceof URLSearchParams) {
        bytes = body.toString();
        if (!this.headers.has("content-type")) this.headers.set("content-type", "application/x-www-form-urlencoded;charset=UTF-8");
      } else bytes = copyBytes(body);
      hidden(this, { _body: bytes, [UPGRADE]: null });
    }
    get ok() { return this.status >= 200 && this.status < 300; }
    get bodyUsed() { return false; }
    text() { return Promise.resolve(this._body === null ? "" : typeof this._body === "string" ? this._body : new TextDecoder().decode(this._body)); }
    json() { return this.text().then(JSON.parse); }
    arrayBuffer() { return Promise.resolve(typeof this._body === "string" ? new TextEncoder().encode(this._body).buffer : this._body ? this._body.slice().buffer : new ArrayBuffer(0)); }
    static json(data, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
      return new Response(JSON.stringify(data), Object.assign({}, init, { headers }));
    }
    static error() { return new Response(null, { status: 500 }); }
  }
  function toNativeResponse(r) {
    if (!(r instanceof Response)) return null;
    let body = r._body;
    if (body !== null && typeof body !== "string") body = bytesOf(body);
    return { upgrade: r[UPGRADE] !== null, status: r.status, headers: r.headers._lines(), body: body };
  }

  const READY = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"];
  class WebSocket extends EventTarget {
    constructor() {
      throw new TypeError("edgesocket scripts accept WebSockets with request.upgradeWebSocket(); they do not open them.");
    }
    get readyState() { return this._native.readyState(); }
    get protocol() { return this._native.protocol; }
    get url() { return this._native.url; }
    get extensions() { return this._native.extensions; }
    get bufferedAmount() { return this._native.bufferedAmount(); }
    get binaryType() { return this._binaryType; }
    set binaryType(t) { if (t === "arraybuffer" || t === "blob") this._binaryType = t; }
    send(data) {
      let problem;
      if (typeof data === "string") problem = this._native.send(data);
      else if (data instanceof Blob) problem = this._native.sendBinary(data._bytes.buffer, data._bytes.byteOffset, data._bytes.byteLength);
      else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
        const [buf, off, len] = bytesOf(data);
        problem = this._native.sendBinary(buf, off, len);
      } else problem = this._native.send(String(data));
      if (problem) throw new DOMException(problem, "InvalidStateError");
    }
    close(code, reason) {
      if (code !== undefined && code !== 1000 && !(code >= 3000 && code <= 4999)) {
        // The browser's rule for scripts is stricter; the Java API's (RFC 6455's) is kept, as Bunny's runtime does.
      }
      const problem = this._native.close(code === undefined ? -1 : Number(code), reason === undefined ? "" : String(reason));
      if (problem) throw new DOMException(problem, problem.startsWith("A close reason") ? "SyntaxError" : "InvalidAccessError");
    }
  }
  READY.forEach((name, i) => {
    Object.defineProperty(WebSocket, name, { value: i, enumerable: true });
    Object.defineProperty(WebSocket.prototype, name, { value: i, enumerable: true });
  });
  function newSocket(nativeSocket) {
    const s = Object.create(WebSocket.prototype);
    hidden(s, { _listeners: new Map(), _native: nativeSocket, _binaryType: "arraybuffer" });
    s.onopen = null; s.onmessage = null; s.onclose = null; s.onerror = null;
    return s;
  }
  function socketEvent(s, type, a, b, c) {
    let event;
    if (type === "message") {
      let data = a;
      if (typeof a !== "string") {
        const ab = new ArrayBuffer(a);
        data = s._binaryType === "blob" ? new Blob([ab]) : ab;
      }
      event = new MessageEvent("message", { data, origin: b });
    } else if (type === "close") event = new CloseEvent("close", { code: a, reason: b, wasClean: c });
    else if (type === "error") event = new ErrorEvent("error", { message: a });
    else event = new Event(type);
    Object.defineProperty(event, "isTrusted", { value: true });
    s.dispatchEvent(event);
  }

  class DOMException extends Error {
    constructor(message = "", name = "Error") { super(message); this.name = name; }
  }

  class Request {
    constructor(input, init = {}) {
      if (typeof input === "string" || input instanceof URL) {
        hidden(this, { _native: null, _url: String(input), _method: (init.method || "GET").toUpperCase(), _headers: new Headers(init.headers) });
      } else {
        hidden(this, { _native: input, _url: input.url, _method: input.method, _headers: null, _used: false });
      }
    }
    get url() { return this._url; }
    get method() { return this._method; }
    get headers() {
      if (!this._headers) this._headers = new Headers(this._native.headers);
      return this._headers;
    }
    get signal() { return undefined; }
    upgradeWebSocket(options = {}) {
      if (!this._native) throw new TypeError("Only a request the server received can be upgraded.");
      const protocol = options && options.protocol !== undefined ? String(options.protocol) : null;
      const idle = options && options.idleTimeout !== undefined ? Number(options.idleTimeout) : -1;
      const ns = this._native.upgrade(protocol, idle);
      const socket = newSocket(ns);
      ns.bind(socket);
      const response = new Response(null, { status: 200 });
      response.status = 101;
      response[UPGRADE] = socket;
      return { response, socket };
    }
  }
  hidden(g, { Headers, Response, Request, WebSocket, DOMException });

  // BroadcastChannel (HTML, as Deno Deploy has it): every other object of the name, in every context and on every
  // server, gets what one posts. Strings and binary data (ArrayBuffer, views, Blob's bytes are not read: post
  // their ArrayBuffer) go as they are; other values are posted as JSON text and arrive as that text.
  class BroadcastChannel extends EventTarget {
    constructor(name) {
      super();
      if (arguments.length === 0) throw new TypeError("BroadcastChannel needs a name.");
      const n = native.openChannel(String(name), this);
      if (typeof n === "string") throw new DOMException(n, "SyntaxError");
      hidden(this, { _name: String(name), _native: n, _closed: false });
      this.onmessage = null;
      this.onmessageerror = null;
    }
    get name() { return this._name; }
    postMessage(message) {
      if (this._closed) throw new DOMException("BroadcastChannel '" + this._name + "' is closed.", "InvalidStateError");
      let problem;
      if (typeof message === "string") problem = this._native.post(message);
      else if (message instanceof ArrayBuffer || ArrayBuffer.isView(message)) {
        const [buf, off, len] = bytesOf(message);
        problem = this._native.postBinary(buf, off, len);
      } else problem = this._native.post(JSON.stringify(message));
      if (problem) throw new DOMException(problem, "DataCloneError");
    }
    close() {
      if (this._closed) return;
      this._closed = true;
      this._native.close();
    }
  }
  function channelEvent(c, a) {
    if (c._closed) return;
    const event = new MessageEvent("message", { data: typeof a === "string" ? a : new ArrayBuffer(a), origin: "" });
    Object.defineProperty(event, "isTrusted", { value: true });
    c.dispatchEvent(event);
  }
  hidden(g, { BroadcastChannel });

  // ------------------------------------------------------------------ Bunny's SDK and module loading
  const state = { handler: null };
  function serve(a, b) {
    const handler = typeof a === "function" ? a : b;
    if (typeof handler !== "function") throw new TypeError("serve() needs a handler function: serve(async (request) => response).");
    state.handler = handler;
    return { finished: new Promise(() => {}), shutdown: () => Promise.resolve() };
  }
  const sdk = Object.freeze({
    net: Object.freeze({ http: Object.freeze({ serve, servePullZone: serve }) }),
    v1: Object.freeze({ waitUntil: (p) => waitUntil(p) }),
  });
  function waitUntil(p) {
    // The context lives as long as the server: nothing is evicted; a rejection is reported.
    Promise.resolve(p).then(undefined, (e) => report("A promise given to waitUntil", e));
  }
  hidden(g, { Bunny: Object.freeze({ v1: Object.freeze({ waitUntil }) }), BunnySDK: sdk });
  function require(name) {
    if (name === "@bunny.net/edgescript-sdk" || name === "https://esm.sh/@bunny.net/edgescript-sdk") {
      return Object.assign({ __esModule: true, default: sdk }, sdk);
    }
    throw new Error("Module '" + name + "' is not available: edgesocket scripts may import only \"@bunny.net/edgescript-sdk\".");
  }

  function runModule(fn) {
    const module = { exports: {} };
    fn(module.exports, require, module);
    const exported = module.exports.default;
    if (!state.handler && exported && typeof exported.fetch === "function") {
      state.handler = (request) => exported.fetch(request);
    }
    return state.handler !== null;
  }

  function serveEntry(nativeRequest, done) {
    let result;
    try {
      result = state.handler(new Request(nativeRequest));
    } catch (e) {
      caught.e = e;
      if (native.stopping()) throw e;
      caught.e = undefined;
      done.fail(e, e instanceof Error ? e.stack || String(e) : "Uncaught " + inspect(e, true));
      return;
    }
    Promise.resolve(result).then(
      (r) => {
        const n = toNativeResponse(r);
        if (n === null) done.fail(null, "The handler resolved to " + inspect(r, true) + ", not a Response.");
        else done.ok(n);
      },
      (e) => done.fail(e, e instanceof Error ? e.stack || String(e) : "Uncaught " + inspect(e, true)));
  }

  return { runModule, serveEntry, socketEvent, fireTimer, caught, channelEvent };
})
