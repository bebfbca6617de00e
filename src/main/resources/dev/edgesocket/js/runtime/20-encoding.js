// Bytes: TextEncoder, TextDecoder (UTF-8 only) and Blob; rt.bytesOf, the runtime's one spelling of bytes for
// Java: [arrayBuffer, offset, length].
(function (ops, rt) {
  "use strict";
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
  rt.bytesOf = bytesOf;
  rt.copyBytes = copyBytes;

  class TextEncoder {
    get encoding() { return "utf-8"; }
    encode(input = "") { return new Uint8Array(new ArrayBuffer(ops.op_utf8_encode(String(input)))).slice(); }
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
      const text = ops.op_utf8_decode(buf, off, len, this.fatal);
      if (text === null) throw new TypeError("The encoded data was not valid utf-8.");
      return !this.ignoreBOM && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    }
  }

  // A Blob's bytes (a Uint8Array of its own), read by the other files through rt.blobBytes.
  const BYTES = Symbol("Blob.bytes");
  class Blob {
    constructor(parts = [], options = {}) {
      const chunks = [];
      let size = 0;
      for (const p of parts) {
        const b = p instanceof Blob ? p[BYTES] : typeof p === "string" ? new TextEncoder().encode(p) : copyBytes(p);
        chunks.push(b);
        size += b.length;
      }
      const all = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) { all.set(c, at); at += c.length; }
      rt.hidden(this, { [BYTES]: all });
      this.type = options && options.type ? String(options.type).toLowerCase() : "";
    }
    get size() { return this[BYTES].length; }
    arrayBuffer() { return Promise.resolve(this[BYTES].slice().buffer); }
    bytes() { return Promise.resolve(this[BYTES].slice()); }
    text() { return Promise.resolve(new TextDecoder().decode(this[BYTES])); }
    slice(start, end, type) { return new Blob([this[BYTES].slice(start, end)], { type: type || "" }); }
  }
  rt.blobBytes = (blob) => blob[BYTES];
  rt.hidden(globalThis, { TextEncoder, TextDecoder, Blob });
})
