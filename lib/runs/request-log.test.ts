// A run's request log: a real sync against the sandbox leaves one row per request it sent, with its
// status, latency and object (429s flagged), never the connection's token; a long run keeps its
// first and last requests and every failure; credentials in a URL are stored redacted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextRun } from "@/lib/sync/planner";
import { openPlatformSession } from "@/lib/sync/platform-session";
import { executeRun, type RunStats } from "@/lib/sync/runner";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { HEAD, TAIL, openRequestLog, redactRequestPath } from "./request-log";

describe("a sync run's request log", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await createSyncHarness({ batches: [{ objects: [], fromMonthsAgo: null, toMonthsAgo: 0 }] });
  });
  afterAll(() => h?.close());

  it("records every request of a real sync with its status, latency and object, and never the token", async () => {
    const connectionId = await h.connect("shopify", { id: "logged-shop", size: 300 });
    const runId = (await nextRun(h.engine, connectionId))!;
    // Two 429s (Retry-After: 1 s), waited out inside the run.
    await h.control("/shopify/logged-shop/faults", "PUT", { burst_429: 2 });
    expect((await executeRun(h.engine, runId)).status).toBe("succeeded");
    const stats = (await h.database.db.syncRun.findUniqueOrThrow({ where: { id: runId } })).stats as unknown as RunStats;
    const rows = await h.database.db.platformRequest.findMany({ where: { syncRunId: runId }, orderBy: { seq: "asc" } });

    expect(rows.length).toBe(stats.requests);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    const limited = rows.filter((r) => r.status === 429);
    expect(limited).toHaveLength(2);
    expect(limited.every((r) => r.rateLimited)).toBe(true);
    expect(rows.filter((r) => r.status === 200).length).toBe(stats.requests - 2);
    for (const row of rows) {
      expect(row.latencyMs).toBeGreaterThanOrEqual(0);
      expect(row.path).toMatch(/^\/shopify\/logged-shop\//);
      expect(row.method).toMatch(/^(GET|POST)$/);
      expect(Object.keys(stats.objects)).toContain(row.object);
    }
    // The page after a 429 was asked again: the same page, so its rows are of the same object.
    for (const object of Object.keys(stats.objects)) expect(rows.filter((r) => r.object === object).length, object).toBe(stats.objects[object].requests);

    const credentials = await openPlatformSession(h.engine, {
      id: connectionId,
      platform: "shopify",
      platformAccountId: "logged-shop",
      environment: "sandbox",
    }).credentials();
    expect(credentials.kind).toBe("oauth");
    const token = credentials.kind === "oauth" ? credentials.accessToken : credentials.apiKey;
    const stored = JSON.stringify(rows.map((r) => [r.path, r.error]));
    expect(stored).not.toContain(token);
  });

  it("keeps the first and last requests of a long run and every failure, written in batches", async () => {
    const connectionId = await h.connect("shopify", { id: "long-shop", size: 10 });
    const runId = (await nextRun(h.engine, connectionId))!;
    const log = openRequestLog(h.database.db, runId, 0);
    const total = HEAD + TAIL + 500;
    for (let n = 1; n <= total; n++) {
      log.record({
        object: "orders",
        method: "GET",
        url: `https://shop.example/orders.json?page=${n}`,
        status: n === HEAD + 200 ? 503 : 200,
        latencyMs: 12.4,
        attempt: 0,
        rateLimited: false,
        bytes: 1024,
        error: null,
        sentAt: new Date(),
        secrets: [],
      });
    }
    // Batches of the head are written while the run goes on, before it closes the log.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await h.database.db.platformRequest.count({ where: { syncRunId: runId } })).toBeGreaterThan(0);
    await log.close();
    const seqs = (await h.database.db.platformRequest.findMany({ where: { syncRunId: runId }, orderBy: { seq: "asc" }, select: { seq: true } })).map(
      (r) => r.seq,
    );
    const expected = [...Array.from({ length: HEAD }, (_, i) => i + 1), HEAD + 200, ...Array.from({ length: TAIL }, (_, i) => total - TAIL + 1 + i)];
    expect(seqs).toEqual(expected);
  });
});

describe("redactRequestPath", () => {
  it("keeps the path and query and removes credentials by name, shape and value", () => {
    expect(redactRequestPath("https://shop.example/admin/api/2024-01/orders.json?limit=250&page_info=abc")).toBe(
      "/admin/api/2024-01/orders.json?limit=250&page_info=abc",
    );
    expect(redactRequestPath("https://x.example/v1/items?access_token=tok123secret&limit=5")).toBe("/v1/items?access_token=[redacted]&limit=5");
    expect(redactRequestPath("https://x.example/v1/items?key=K3yValue-987654321&limit=5", ["K3yValue-987654321"])).toBe("/v1/items?key=[redacted]&limit=5");
    expect(redactRequestPath("https://x.example/v1/K3yValue-987654321/items", ["K3yValue-987654321"])).toBe("/v1/[redacted]/items");
  });
});
