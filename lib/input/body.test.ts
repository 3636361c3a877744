// Request bodies are read within a limit on every route that reads one: the public API's operations
// (each its own limit, from its declaration), Link's two unauthenticated JSON routes, the platforms'
// webhooks and the sign-in form. A body sent as an endless stream without Content-Length is answered
// 413 BODY_TOO_LARGE naming the limit, and the stream is cancelled as soon as the count passes the
// limit (never read further); a Content-Length over the limit is refused before anything is read.
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BODY_LIMIT } from "@/lib/api/operation";
import { OPERATIONS } from "@/lib/api/operations";
import { discoverRoutes, type DiscoveredRoute } from "@/lib/api/openapi.testing";
import { createApiFixtures, exampleQuery, routeTarget, type ApiFixtures } from "@/lib/api/routes.testing";
import { testDatabaseKinds } from "@/lib/db/testing";
import { LINK_BODY_LIMIT } from "@/lib/link/http";
import { platformWebhookBodyLimit } from "@/lib/sync/platform-webhooks";
import { BodyTooLargeError, readBodyText } from "./body";

const CHUNK = 16 * 1024;

/** A body that never ends, counting what was pulled from it and whether it was cancelled. */
function endlessBody() {
  const chunk = new Uint8Array(CHUNK).fill(0x20);
  const read = { bytes: 0, cancelled: false };
  // highWaterMark 0: nothing is pulled ahead of the reader, so `bytes` is what the reader asked for.
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        read.bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        read.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, read };
}

const streamed = (url: string, stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Request =>
  new Request(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: stream, duplex: "half" } as RequestInit);

describe("readBodyText", () => {
  it("reads a body within the limit whole", async () => {
    expect(await readBodyText(new Request("http://x/", { method: "POST", body: '{"a":"é"}' }), 100)).toBe('{"a":"é"}');
    expect(await readBodyText(new Request("http://x/", { method: "POST" }), 100)).toBe("");
  });

  it("stops reading an endless body without Content-Length as soon as it passes the limit", async () => {
    const { stream, read } = endlessBody();
    await expect(readBodyText(streamed("http://x/", stream), 100_000)).rejects.toEqual(new BodyTooLargeError(100_000));
    expect(read.bytes).toBeLessThanOrEqual(100_000 + CHUNK);
    expect(read.cancelled).toBe(true);
  });

  it("refuses a Content-Length over the limit before reading anything", async () => {
    const { stream, read } = endlessBody();
    await expect(readBodyText(streamed("http://x/", stream, { "content-length": "100001" }), 100_000)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(read.bytes).toBe(0);
    expect(read.cancelled).toBe(true);
  });
});

describe.each(testDatabaseKinds())("every route that reads a body (%s)", (kind) => {
  let api: ApiFixtures;
  let link: DiscoveredRoute[];
  let platformWebhooks: DiscoveredRoute[];
  let signIn: DiscoveredRoute["handler"];

  beforeAll(async () => {
    api = await createApiFixtures(kind);
    const root = path.resolve(import.meta.dirname, "../..");
    [link, platformWebhooks] = await Promise.all(["app/link/api", "app/api/platform-webhooks"].map((folder) => discoverRoutes(path.join(root, folder))));
    // A catch-all route, which discoverRoutes does not walk.
    signIn = (await import("@/app/api/auth/[...nextauth]/route")).POST as unknown as DiscoveredRoute["handler"];
  });
  afterAll(async () => {
    await api?.close();
  });

  /** `route` answers 413 to an endless body, with and without a Content-Length over the limit, having read at most the limit and one chunk. */
  async function expectRefused(
    name: string,
    route: Pick<DiscoveredRoute, "handler">,
    url: string,
    limit: number,
    options: { params?: Record<string, string | string[]>; headers?: Record<string, string> } = {},
  ) {
    for (const announce of [false, true]) {
      const { stream, read } = endlessBody();
      const headers = { "content-type": "application/json", ...options.headers, ...(announce ? { "content-length": String(limit + 1) } : {}) };
      const request = new NextRequest(url, { method: "POST", headers, body: stream, duplex: "half" } as ConstructorParameters<typeof NextRequest>[1]);
      const response = await route.handler(request, { params: Promise.resolve(options.params ?? {}) });
      const what = `${name} (Content-Length ${announce ? "over the limit" : "absent"})`;
      expect(response.status, what).toBe(413);
      expect(await response.json(), what).toEqual({
        error_type: "INVALID_REQUEST",
        error_code: "BODY_TOO_LARGE",
        error_message: `The body is larger than this route's limit of ${limit} bytes`,
      });
      expect(read.bytes, `${what}: bytes read`).toBeLessThanOrEqual(announce ? 0 : limit + CHUNK);
      expect(read.cancelled, `${what}: the stream is cancelled`).toBe(true);
    }
  }

  it("the API: every operation with a body, at the limit it declares", async () => {
    const withBody = OPERATIONS.filter((operation) => operation.body);
    expect(withBody.length).toBeGreaterThan(20);
    for (const operation of withBody) {
      const { route, params, path: urlPath } = routeTarget(api, operation.method, operation.path);
      // A query that passes (the writes take an access token), so the body's size is what refuses it.
      const query = exampleQuery(operation, api.tokens.ours).toString();
      await expectRefused(
        operation.operationId,
        route,
        `http://localhost:3000/api/v1${urlPath}${query ? `?${query}` : ""}`,
        operation.bodyLimit ?? DEFAULT_BODY_LIMIT,
        {
          params,
          headers: { authorization: api.auth.ours },
        },
      );
    }
  });

  it("Link's JSON routes, which anyone can call", async () => {
    expect(link.map((route) => route.key).sort()).toEqual(["POST /api-key", "POST /oauth", "POST /relink", "POST /tenant"]);
    for (const route of link) await expectRefused(route.key, route, `http://localhost:3000/link/api${route.path}`, LINK_BODY_LIMIT);
  });

  it("the platforms' webhooks, at what each platform sends at most", async () => {
    const [route] = platformWebhooks;
    for (const platform of ["shopify", "quickbooks", "xero", "zendesk"]) {
      const limit = platformWebhookBodyLimit(platform);
      expect(limit, platform).toBeGreaterThan(0);
      await expectRefused(platform, route, `http://localhost:3000/api/platform-webhooks/${platform}/${api.connectionId}`, limit, {
        params: { platform, connectionId: api.connectionId },
      });
    }
  });

  it("the sign-in form", async () => {
    await expectRefused("sign-in", { handler: signIn }, "http://localhost:3000/api/auth/callback/credentials", 16 * 1024, {
      params: { nextauth: ["callback", "credentials"] },
    });
  });
});
