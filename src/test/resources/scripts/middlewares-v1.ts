// A middleware script the way the SDK registers one on Bunny (JsMiddlewareTest): the arrays are filled after
// registerMiddlewares is called, and read per request.
declare const Bunny: {
  v1: {
    registerMiddlewares(m: { onOriginRequest: unknown[]; onOriginResponse: unknown[] }): void;
  };
};

const onOriginRequest: ((ctx: { request: Request }) => unknown)[] = [];
const onOriginResponse: ((ctx: { request: Request; response: Response }) => unknown)[] = [];
Bunny.v1.registerMiddlewares({ onOriginRequest, onOriginResponse });
onOriginRequest.push((ctx) => {
  ctx.request.headers.set("x-user", "v1");
});
onOriginResponse.push((ctx) => {
  ctx.response.headers.set("x-edge", "v1");
});
