// The server's shared behaviour — control API, credentials, faults, rate limits, webhooks — over real
// HTTP, with a minimal platform so these tests do not depend on any one emulator's wire format.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json } from "./http";
import type { SandboxPlatform } from "./platform";
import { LeakyBucket } from "./rate-limit";
import { startSandboxServer, type SandboxServer } from "./server";

let now = Date.UTC(2026, 10, 1);

const testPlatform: SandboxPlatform = {
  key: "shopify",
  name: "Test commerce",
  objects: [{ name: "items", weight: 1, idBase: 100, build: ({ rng }) => ({ title: rng.pick(["a", "b", "c"]) }) }],
  scopes: ["read_items"],
  acceptsApiKeys: false,
  groundTruth: { items: "items" },
  demoAccount: { id: "demo", name: "Demo" },
  route: (path) => {
    const [, accountId, ...rest] = path.split("/");
    return accountId ? { accountId, path: `/${rest.join("/")}` } : null;
  },
  credential: (request) => {
    const value = request.headers["x-test-token"];
    return value ? { kind: "token", value } : null;
  },
  errors: {
    unauthorized: (reason) => json(401, { errors: `unauthorized: ${reason}` }),
    closed: () => json(404, { errors: "Not Found" }),
    rateLimited: () => json(429, { errors: "Too many requests" }),
    serverError: () => json(503, { errors: "Unavailable" }),
  },
  limiter: (scale) => new LeakyBucket(4 * scale, 2 * scale),
  handle: (request, dataset) => json(200, { items: dataset.list("items", { limit: Number(request.query.get("limit") ?? 50) }) }),
  webhook: (change, secret) => {
    const body = JSON.stringify({ id: change.record.id, kind: change.kind });
    return { headers: { "X-Test-Hmac": createHmac("sha256", secret).update(body).digest("base64") }, body };
  },
};

describe("the sandbox server", () => {
  let sandbox: SandboxServer;
  const received: { headers: Headers; body: string }[] = [];

  beforeAll(async () => {
    sandbox = await startSandboxServer({
      platforms: [testPlatform],
      clock: () => now,
      fetch: async (_url, init) => {
        received.push({ headers: new Headers(init?.headers), body: String(init?.body) });
        return new Response(null, { status: 200 });
      },
    });
  });
  afterAll(() => sandbox?.stop());

  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.url}/control/accounts${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function account(id: string, extra: Record<string, unknown> = {}) {
    const created = await control("POST", "", { platform: "shopify", id, size: 30, seed: 7, ...extra });
    expect(created.status).toBe(201);
    const token = (await (await control("POST", `/shopify/${id}/tokens`, {})).json()) as { access_token: string };
    const get = (headers: Record<string, string> = { "x-test-token": token.access_token }) => fetch(`${sandbox.url}/shopify/${id}/items`, { headers });
    return { token: token.access_token, get };
  }

  it("creates accounts and names the bad field of a bad request", async () => {
    const cases: [unknown, string][] = [
      [{ platform: "shopify", size: -1 }, "size"],
      [{ platform: "myspace", size: 10 }, "platform"],
      [{ platform: "shopify" }, "size"],
      [{ platform: "shopify", size: 10, id: "Not A Slug" }, "id"],
      [{ platform: "shopify", size: 10, history_months: 0 }, "history_months"],
    ];
    for (const [body, field] of cases) {
      const response = await control("POST", "", body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ field });
    }
    await account("named-fields");
    expect((await control("PUT", "/shopify/named-fields/faults", { error_rate: 2 })).status).toBe(400);
    expect(await (await control("PUT", "/shopify/named-fields/faults", { explode: true })).json()).toMatchObject({ field: "explode" });
    const unknown = await control("GET", "/shopify/nobody");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ field: "account" });
    expect(await (await control("POST", "/shopify/named-fields/changes", { random: 0 })).json()).toMatchObject({ field: "random" });
    expect(await (await control("POST", "/shopify/named-fields/changes", { operations: [{ op: "delete", object: "nope", id: 1 }] })).json()).toMatchObject({
      field: "operations[0].object",
    });
  });

  it("refuses missing, wrong, expired and revoked credentials with the platform's 401", async () => {
    const { token, get } = await account("auth");
    expect((await get({})).status).toBe(401);
    expect(await (await get({ "x-test-token": "forged" })).json()).toEqual({ errors: "unauthorized: invalid" });
    expect((await get()).status).toBe(200);
    now += 3601 * 1000;
    expect(await (await get()).json()).toEqual({ errors: "unauthorized: expired" });
    const fresh = (await (await control("POST", "/shopify/auth/tokens", {})).json()) as { access_token: string };
    expect((await get({ "x-test-token": fresh.access_token })).status).toBe(200);
    await control("PUT", "/shopify/auth/faults", { revoke_tokens: true });
    expect(await (await get({ "x-test-token": fresh.access_token })).json()).toEqual({ errors: "unauthorized: revoked" });
    expect(token).not.toBe(fresh.access_token);
  });

  it("answers 429 with Retry-After once the platform's bucket is full", async () => {
    const { get } = await account("limits");
    for (let i = 0; i < 4; i++) expect((await get()).status).toBe(200);
    const refused = await get();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    now += 1000; // two requests leak out
    expect((await get()).status).toBe(200);
  });

  it("switches every fault on and off", async () => {
    const { get, token } = await account("faults", { rate_limited: false });
    await control("PUT", "/shopify/faults/faults", { error_rate: 1 });
    expect((await get()).status).toBe(503);
    await control("PUT", "/shopify/faults/faults", { error_rate: 0, malformed_rate: 1 });
    const malformed = await get();
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();
    await control("PUT", "/shopify/faults/faults", { malformed_rate: 0, burst_429: 2 });
    expect((await get()).status).toBe(429);
    expect((await get()).status).toBe(429);
    expect((await get()).status).toBe(200);
    await control("PUT", "/shopify/faults/faults", { latency_ms: 150 });
    const started = performance.now();
    expect((await get()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    await control("PUT", "/shopify/faults/faults", { latency_ms: 0, timeout_rate: 1 });
    await expect(fetch(`${sandbox.url}/shopify/faults/items`, { headers: { "x-test-token": token }, signal: AbortSignal.timeout(300) })).rejects.toThrow(
      /aborted/,
    );
    await control("PUT", "/shopify/faults/faults", { timeout_rate: 0, closed: true });
    expect((await get()).status).toBe(404);
  });

  it("applies changes, reports the ground truth and posts signed webhooks", async () => {
    await account("changes", { rate_limited: false });
    const hook = (await (await control("POST", "/shopify/changes/webhooks", { url: "http://127.0.0.1:9/hook" })).json()) as { secret: string };
    const before = (await (await control("GET", "/shopify/changes/ground-truth")).json()) as { records: { id: number; deleted: boolean }[] };
    expect(before.records).toHaveLength(30);
    const target = before.records[3].id;
    const applied = await control("POST", "/shopify/changes/changes", {
      operations: [
        { op: "delete", object: "items", id: target },
        { op: "create", object: "items", data: { title: "new" } },
      ],
    });
    expect(applied.status).toBe(200);
    const after = (await (await control("GET", "/shopify/changes/ground-truth")).json()) as { records: { id: number; deleted: boolean }[] };
    expect(after.records).toHaveLength(31);
    expect(after.records.find((r) => r.id === target)?.deleted).toBe(true);

    const random = (await (await control("POST", "/shopify/changes/changes", { random: 20, seed: 3 })).json()) as { changes: unknown[] };
    expect(random.changes.length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received.length).toBe(2 + random.changes.length);
    for (const delivery of received) {
      const expected = createHmac("sha256", hook.secret).update(delivery.body).digest("base64");
      expect(delivery.headers.get("x-test-hmac")).toBe(expected);
    }
  });
});
