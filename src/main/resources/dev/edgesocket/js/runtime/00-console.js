// console, and how the runtime reports what a script's callback threw.
//
// Every file of the runtime is one function expression of (ops, rt), run once per context in the order of
// RuntimeScripts.FILES: ops are the natives Natives.java declares (grep an op's name to find its Java side), rt
// is the runtime's own namespace, where a file leaves what later files and Java (Natives.Entries) use. Neither
// is a global, so scripts reach neither. Private state of the web objects lives under Symbols.
(function (ops, rt) {
  "use strict";

  // Defines non-enumerable properties (string or Symbol keys), as the web platform's globals and internals are.
  rt.hidden = (obj, props) => {
    for (const k of Reflect.ownKeys(props)) {
      Object.defineProperty(obj, k, { value: props[k], writable: true, configurable: true, enumerable: false });
    }
  };

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
  rt.inspect = inspect;
  function format(args) {
    return Array.prototype.map.call(args, (a) => inspect(a, false)).join(" ");
  }
  const console = {};
  for (const [name, level] of [["log", "info"], ["info", "info"], ["debug", "debug"], ["trace", "debug"],
      ["warn", "warn"], ["error", "error"]]) {
    console[name] = function () { ops.op_console_log(level, format(arguments)); };
  }
  rt.hidden(globalThis, { console });

  // What a thrown value says in the log: an Error's stack, or the value itself.
  rt.stackOf = (e) => (e instanceof Error ? (e.stack || String(e)) : "Uncaught " + inspect(e, true));

  // The last exception a callback threw, set first thing in its catch (a plain write, which the watchdog's
  // interrupt cannot preempt): if it was the interrupt, it fires again at the next call and Java reads the
  // runaway code's frames from here, to log its line (Natives.Entries.CAUGHT).
  const caught = { e: undefined };
  rt.caught = caught;
  rt.report = function report(where, e) {
    if (ops.op_callback_stopping()) throw e;
    caught.e = undefined;
    ops.op_report_error(where, rt.stackOf(e));
  };
})
