// Loaded into the Next.js server by scripts/launch.ts (NODE_OPTIONS=--import): gives route handlers
// the address of the socket a request came from, which Next 16 does not. Next passes handlers only
// headers, and the x-forwarded-for it adds is set only when the request has none (`??=` in
// next/dist/server/base-server.js), so any client can send its own. This header is always
// overwritten with the socket's address, and the global below says it was: without this file loaded
// (a bare `next dev`), nothing vouches for the header and lib/http/peer-address.ts ignores it.
import http from "node:http";
import https from "node:https";

const HEADER = "x-tributary-peer-address";

for (const Server of [http.Server, https.Server]) {
  const emit = Server.prototype.emit;
  Server.prototype.emit = function emitWithPeerAddress(event, request, ...rest) {
    if (event === "request" && request && request.headers) request.headers[HEADER] = (request.socket && request.socket.remoteAddress) || "";
    return emit.call(this, event, request, ...rest);
  };
}

globalThis[Symbol.for("tributary.peerAddressHeader")] = HEADER;
