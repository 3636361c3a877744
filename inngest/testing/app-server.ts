// The app's /api/inngest route handlers behind a real local HTTP server, requests handed over the way
// `npm run dev` and `npm start` hand them over: scripts/next-preload.mjs (which the launcher loads
// into the Next.js server) stamps each request with its socket's address, and Next adds
// x-forwarded-for when the client sent none. The route's dev-mode check then sees a call from this
// machine, as it does when the Inngest dev server calls a running app.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A route handler as the executor calls it: a Web Request in, a Web Response out. */
export type RouteHandler = (request: Request, context: unknown) => Promise<Response>;

export interface AppServer {
  /** The served endpoint, e.g. http://127.0.0.1:40123/api/inngest. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** `host`: the interface it listens on (0.0.0.0 to be reached from another address too). */
export async function serveRoute(
  handlers: Partial<Record<"GET" | "POST" | "PUT", RouteHandler>>,
  path = "/api/inngest",
  port = 0,
  host = "127.0.0.1",
): Promise<AppServer> {
  await import("../../scripts/next-preload.mjs");
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`app server: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    const handler = handlers[(req.method ?? "GET") as "GET" | "POST" | "PUT"];
    if (url.pathname !== path || !handler) {
      res.writeHead(url.pathname === path ? 405 : 404).end();
      return;
    }
    req.headers["x-forwarded-for"] ??= req.socket.remoteAddress;
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks);
    const response = await handler(new Request(url, { method: req.method, headers, body }), { params: Promise.resolve({}) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  }

  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const listening = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${listening}${path}`,
    port: listening,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
