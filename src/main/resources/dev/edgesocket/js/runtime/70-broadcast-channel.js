// BroadcastChannel (HTML, as Deno Deploy has it): every other object of the name, in every context and on every
// server, gets what one posts. Strings and binary data (ArrayBuffer, views; a Blob's bytes are not read: post
// its ArrayBuffer) go as they are; other values are posted as JSON text and arrive as that text. Java
// (ChannelBridge) raises messages through rt.channelEvent.
(function (ops, rt) {
  "use strict";
  // The runtime's own classes, bound now: a script that replaces a global does not change the runtime.
  const { EventTarget, MessageEvent, DOMException } = globalThis;
  // A channel's name, handle and whether the script closed it.
  const CHANNEL = Symbol("BroadcastChannel.state");

  class BroadcastChannel extends EventTarget {
    constructor(name) {
      super();
      if (arguments.length === 0) throw new TypeError("BroadcastChannel needs a name.");
      const handle = ops.op_channel_open(String(name), this);
      if (typeof handle === "string") throw new DOMException(handle, "SyntaxError");
      rt.hidden(this, { [CHANNEL]: { name: String(name), handle, closed: false } });
      this.onmessage = null;
      this.onmessageerror = null;
    }
    get name() { return this[CHANNEL].name; }
    postMessage(message) {
      const c = this[CHANNEL];
      if (c.closed) throw new DOMException("BroadcastChannel '" + c.name + "' is closed.", "InvalidStateError");
      let problem;
      if (typeof message === "string") problem = ops.op_channel_post_text(c.handle, message);
      else if (message instanceof ArrayBuffer || ArrayBuffer.isView(message)) {
        const [buf, off, len] = rt.bytesOf(message);
        problem = ops.op_channel_post_binary(c.handle, buf, off, len);
      } else problem = ops.op_channel_post_text(c.handle, JSON.stringify(message));
      if (problem) throw new DOMException(problem, "DataCloneError");
    }
    close() {
      const c = this[CHANNEL];
      if (c.closed) return;
      c.closed = true;
      ops.op_channel_close(c.handle);
    }
  }

  rt.channelEvent = function channelEvent(c, a) {
    if (c[CHANNEL].closed) return;
    const event = new MessageEvent("message", { data: typeof a === "string" ? a : new ArrayBuffer(a), origin: "" });
    Object.defineProperty(event, "isTrusted", { value: true });
    c.dispatchEvent(event);
  };

  rt.hidden(globalThis, { BroadcastChannel });
})
