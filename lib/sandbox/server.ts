// The sandbox server: every emulated platform under its own base path (/shopify, /quickbooks,
// /xero, /zendesk), the control API under /control. One Node HTTP server, startable in-process by tests.
//
// A platform request passes, in order: account lookup (from the path, or a header such as Xero's
// xero-tenant-id; closed accounts answer 403/404 forever), credentials (the platform's 401), the
// faults switched on for the account, the rate limiter (the platform's 429 with Retry-After; a
// concurrency limit gets its slot back when the answer is written), then the platform's handler.
// Platform changes are POSTed to the account's registered webhooks, signed the platform's way, once
// the platform's intent-to-receive check of the URL (Xero's) has not failed.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { AccountRegistry, type SandboxAccount } from "./accounts";
import { handleControl } from "./control";
import { OAuthServer } from "./oauth";
import type { SandboxRequest, SandboxResponse } from "./http";
import type { HandlerContext, PlatformEvent, SandboxPlatform } from "./platform";
import { retryAfterHeader } from "./rate-limit";
import { checkIntentToReceive, deliverWebhooks } from "./webhooks";

export interface SandboxServerOptions {
  platforms: SandboxPlatform[];
  port?: number;
  host?: string;
  clock?: () => number;
  /** Where webhook POSTs go through; tests pass a recorder. */
  fetch?: typeof fetch;
  log?: (line: string) => void;
}

export interface SandboxServer {
  url: string;
  registry: AccountRegistry;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const platforms = new Map<string, SandboxPlatform>(options.platforms.map((p) => [p.key, p]));
  const registry = new AccountRegistry(platforms, options.clock ?? Date.now);
  const oauthServer = new OAuthServer(registry);
  const held = new Set<ServerResponse>();
  let baseUrl = "";
  const send = options.fetch ?? fetch;
  const subscribed = new WeakSet<SandboxAccount>();

  /** Registers the webhook dispatcher on first use of an account. */
  const watch = (account: SandboxAccount) => {
    if (subscribed.has(account)) return;
    subscribed.add(account);
    account.dataset.onChange((change) => {
      const event: PlatformEvent = { topic: account.platform.webhookTopic?.(change), sign: (secret) => account.platform.webhook(change, secret, account.id) };
      void deliverWebhooks(account, event, send, options.log);
    });
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      options.log?.(`sandbox: ${req.method} ${req.url} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) writeResponse(res, { status: 500, body: { error: "Sandbox server error" } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", baseUrl);
    const segments = url.pathname.split("/").filter(Boolean);
    const body = await readBody(req);
    if (body === TOO_LARGE) return writeResponse(res, { status: 413, body: { error: "Body too large" } });
    if (segments[0] === "control") {
      const response = handleControl(req.method ?? "GET", segments.slice(1), body, {
        registry,
        baseUrl,
        webhookAdded: (account, hook) => void checkIntentToReceive(account, hook, send, options.log),
      });
      for (const account of registry.list()) watch(account);
      return writeResponse(res, response);
    }
    if (segments.length === 0) {
      return writeResponse(res, { status: 200, body: { platforms: [...platforms.keys()], control: `${baseUrl}/control/accounts` } });
    }
    const platform = platforms.get(segments[0]);
    if (!platform) return writeResponse(res, { status: 404, body: { error: `Unknown platform "${segments[0]}"` } });

    const platformPath = url.pathname.slice(segments[0].length + 1);
    const oauth = platform.oauth?.(
      { method: req.method ?? "GET", path: platformPath, query: url.searchParams, headers: flatHeaders(req), body, baseUrl: `${baseUrl}/${platform.key}` },
      {
        server: oauthServer,
        accounts: () => registry.list().filter((a) => a.platform.key === platform.key),
        account: (id) => registry.get(platform.key, id),
      },
    );
    if (oauth) return writeResponse(res, oauth);
    const open = platform.unauthenticated?.(
      { method: req.method ?? "GET", path: platformPath, query: url.searchParams, headers: flatHeaders(req), body, baseUrl: `${baseUrl}/${platform.key}` },
      { server: oauthServer, accounts: () => registry.list().filter((a) => a.platform.key === platform.key), account: (id) => registry.get(platform.key, id) },
    );
    if (open) return writeResponse(res, open);

    const headers = flatHeaders(req);
    const route = platform.route(platformPath, headers);
    const account = route ? registry.get(platform.key, route.accountId) : undefined;
    if (!route || !account || account.closed) return writeResponse(res, platform.errors.closed());
    const request: SandboxRequest = {
      method: req.method ?? "GET",
      path: route.path,
      query: url.searchParams,
      headers,
      body,
      baseUrl: `${baseUrl}/${platform.key}/${encodeURIComponent(account.id)}`,
    };
    const refusal = registry.checkCredential(account, platform.credential(request));
    if (refusal) return writeResponse(res, platform.errors.unauthorized(refusal));

    const faults = account.faults;
    if (faults.burst429 > 0) {
      faults.burst429--;
      return writeResponse(res, withRetryAfter(platform.errors.rateLimited(1), 1));
    }
    const limit = account.limiter.take(registry.clock(), route.path);
    if (!limit.allowed)
      return writeResponse(
        res,
        withHeaders(withRetryAfter(platform.errors.rateLimited(limit.retryAfterSeconds, limit.limit), limit.retryAfterSeconds), limit.headers),
      );
    // Concurrency limits count a request until its answer is written or its client gives up.
    if (account.limiter.release) res.once("close", () => account.limiter.release?.(registry.clock()));
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (faults.timeoutRate > 0 && Math.random() < faults.timeoutRate) {
      held.add(res); // never answered: the client's timeout has to fire
      res.on("close", () => held.delete(res));
      return;
    }
    if (faults.errorRate > 0 && Math.random() < faults.errorRate) return writeResponse(res, withHeaders(platform.errors.serverError(), limit.headers));

    watch(account);
    const context: HandlerContext = { account, notify: (event) => void deliverWebhooks(account, event, send, options.log) };
    const response = withHeaders(platform.handle(request, account.dataset, context), limit.headers);
    if (faults.malformedRate > 0 && Math.random() < faults.malformedRate && response.status === 200) {
      const text = JSON.stringify(response.body);
      return writeResponse(res, { ...response, body: text.slice(0, Math.max(1, Math.floor(text.length / 2))) });
    }
    writeResponse(res, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("Sandbox server has no TCP address");
  baseUrl = `http://${options.host === "0.0.0.0" ? "127.0.0.1" : (options.host ?? "127.0.0.1")}:${address.port}`;

  return {
    url: baseUrl,
    registry,
    async stop() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const TOO_LARGE = Symbol("too large");

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return TOO_LARGE;
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  const text = Buffer.concat(chunks).toString("utf8");
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  return headers;
}

function withHeaders(response: SandboxResponse, headers: Record<string, string>): SandboxResponse {
  return { ...response, headers: { ...headers, ...response.headers } };
}

function withRetryAfter(response: SandboxResponse, seconds: number): SandboxResponse {
  return withHeaders(response, { "Retry-After": retryAfterHeader(seconds) });
}

function writeResponse(res: ServerResponse, response: SandboxResponse): void {
  if (response.chunks) return void writeChunks(res, response.status, response.headers ?? {}, response.chunks);
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | undefined;
  if (response.body !== undefined) {
    payload = typeof response.body === "string" ? response.body : JSON.stringify(response.body);
    const hasType = Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
    if (!hasType)
      headers["Content-Type"] =
        typeof response.body === "string" && !looksLikeJson(response.body) ? "text/html; charset=utf-8" : "application/json; charset=utf-8";
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}

/** Writes a body piece by piece, waiting for the socket to drain so memory stays flat. */
async function writeChunks(res: ServerResponse, status: number, headers: Record<string, string>, chunks: Iterable<string | Uint8Array>): Promise<void> {
  res.writeHead(status, headers);
  for (const chunk of chunks) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await new Promise<void>((resolve) => res.once("drain", () => resolve()));
  }
  res.end();
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return first === "{" || first === "[";
}
