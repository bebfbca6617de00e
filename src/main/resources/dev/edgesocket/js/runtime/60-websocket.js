// WebSocket: the server side of a socket the handler accepted with request.upgradeWebSocket(). Java
// (SocketBridge) raises its events through rt.socketEvent.
(function (ops, rt) {
  "use strict";
  // The runtime's own classes, bound now: a script that replaces a global does not change the runtime.
  const { EventTarget, Event, MessageEvent, CloseEvent, ErrorEvent, DOMException, Blob } = globalThis;
  // A socket's handle and what it keeps: protocol and url (fixed at the upgrade), binaryType.
  const SOCKET = Symbol("WebSocket.state");
  const READY = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"];

  class WebSocket extends EventTarget {
    constructor() {
      throw new TypeError("edgesocket scripts accept WebSockets with request.upgradeWebSocket(); they do not open them.");
    }
    get readyState() { return ops.op_ws_ready_state(this[SOCKET].handle); }
    get protocol() { return this[SOCKET].protocol; }
    get url() { return this[SOCKET].url; }
    get extensions() { return ""; }
    get bufferedAmount() { return ops.op_ws_buffered_amount(this[SOCKET].handle); }
    get binaryType() { return this[SOCKET].binaryType; }
    set binaryType(t) { if (t === "arraybuffer" || t === "blob") this[SOCKET].binaryType = t; }
    send(data) {
      const handle = this[SOCKET].handle;
      let problem;
      if (typeof data === "string") problem = ops.op_ws_send_text(handle, data);
      else if (data instanceof Blob) {
        const bytes = rt.blobBytes(data);
        problem = ops.op_ws_send_binary(handle, bytes.buffer, bytes.byteOffset, bytes.byteLength);
      } else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
        const [buf, off, len] = rt.bytesOf(data);
        problem = ops.op_ws_send_binary(handle, buf, off, len);
      } else problem = ops.op_ws_send_text(handle, String(data));
      if (problem) throw new DOMException(problem, "InvalidStateError");
    }
    close(code, reason) {
      // The browser's rule for scripts' close codes is stricter; the Java API's (RFC 6455's) is kept, as Bunny's
      // runtime does.
      const problem = ops.op_ws_close(this[SOCKET].handle, code === undefined ? -1 : Number(code),
        reason === undefined ? "" : String(reason));
      if (problem) throw new DOMException(problem, problem.startsWith("A close reason") ? "SyntaxError" : "InvalidAccessError");
    }
  }
  READY.forEach((name, i) => {
    Object.defineProperty(WebSocket, name, { value: i, enumerable: true });
    Object.defineProperty(WebSocket.prototype, name, { value: i, enumerable: true });
  });

  // The script's object for a socket the server accepted (the constructor is for the clients scripts cannot open).
  rt.newSocket = function newSocket(handle) {
    const s = Object.create(WebSocket.prototype);
    rt.initEventTarget(s);
    rt.hidden(s, { [SOCKET]: { handle, protocol: ops.op_ws_protocol(handle), url: ops.op_ws_url(handle),
      binaryType: "arraybuffer" } });
    s.onopen = null; s.onmessage = null; s.onclose = null; s.onerror = null;
    return s;
  };

  rt.socketEvent = function socketEvent(s, type, a, b, c) {
    let event;
    if (type === "message") {
      let data = a;
      if (typeof a !== "string") {
        const ab = new ArrayBuffer(a);
        data = s[SOCKET].binaryType === "blob" ? new Blob([ab]) : ab;
      }
      event = new MessageEvent("message", { data, origin: b });
    } else if (type === "close") event = new CloseEvent("close", { code: a, reason: b, wasClean: c });
    else if (type === "error") event = new ErrorEvent("error", { message: a });
    else event = new Event(type);
    Object.defineProperty(event, "isTrusted", { value: true });
    s.dispatchEvent(event);
  };

  rt.hidden(globalThis, { WebSocket });
})
