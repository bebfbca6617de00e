// crypto.randomUUID and crypto.getRandomValues (Java's SecureRandom).
(function (ops, rt) {
  "use strict";
  rt.hidden(globalThis, {
    crypto: {
      randomUUID: () => ops.op_crypto_random_uuid(),
      getRandomValues: (view) => {
        const bytes = new Uint8Array(new ArrayBuffer(ops.op_crypto_random_bytes(view.byteLength)));
        new Uint8Array(view.buffer, view.byteOffset, view.byteLength).set(bytes);
        return view;
      },
    },
  });
})
