// Headers, Response and Request, with their bodies: what a handler receives and returns. Java (RequestBridge)
// hands over the request being answered as a handle ("exchange") and reads the response in a plain shape
// (rt.toNativeResponse).
(function (ops, rt) {
  "use strict";
  // The runtime's own classes, bound now: a script that replaces a global does not change the runtime.
  const { Blob, URL, URLSearchParams, TextEncoder, TextDecoder } = globalThis;
  // A Headers' values by lower-case name; set-cookie's several values joined by "\n".
  const MAP = Symbol("Headers.map");
  // A Response's body (null, a string or a Uint8Array) and, for an upgrade, its socket.
  const BODY = Symbol("Response.body");
  const UPGRADE = Symbol("Response.upgrade");
  // For the origin's answer to a middleware's request: the server's Java Response, whose body streams from the
  // origin to the client unread (RequestBridge keeps that body for whatever status and headers the script leaves).
  const ORIGIN = Symbol("Response.origin");
  // A Request's state: the exchange handle (only for the request the server received), the link (the exchange of
  // the received request it was made from, by which it can go to the origin), url, method, headers.
  const REQUEST = Symbol("Request.state");

  // [name, value] pairs, sorted by name, set-cookie's values joined as get() joins them.
  function sorted(headers) {
    return [...headers[MAP].entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => [k, v.replace(/\n/g, ", ")]);
  }
  // The header lines to send: each set-cookie value on a line of its own.
  function lines(headers) {
    const out = [];
    for (const [k, v] of headers[MAP]) {
      if (k === "set-cookie") for (const c of v.split("\n")) out.push([k, c]);
      else out.push([k, v]);
    }
    return out;
  }
  class Headers {
    constructor(init) {
      rt.hidden(this, { [MAP]: new Map() });
      if (init instanceof Headers) init.forEach((v, k) => this.append(k, v));
      else if (Array.isArray(init)) for (const [k, v] of init) this.append(k, v);
      else if (init && typeof init === "object") for (const k of Object.keys(init)) this.append(k, init[k]);
    }
    append(k, v) {
      k = String(k).toLowerCase();
      v = String(v).trim();
      const old = this[MAP].get(k);
      this[MAP].set(k, old === undefined ? v : k === "set-cookie" ? old + "\n" + v : old + ", " + v);
    }
    delete(k) { this[MAP].delete(String(k).toLowerCase()); }
    get(k) { const v = this[MAP].get(String(k).toLowerCase()); return v === undefined ? null : v.replace(/\n/g, ", "); }
    getSetCookie() { const v = this[MAP].get("set-cookie"); return v === undefined ? [] : v.split("\n"); }
    has(k) { return this[MAP].has(String(k).toLowerCase()); }
    set(k, v) { this[MAP].set(String(k).toLowerCase(), String(v).trim()); }
    forEach(fn, self) { for (const [k, v] of sorted(this)) fn.call(self, v, k, this); }
    entries() { return sorted(this)[Symbol.iterator](); }
    keys() { return sorted(this).map(([k]) => k)[Symbol.iterator](); }
    values() { return sorted(this).map(([, v]) => v)[Symbol.iterator](); }
    [Symbol.iterator]() { return this.entries(); }
  }

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
        bytes = rt.blobBytes(body);
        if (body.type && !this.headers.has("content-type")) this.headers.set("content-type", body.type);
      } else if (body instanceof URLSearchParams) {
        bytes = body.toString();
        if (!this.headers.has("content-type")) this.headers.set("content-type", "application/x-www-form-urlencoded;charset=UTF-8");
      } else bytes = rt.copyBytes(body);
      rt.hidden(this, { [BODY]: bytes, [UPGRADE]: null, [ORIGIN]: null });
    }
    get ok() { return this.status >= 200 && this.status < 300; }
    get bodyUsed() { return false; }
    text() {
      if (this[ORIGIN] !== null) return Promise.reject(unreadable());
      const body = this[BODY];
      return Promise.resolve(body === null ? "" : typeof body === "string" ? body : new TextDecoder().decode(body));
    }
    json() { return this.text().then(JSON.parse); }
    arrayBuffer() {
      if (this[ORIGIN] !== null) return Promise.reject(unreadable());
      const body = this[BODY];
      return Promise.resolve(typeof body === "string" ? new TextEncoder().encode(body).buffer : body ? body.slice().buffer : new ArrayBuffer(0));
    }
    static json(data, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
      return new Response(JSON.stringify(data), Object.assign({}, init, { headers }));
    }
    static error() { return new Response(null, { status: 500 }); }
  }

  function unreadable() {
    return new TypeError("The body of the origin's response streams to the client and cannot be read by the script "
      + "yet: change its status and headers, or answer with a new Response.");
  }

  // The origin's answer to a middleware's request (rt.originAnswer): its status and headers, and either the Java
  // response whose body streams through (origin) or a body the server holds (held: a refusal's, a 502's sentence).
  rt.originResponse = function originResponse(origin, status, headerLines, held) {
    const response = Object.create(Response.prototype);
    response.status = status;
    response.statusText = "";
    response.headers = new Headers(headerLines);
    rt.hidden(response, { [BODY]: held === null || held === undefined ? null : held, [UPGRADE]: null,
      [ORIGIN]: held === null || held === undefined ? origin : null });
    return response;
  };

  // What RequestBridge.respond reads: {upgrade, origin, status, headers: [[name, value]...], body}; null for a
  // non-Response.
  rt.toNativeResponse = function toNativeResponse(r) {
    if (!(r instanceof Response)) return null;
    let body = r[BODY];
    if (body !== null && typeof body !== "string") body = rt.bytesOf(body);
    return { upgrade: r[UPGRADE] !== null, origin: r[ORIGIN], status: r.status, headers: lines(r.headers), body: body };
  };

  class Request {
    constructor(input, init = {}) {
      init = init || {};
      if (typeof input === "string" || input instanceof URL) {
        rt.hidden(this, { [REQUEST]: { exchange: null, link: null, url: String(input),
          method: (init.method || "GET").toUpperCase(), headers: new Headers(init.headers), headersInit: null } });
      } else {
        // Another request (or an object shaped like one): its url, method and headers, init's replacing them (the
        // Fetch standard's order). Made from the request the server received, it keeps the link to it, so it can
        // go to the origin in its place.
        const from = input instanceof Request ? input[REQUEST] : null;
        const link = from ? from.exchange || from.link : null;
        rt.hidden(this, { [REQUEST]: { exchange: null, link, url: input.url,
          method: init.method !== undefined ? String(init.method).toUpperCase() : input.method,
          headers: new Headers(init.headers !== undefined ? init.headers : input.headers), headersInit: null } });
      }
    }
    get url() { return this[REQUEST].url; }
    get method() { return this[REQUEST].method; }
    get headers() {
      const s = this[REQUEST];
      if (!s.headers) s.headers = new Headers(s.headersInit);
      return s.headers;
    }
    get signal() { return undefined; }
    upgradeWebSocket(options = {}) {
      const exchange = this[REQUEST].exchange;
      if (!exchange) throw new TypeError("Only a request the server received can be upgraded.");
      const protocol = options && options.protocol !== undefined ? String(options.protocol) : null;
      const idle = options && options.idleTimeout !== undefined ? Number(options.idleTimeout) : -1;
      const handle = ops.op_request_upgrade(exchange, protocol, idle);
      const socket = rt.newSocket(handle);
      ops.op_ws_bind(handle, socket);
      const response = new Response(null, { status: 200 });
      response.status = 101;
      response[UPGRADE] = socket;
      return { response, socket };
    }
  }

  // The request the server received: headerLines are [name, value] pairs, read into Headers when first asked.
  rt.incomingRequest = function incomingRequest(exchange, url, method, headerLines) {
    const request = Object.create(Request.prototype);
    rt.hidden(request, { [REQUEST]: { exchange, link: null, url, method, headers: null, headersInit: headerLines } });
    return request;
  };

  // What goes to the origin for a middleware's request: the exchange of the received request it stands for, its
  // method, URL and header lines; null for a request made from a URL.
  rt.forwardable = function forwardable(request) {
    if (!(request instanceof Request)) return null;
    const s = request[REQUEST];
    const exchange = s.exchange || s.link;
    if (!exchange) return null;
    return { exchange, method: s.method, url: s.url, headers: lines(request.headers) };
  };

  rt.hidden(globalThis, { Headers, Response, Request });
})
