// The JavaScript middleware zone's script (JsMiddlewareTest), in front of the Node origin: two request middlewares
// and two response middlewares, run in the order registered.
import * as BunnySDK from "@bunny.net/edgescript-sdk";

// The url is Bunny's local-development origin; edgesocket uses the zone's origin.url.
BunnySDK.net.http.servePullZone({ url: "http://127.0.0.1:9" })
  .onOriginRequest((ctx: { request: Request }) => {
    const url = new URL(ctx.request.url);
    if (url.pathname.endsWith("/deny")) {
      return Promise.resolve(new Response("denied by the JS middleware", { status: 401 }));
    }
    if (ctx.request.headers.has("upgrade") && !url.searchParams.has("token")) {
      return Promise.resolve(new Response("a token, please", { status: 401 }));
    }
    if (url.pathname.endsWith("/method")) {
      return Promise.resolve(new Request(ctx.request, { method: "PUT" })); // not expressible yet: refused
    }
    const headers = new Headers(ctx.request.headers);
    headers.set("x-user", "js");
    headers.delete("cookie");
    // The Fetch standard's way to change a request: a new one, its init's headers in place of the input's.
    return Promise.resolve(new Request(ctx.request, { headers }));
  })
  .onOriginRequest(async (ctx: { request: Request }) => {
    // The second middleware sees the request the first one made, and changes it in place.
    ctx.request.headers.set("x-second", "saw " + ctx.request.headers.get("x-user"));
    return undefined as unknown as Request;
  })
  .onOriginResponse(async (ctx: { request: Request; response: Response }) => {
    ctx.response.headers.set("x-edge", "js");
    ctx.response.headers.delete("x-origin");
    return undefined as unknown as Response;
  })
  .onOriginResponse(async (ctx: { request: Request; response: Response }) => {
    const path = new URL(ctx.request.url).pathname;
    if (path.endsWith("/replace")) {
      return new Response("replaced: " + ctx.response.status, { status: ctx.response.status });
    }
    if (path.endsWith("/read")) {
      try {
        await ctx.response.text();
        return new Response("read", { status: 200 });
      } catch (e) {
        return new Response((e as Error).name + ": " + (e as Error).message, { status: 418 });
      }
    }
    if (path.endsWith("/status")) {
      (ctx.response as { status: number }).status = 299; // the origin's body streams on under another status
    }
    return undefined as unknown as Response;
  });
