// Bunny's SDK (BunnySDK.net.http.serve, Bunny.v1.waitUntil), the one module scripts may import, and the two
// entries Java calls to load the script (rt.runModule) and to answer a request (rt.serveEntry).
(function (ops, rt) {
  "use strict";
  const caught = rt.caught;
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
    Promise.resolve(p).then(undefined, (e) => rt.report("A promise given to waitUntil", e));
  }
  rt.hidden(globalThis, { Bunny: Object.freeze({ v1: Object.freeze({ waitUntil }) }), BunnySDK: sdk });
  function require(name) {
    if (name === "@bunny.net/edgescript-sdk" || name === "https://esm.sh/@bunny.net/edgescript-sdk") {
      return Object.assign({ __esModule: true, default: sdk }, sdk);
    }
    throw new Error("Module '" + name + "' is not available: edgesocket scripts may import only \"@bunny.net/edgescript-sdk\".");
  }

  // Runs the script's module function (exports, require, module); true when it gave a handler.
  rt.runModule = function runModule(fn) {
    const module = { exports: {} };
    fn(module.exports, require, module);
    const exported = module.exports.default;
    if (!state.handler && exported && typeof exported.fetch === "function") {
      state.handler = (request) => exported.fetch(request);
    }
    return state.handler !== null;
  };

  // Runs the handler for the request Java holds as exchange; its answer goes back through the exchange.
  rt.serveEntry = function serveEntry(exchange, url, method, headerLines) {
    let result;
    try {
      result = state.handler(rt.incomingRequest(exchange, url, method, headerLines));
    } catch (e) {
      caught.e = e;
      if (ops.op_callback_stopping()) throw e;
      caught.e = undefined;
      ops.op_request_fail(exchange, e, rt.stackOf(e));
      return;
    }
    Promise.resolve(result).then(
      (r) => {
        const n = rt.toNativeResponse(r);
        if (n === null) ops.op_request_fail(exchange, null, "The handler resolved to " + rt.inspect(r, true) + ", not a Response.");
        else ops.op_request_respond(exchange, n);
      },
      (e) => ops.op_request_fail(exchange, e, rt.stackOf(e)));
  };
})
