// Idempotency-Key on POSTs through apiRoute, on a real database: a retry replays the stored answer
// without running the handler, another request under the same key is refused, so is a retry while
// the first runs, concurrent retries run the handler once, 5xx answers are not kept, keys expire.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { POST as syncRoute } from "@/app/api/v1/connections/[id]/sync/route";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { testDatabaseKinds } from "@/lib/db/testing";
import { provideEngine } from "@/lib/sync/engine";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { notFound } from "./errors";
import { apiRoute, type RouteHandler } from "./handler";
import { ABANDONED_AFTER_MS, claimIdempotencyKey, IDEMPOTENCY_KEY_TTL_MS, requestFingerprint } from "./idempotency";
import { createApiKey } from "./keys";
import { defineOperation } from "./operation";

// A POST whose handler the tests control: it counts its runs and does what `behaviour` says.
const echo = defineOperation({
  operationId: "testEcho",
  method: "POST",
  path: "/test/echo",
  tag: "Test",
  summary: "Echoes its body",
  body: z.object({ n: z.number() }).strict(),
  responses: { 201: "`{ run, n }`" },
});
let runs = 0;
let behaviour: (n: number) => Promise<void> = async () => {};
const echoRoute = apiRoute(echo, async ({ body }) => {
  runs += 1;
  const run = runs;
  await behaviour(body.n);
  return Response.json({ run, n: body.n }, { status: 201 });
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe.each(testDatabaseKinds())("Idempotency-Key on POSTs (%s)", (kind) => {
  let h: SyncHarness;
  let auth: string;
  let otherAuth: string;
  let connectionId: string;

  const basic = (clientId: string, secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
  const post = async (
    route: RouteHandler,
    path: string,
    body: string,
    key: string | null,
    options: { authorization?: string; params?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { authorization: options.authorization ?? auth, "content-type": "application/json" };
    if (key !== null) headers["Idempotency-Key"] = key;
    const response = await route(new Request(`http://localhost:3000/api/v1${path}`, { method: "POST", headers, body }), {
      params: Promise.resolve(options.params ?? {}),
    });
    return { status: response.status, replayed: response.headers.get("Idempotent-Replayed"), body: (await response.json()) as Record<string, unknown> };
  };
  const echoPost = (body: unknown, key: string | null, authorization?: string) =>
    post(echoRoute, "/test/echo", typeof body === "string" ? body : JSON.stringify(body), key, { authorization });
  const storedKeys = () => h.database.db.apiIdempotencyKey.count({ where: { organizationId: h.organizationId } });

  beforeAll(async () => {
    h = await createSyncHarness({ kind });
    provideEngine(h.engine);
    const key = await createApiKey(h.database.db, { organizationId: h.organizationId, environment: "sandbox", name: "Backend" });
    auth = basic(key.clientId, key.secret);
    const other = await createOrganizationWithOwner(h.database.db, {
      name: "Other",
      slug: `other-idem-${kind}`,
      owner: { email: "o@example.com", name: "O", passwordHash: "x" },
    });
    const otherKey = await createApiKey(h.database.db, { organizationId: other.organization.id, environment: "sandbox", name: "Other" });
    otherAuth = basic(otherKey.clientId, otherKey.secret);
    connectionId = await h.connect("shopify", { id: `idem-shop-${kind}`, size: 20 });
  });
  afterAll(() => h?.close());

  it("replays the first answer to a retry with the same key and request, without running the handler again", async () => {
    runs = 0;
    const first = await echoPost({ n: 1 }, "replay-1");
    expect(first).toEqual({ status: 201, replayed: null, body: { run: 1, n: 1 } });
    const retry = await echoPost({ n: 1 }, "replay-1");
    expect(retry).toEqual({ status: 201, replayed: "true", body: { run: 1, n: 1 } });
    // The same JSON spaced differently is the same request.
    expect(await echoPost('{ "n" : 1 }', "replay-1")).toMatchObject({ status: 201, replayed: "true" });
    expect(runs).toBe(1);
    // Without a key every POST runs.
    await echoPost({ n: 1 }, null);
    await echoPost({ n: 1 }, null);
    expect(runs).toBe(3);
  });

  it("queues one sync for two POSTs of /sync with one key", async () => {
    const path = `/connections/${connectionId}/sync`;
    const before = await h.database.db.syncRun.count({ where: { connectionId } });
    const first = await post(syncRoute, path, "{}", "sync-once", { params: { id: connectionId } });
    const retry = await post(syncRoute, path, "{}", "sync-once", { params: { id: connectionId } });
    expect(first).toMatchObject({ status: 202, replayed: null, body: { created: true } });
    expect(retry).toEqual({ ...first, replayed: "true" });
    expect(await h.database.db.syncRun.count({ where: { connectionId } })).toBe(before + 1);
  });

  it("refuses the same key with another body or path (409 IDEMPOTENCY_KEY_REUSED); keys are per organization", async () => {
    runs = 0;
    await echoPost({ n: 1 }, "reuse-1");
    expect(await echoPost({ n: 2 }, "reuse-1")).toMatchObject({ status: 409, body: { error_type: "IDEMPOTENCY_ERROR", error_code: "IDEMPOTENCY_KEY_REUSED" } });
    const otherPath = await post(syncRoute, `/connections/${connectionId}/sync`, "{}", "reuse-1", { params: { id: connectionId } });
    expect(otherPath).toMatchObject({ status: 409, body: { error_code: "IDEMPOTENCY_KEY_REUSED" } });
    expect(runs).toBe(1);
    // Another organization's key of the same name is its own.
    expect(await echoPost({ n: 2 }, "reuse-1", otherAuth)).toMatchObject({ status: 201, replayed: null, body: { n: 2 } });
    expect(runs).toBe(2);
  });

  it("refuses a retry while the first request is still running (409 IDEMPOTENCY_KEY_IN_USE), then replays", async () => {
    runs = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    behaviour = () => held;
    try {
      const first = echoPost({ n: 3 }, "in-flight-1");
      while (runs === 0) await sleep(5);
      expect(await echoPost({ n: 3 }, "in-flight-1")).toMatchObject({ status: 409, body: { error_code: "IDEMPOTENCY_KEY_IN_USE" } });
      release();
      expect(await first).toMatchObject({ status: 201, replayed: null });
    } finally {
      behaviour = async () => {};
    }
    expect(await echoPost({ n: 3 }, "in-flight-1")).toMatchObject({ status: 201, replayed: "true" });
    expect(runs).toBe(1);
  });

  it("runs the handler once when retries of one key arrive at the same time", async () => {
    // The handler takes 150 ms, so every request of a round claims while the first is running: a
    // check-then-insert claim would let several through.
    behaviour = () => sleep(150);
    try {
      for (let round = 0; round < 5; round++) {
        runs = 0;
        const answers = await Promise.all(Array.from({ length: 4 }, () => echoPost({ n: round }, `concurrent-${round}`)));
        expect(runs).toBe(1);
        expect(answers.filter((a) => a.status === 201 && a.replayed === null)).toHaveLength(1);
        for (const answer of answers.filter((a) => a.replayed === null && a.status !== 201))
          expect(answer).toMatchObject({ status: 409, body: { error_code: "IDEMPOTENCY_KEY_IN_USE" } });
      }
    } finally {
      behaviour = async () => {};
    }
  });

  it("keeps a 4xx the handler answered, but not a 5xx: the retry after a 500 runs again", async () => {
    runs = 0;
    behaviour = async () => {
      throw notFound("such thing");
    };
    expect((await echoPost({ n: 4 }, "not-found-1")).status).toBe(404);
    expect(await echoPost({ n: 4 }, "not-found-1")).toMatchObject({ status: 404, replayed: "true", body: { error_code: "NOT_FOUND" } });
    expect(runs).toBe(1);

    runs = 0;
    behaviour = async () => {
      if (runs === 1) throw new Error("the database went away");
    };
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect((await echoPost({ n: 5 }, "server-error-1")).status).toBe(500);
      expect(logged).toHaveBeenCalledTimes(1);
      expect(await echoPost({ n: 5 }, "server-error-1")).toMatchObject({ status: 201, replayed: null, body: { run: 2 } });
      expect(await echoPost({ n: 5 }, "server-error-1")).toMatchObject({ status: 201, replayed: "true", body: { run: 2 } });
    } finally {
      logged.mockRestore();
      behaviour = async () => {};
    }
  });

  it("refuses a malformed key, naming the header, and stores nothing for a request refused before the handler", async () => {
    runs = 0;
    const before = await storedKeys();
    for (const key of ["", "x".repeat(256), "tab\tinside"]) {
      expect(await echoPost({ n: 6 }, key)).toMatchObject({ status: 400, body: { error_code: "INVALID_FIELD", field: "Idempotency-Key" } });
    }
    expect(await echoPost({ n: "six" }, "bad-body-1")).toMatchObject({ status: 400, body: { field: "n" } });
    expect(await echoPost("{not json", "bad-body-1")).toMatchObject({ status: 400, body: { error_code: "INVALID_JSON" } });
    expect(await storedKeys()).toBe(before);
    expect(runs).toBe(0);
    expect(await echoPost({ n: 6 }, "x".repeat(255))).toMatchObject({ status: 201 });
  });

  it("lets a retry take over a claim whose request died in flight, once it is 5 minutes old", async () => {
    runs = 0;
    // A process that claimed the key and died before answering leaves this behind.
    const url = new URL("http://localhost:3000/api/v1/test/echo");
    const scope = { organizationId: h.organizationId, environment: "sandbox" } as const;
    expect(await claimIdempotencyKey(h.database.db, scope, "abandoned-1", requestFingerprint("POST", url, '{"n":9}'), h.now())).toEqual({ outcome: "claimed" });
    expect(await echoPost({ n: 9 }, "abandoned-1")).toMatchObject({ status: 409, body: { error_code: "IDEMPOTENCY_KEY_IN_USE" } });
    h.advance(ABANDONED_AFTER_MS + 1_000);
    expect(await echoPost({ n: 10 }, "abandoned-1")).toMatchObject({ status: 409, body: { error_code: "IDEMPOTENCY_KEY_REUSED" } });
    expect(await echoPost({ n: 9 }, "abandoned-1")).toMatchObject({ status: 201, replayed: null, body: { n: 9 } });
    expect(await echoPost({ n: 9 }, "abandoned-1")).toMatchObject({ status: 201, replayed: "true" });
    expect(runs).toBe(1);
  });

  it("forgets keys after 24 hours, sweeping expired ones as new keys are claimed", async () => {
    runs = 0;
    await echoPost({ n: 7 }, "expires-1");
    await echoPost({ n: 7 }, "expires-2");
    h.advance(IDEMPOTENCY_KEY_TTL_MS + 60_000);
    // An expired key is free again, for any request.
    expect(await echoPost({ n: 8 }, "expires-1")).toMatchObject({ status: 201, replayed: null, body: { n: 8 } });
    expect(runs).toBe(3);
    const keys = await h.database.db.apiIdempotencyKey.findMany({ where: { organizationId: h.organizationId }, select: { key: true } });
    expect(keys.map((k) => k.key)).toEqual(["expires-1"]);
  });
});
