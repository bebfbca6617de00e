// URL and URLSearchParams: the parts scripts read (http, https, ws, wss and relative references).
(function (ops, rt) {
  "use strict";
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

  // A URLSearchParams' pairs, and the URL whose search it writes back to (null when it has none).
  const PARAMS = Symbol("URLSearchParams.state");
  // A URL's parts.
  const PARTS = Symbol("URL.state");

  function changed(params) {
    const s = params[PARAMS];
    if (s.url) s.url[PARTS].search = s.list.length ? "?" + params.toString() : "";
  }
  class URLSearchParams {
    constructor(init = "") {
      const s = { list: [], url: null };
      rt.hidden(this, { [PARAMS]: s });
      if (typeof init === "string") {
        const q = init.startsWith("?") ? init.slice(1) : init;
        for (const pair of q.split("&")) {
          if (!pair) continue;
          const i = pair.indexOf("=");
          const dec = (x) => { try { return decodeURIComponent(x.replace(/\+/g, " ")); } catch (e) { return x; } };
          s.list.push(i < 0 ? [dec(pair), ""] : [dec(pair.slice(0, i)), dec(pair.slice(i + 1))]);
        }
      } else if (init && typeof init[Symbol.iterator] === "function") {
        for (const [k, v] of init) s.list.push([String(k), String(v)]);
      } else if (init && typeof init === "object") {
        for (const k of Object.keys(init)) s.list.push([k, String(init[k])]);
      }
    }
    get size() { return this[PARAMS].list.length; }
    append(k, v) { this[PARAMS].list.push([String(k), String(v)]); changed(this); }
    delete(k) { const s = this[PARAMS]; s.list = s.list.filter(([n]) => n !== String(k)); changed(this); }
    get(k) { const e = this[PARAMS].list.find(([n]) => n === String(k)); return e ? e[1] : null; }
    getAll(k) { return this[PARAMS].list.filter(([n]) => n === String(k)).map(([, v]) => v); }
    has(k) { return this[PARAMS].list.some(([n]) => n === String(k)); }
    set(k, v) {
      const s = this[PARAMS];
      const i = s.list.findIndex(([n]) => n === String(k));
      if (i < 0) s.list.push([String(k), String(v)]);
      else { s.list[i] = [String(k), String(v)]; s.list = s.list.filter(([n], j) => j <= i || n !== String(k)); }
      changed(this);
    }
    sort() { this[PARAMS].list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)); changed(this); }
    forEach(fn, self) { for (const [k, v] of this[PARAMS].list) fn.call(self, v, k, this); }
    entries() { return this[PARAMS].list.map((e) => e.slice())[Symbol.iterator](); }
    keys() { return this[PARAMS].list.map(([k]) => k)[Symbol.iterator](); }
    values() { return this[PARAMS].list.map(([, v]) => v)[Symbol.iterator](); }
    [Symbol.iterator]() { return this.entries(); }
    toString() {
      const enc = (x) => encodeURIComponent(x).replace(/%20/g, "+");
      return this[PARAMS].list.map(([k, v]) => enc(k) + "=" + enc(v)).join("&");
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
      rt.hidden(this, {
        [PARTS]: {
          protocol, username: m[2] || "", password: m[3] || "",
          hostname: (m[4] || "").toLowerCase(),
          port: m[5] && m[5] !== DEFAULT_PORTS[protocol] ? m[5] : "",
          pathname: m[4] !== undefined ? normalizePath(m[6] || "/") : m[6],
          search: m[7] && m[7] !== "?" ? m[7] : "", hash: m[8] && m[8] !== "#" ? m[8] : "",
          params: null,
        },
      });
    }
    get protocol() { return this[PARTS].protocol; }
    get username() { return this[PARTS].username; }
    get password() { return this[PARTS].password; }
    get hostname() { return this[PARTS].hostname; }
    get port() { return this[PARTS].port; }
    get host() { return this[PARTS].hostname + (this[PARTS].port ? ":" + this[PARTS].port : ""); }
    get origin() { return DEFAULT_PORTS[this[PARTS].protocol] ? this[PARTS].protocol + "//" + this.host : "null"; }
    get pathname() { return this[PARTS].pathname; }
    set pathname(p) { this[PARTS].pathname = normalizePath(String(p).startsWith("/") ? String(p) : "/" + p); }
    get search() { return this[PARTS].search; }
    set search(s) {
      s = String(s);
      this[PARTS].search = s && s !== "?" ? (s.startsWith("?") ? s : "?" + s) : "";
      this[PARTS].params = null;
    }
    get hash() { return this[PARTS].hash; }
    set hash(h) { h = String(h); this[PARTS].hash = h && h !== "#" ? (h.startsWith("#") ? h : "#" + h) : ""; }
    get searchParams() {
      const parts = this[PARTS];
      if (!parts.params) { parts.params = new URLSearchParams(parts.search); parts.params[PARAMS].url = this; }
      return parts.params;
    }
    get href() {
      const p = this[PARTS];
      const auth = p.username ? p.username + (p.password ? ":" + p.password : "") + "@" : "";
      const authority = p.hostname || DEFAULT_PORTS[p.protocol] ? "//" + auth + this.host : "";
      return p.protocol + authority + p.pathname + p.search + p.hash;
    }
    toString() { return this.href; }
    toJSON() { return this.href; }
    static canParse(url, base) { try { new URL(url, base); return true; } catch (e) { return false; } }
  }
  rt.hidden(globalThis, { URL, URLSearchParams });
})
