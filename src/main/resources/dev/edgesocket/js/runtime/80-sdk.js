// Bunny's SDK (BunnySDK.net.http.serve and servePullZone, Bunny.v1.serve, registerMiddlewares and waitUntil), the
// one module scripts may import, and the entries Java calls to load the script (rt.runModule), to answer a request
// (rt.serveEntry) and to settle a request a middleware sent to the origin (rt.originAnswer).
(function (ops, rt) {
  "use strict";
  const caught = rt.caught;
  // The runtime's own classes, bound now: a script that replaces a global does not change the runtime.
  const { Request, Response } = globalThis;
  // handler: what serve() was given; middlewares: what registerMiddlewares() was given, its arrays read per
  // request (the SDK fills them after registering). A script does one or the other; the middlewares win.
  const state = { handler: null, middlewares: null };
  function serve(a, b) {
    const handler = typeof a === "function" ? a : b;
    if (typeof handler !== "function") throw new TypeError("serve() needs a handler function: serve(async (request) => response).");
    state.handler = handler;
    return { finished: new Promise(() => {}), shutdown: () => Promise.resolve() };
  }
  function registerMiddlewares(middlewares) {
    if (!middlewares || typeof middlewares !== "object") {
      throw new TypeError("registerMiddlewares() needs {onOriginRequest: [...], onOriginResponse: [...]}.");
    }
    state.middlewares = middlewares;
  }
  // servePullZone(), ({url}), ({port, hostname}, {url}), (listener, {url}): listeners are accepted and ignored, as
  // on Bunny. The origin is the zone's origin.url; a url given here is not used (a zone without origin.url
  // answers 500, saying so, when a request would go to the origin).
  function servePullZone(a, b) {
    const options = b !== undefined ? b : a;
    const url = options && typeof options === "object" && typeof options.url === "string" ? options.url : null;
    const onOriginRequest = [];
    const onOriginResponse = [];
    registerMiddlewares({ onOriginRequest, onOriginResponse, url });
    const handler = {
      onOriginRequest(middleware) {
        if (typeof middleware !== "function") throw new TypeError("onOriginRequest() needs a function: (ctx) => Request | Response | undefined.");
        onOriginRequest.push(middleware);
        return handler;
      },
      onOriginResponse(middleware) {
        if (typeof middleware !== "function") throw new TypeError("onOriginResponse() needs a function: (ctx) => Response | undefined.");
        onOriginResponse.push(middleware);
        return handler;
      },
    };
    return handler;
  }
  const sdk = Object.freeze({
    net: Object.freeze({ http: Object.freeze({ serve, servePullZone }) }),
    v1: Object.freeze({ waitUntil: (p) => waitUntil(p) }),
  });

  // Requests a middleware sent to the origin and not yet answered: settled by rt.originAnswer, called by Java
  // (RequestBridge.forward) on the loop with the object given to op_origin_fetch.
  function toOrigin(request) {
    const f = rt.forwardable(request);
    if (f === null) {
      return Promise.reject(new TypeError("Only the request the middleware was given, or a new Request(request, init) "
        + "made from it, can go to the origin."));
    }
    return new Promise((resolve, reject) => {
      const refused = ops.op_origin_fetch(f.exchange, f.method, f.url, f.headers, { resolve, reject });
      if (refused !== null && refused !== undefined) reject(new TypeError(refused));
    });
  }
  // text: the body the server holds for a response (null when it streams), or why there is no response.
  rt.originAnswer = function originAnswer(pending, response, status, headerLines, text) {
    if (response === null || response === undefined) {
      const url = state.middlewares && state.middlewares.url;
      pending.reject(new Error(String(text) + (url ? " (servePullZone's url, " + url + ", is not used: the origin is the zone's origin.url)" : "")));
    } else {
      pending.resolve(rt.originResponse(response, status, headerLines, text));
    }
  };

  // The request through the middlewares, in the order registered, and to the origin between them.
  async function pullZone(incoming) {
    const m = state.middlewares;
    let request = incoming;
    for (const middleware of [...(m.onOriginRequest || [])]) {
      const r = await middleware({ request });
      if (r instanceof Response) return r; // answers the client as it is, without the response middlewares
      if (r instanceof Request) request = r;
    }
    let response = await toOrigin(request);
    for (const middleware of [...(m.onOriginResponse || [])]) {
      const r = await middleware({ request, response });
      if (r instanceof Response) response = r;
    }
    return response;
  }
  function waitUntil(p) {
    // The context lives as long as the server: nothing is evicted; a rejection is reported.
    Promise.resolve(p).then(undefined, (e) => rt.report("A promise given to waitUntil", e));
  }
  const v1 = Object.freeze({ waitUntil, serve: (handler) => { serve(handler); }, registerMiddlewares });
  rt.hidden(globalThis, { Bunny: Object.freeze({ v1 }), BunnySDK: sdk });
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
    return state.handler !== null || state.middlewares !== null;
  };

  // Runs the handler for the request Java holds as exchange; its answer goes back through the exchange.
  rt.serveEntry = function serveEntry(exchange, url, method, headerLines) {
    let result;
    try {
      const request = rt.incomingRequest(exchange, url, method, headerLines);
      result = state.middlewares !== null ? pullZone(request) : state.handler(request);
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
