// setTimeout, setInterval and their clears; queueMicrotask. Java (Timers.java) schedules each id on the
// context's event loop and calls rt.fireTimer(id) when it is due.
(function (ops, rt) {
  "use strict";
  const caught = rt.caught;
  const timers = new Map();
  let nextTimer = 1;
  function addTimer(fn, ms, args, repeat) {
    if (typeof fn !== "function") throw new TypeError("The callback must be a function.");
    const id = nextTimer++;
    ms = Math.max(0, Math.floor(Number(ms) || 0));
    timers.set(id, { fn, args, repeat, ms });
    ops.op_timer_schedule(id, ms);
    return id;
  }
  function clearTimer(id) {
    if (timers.delete(id)) ops.op_timer_cancel(id);
  }
  rt.fireTimer = function fireTimer(id) {
    const t = timers.get(id);
    if (!t) return;
    if (t.repeat) ops.op_timer_schedule(id, t.ms); else timers.delete(id);
    try {
      t.fn.apply(undefined, t.args);
    } catch (e) {
      caught.e = e;
      rt.report("A timer callback", e);
    }
  };
  rt.hidden(globalThis, {
    setTimeout: (fn, ms, ...args) => addTimer(fn, ms, args, false),
    setInterval: (fn, ms, ...args) => addTimer(fn, ms, args, true),
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    queueMicrotask: (fn) => {
      if (typeof fn !== "function") throw new TypeError("queueMicrotask needs a function.");
      Promise.resolve().then(() => { try { fn(); } catch (e) { caught.e = e; rt.report("A microtask", e); } });
    },
  });
})
