// Event, MessageEvent, CloseEvent, ErrorEvent, EventTarget and DOMException. A listener's exception (or its
// promise's rejection) is reported, and the other listeners still run.
(function (ops, rt) {
  "use strict";
  const caught = rt.caught;
  // Set by stopImmediatePropagation: no further listener of this dispatch runs.
  const STOP = Symbol("Event.stopImmediate");
  // An EventTarget's listeners by type.
  const LISTENERS = Symbol("EventTarget.listeners");

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
    stopImmediatePropagation() { rt.hidden(this, { [STOP]: true }); }
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

  // Makes obj an EventTarget without running a constructor (for objects the runtime makes, such as sockets).
  function initEventTarget(obj) {
    rt.hidden(obj, { [LISTENERS]: new Map() });
  }
  rt.initEventTarget = initEventTarget;

  class EventTarget {
    constructor() { initEventTarget(this); }
    addEventListener(type, listener, options) {
      if (listener === null || listener === undefined) return;
      const once = typeof options === "object" && options !== null && !!options.once;
      const capture = typeof options === "boolean" ? options : !!(options && options.capture);
      let list = this[LISTENERS].get(type);
      if (!list) { list = []; this[LISTENERS].set(type, list); }
      if (list.some((l) => l.listener === listener && l.capture === capture)) return;
      list.push({ listener, capture, once, removed: false });
    }
    removeEventListener(type, listener, options) {
      const capture = typeof options === "boolean" ? options : !!(options && options.capture);
      const list = this[LISTENERS].get(type);
      if (!list) return;
      const i = list.findIndex((l) => l.listener === listener && l.capture === capture);
      if (i >= 0) { list[i].removed = true; list.splice(i, 1); }
    }
    dispatchEvent(event) {
      const list = this[LISTENERS].get(event.type);
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
            r.then(undefined, (e) => rt.report("An async \"" + event.type + "\" listener", e));
          }
        } catch (e) {
          caught.e = e;
          rt.report("A \"" + event.type + "\" listener", e);
        }
        if (event[STOP]) break;
      }
      return !event.defaultPrevented;
    }
  }

  class DOMException extends Error {
    constructor(message = "", name = "Error") { super(message); this.name = name; }
  }
  rt.hidden(globalThis, { Event, MessageEvent, CloseEvent, ErrorEvent, EventTarget, DOMException });
})
