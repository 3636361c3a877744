// The runner's pauses, waits and ordering: a rate-limited run pauses (SYNC_RATE_LIMITED) and resumes
// from its checkpoints without fetching a page twice; short Retry-Afters are waited out in the run;
// Zendesk comments are fetched per ticket after the tickets; a run without progress is failed as stuck.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncDue } from "./drive";
import { nextRun } from "./planner";
import { executeRun, type RunStats } from "./runner";
import { failStuckRuns } from "./stuck";
import { createSyncHarness, type SyncHarness } from "./testing";

describe("rate limits during a run", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    // One batch for the whole history: each run below is the account's whole sync, comparable with its ground truth.
    h = await createSyncHarness({ engine: { inlineRateLimitWaitMs: 0 }, batches: [{ objects: [], fromMonthsAgo: null, toMonthsAgo: 0 }] });
  });
  afterAll(() => h?.close());

  it("pauses on a 429, resumes from the checkpoint when Retry-After has passed, and fetches no page twice", async () => {
    const connectionId = await h.connect("shopify", { id: "limited-shop", size: 1500 });
    const runId = (await nextRun(h.engine, connectionId))!;
    let first = await executeRun(h.engine, runId);
    expect(first.status).toBe("succeeded"); // unlimited so far: establishes the baseline below
    const baseline = (await h.database.db.syncRun.findUniqueOrThrow({ where: { id: runId } })).stats as unknown as RunStats;

    const other = await h.connect("shopify", { id: "limited-shop-2", size: 1500 });
    const run2 = (await nextRun(h.engine, other))!;
    // Four requests in a row answer 429 (Retry-After: 1): the first object's count, which a run asks
    // once and never retries (its total stays unknown), then three pages.
    await h.control("/shopify/limited-shop-2/faults", "PUT", { burst_429: 4 });
    const pauses: Date[] = [];
    for (;;) {
      first = await executeRun(h.engine, run2);
      if (first.status !== "rate_limited") break;
      pauses.push(first.resumeAt);
      const paused = await h.database.db.syncRun.findUniqueOrThrow({ where: { id: run2 } });
      expect(paused.status).toBe("rate_limited");
      // Not before its resume time.
      expect(await nextRun(h.engine, other)).toBeNull();
      h.advance(1500);
      expect(await nextRun(h.engine, other)).toBe(run2);
    }
    expect(first.status).toBe("succeeded");
    expect(pauses).toHaveLength(3);
    const events = await h.database.db.event.findMany({ where: { syncRunId: run2, type: "SYNC_RATE_LIMITED" } });
    expect(events).toHaveLength(3);
    expect(events[0].data).toMatchObject({ retry_after_ms: 1000 });
    const stats = (await h.database.db.syncRun.findUniqueOrThrow({ where: { id: run2 } })).stats as unknown as RunStats;
    expect(stats.rate_limited).toBe(4);
    expect(stats.pauses).toHaveLength(3);
    // Same pages as the unlimited run, plus only the four refused requests. Requests also count a bulk
    // operation's status polls, as many as its timing takes, so the pages are compared object by object.
    for (const object of Object.keys(baseline.objects)) expect(stats.objects[object].pages, object).toBe(baseline.objects[object].pages);
    expect(stats.requests).toBeGreaterThanOrEqual(4 + Object.values(stats.objects).reduce((sum, o) => sum + o.pages, 0));
    for (const object of ["products", "customers", "orders"]) {
      expect(stats.objects[object].unchanged).toBe(0);
      expect(await h.stored(other, object)).toEqual(await h.truth("shopify", "limited-shop-2", object));
    }
  });

  it("waits out a short Retry-After inside the run", async () => {
    const engine = { ...h.engine, options: { ...h.engine.options, inlineRateLimitWaitMs: 5000 } };
    const connectionId = await h.connect("quickbooks", { id: "limited-books", size: 800 });
    // The first 429 answers the first object's count, which is not retried; the two after it, pages.
    await h.control("/quickbooks/limited-books/faults", "PUT", { burst_429: 3 });
    const [run] = await syncDue(engine, connectionId, { maxRuns: 1 });
    expect(run.result.status).toBe("succeeded");
    const stats = (await h.database.db.syncRun.findUniqueOrThrow({ where: { id: run.runId } })).stats as unknown as RunStats;
    expect(stats).toMatchObject({ rate_limited: 3, retries: 2, pauses: [] });
    expect(await h.database.db.event.count({ where: { syncRunId: run.runId, type: "SYNC_RATE_LIMITED" } })).toBe(0);
  });
});

describe("Zendesk comments", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await createSyncHarness({});
  });
  afterAll(() => h?.close());

  it("are fetched per ticket, after the tickets, each pointing at a stored ticket", async () => {
    const connectionId = await h.connect("zendesk", { id: "comments-desk", size: 600 });
    const [run] = await syncDue(h.engine, connectionId, { maxRuns: 1 });
    expect(run.result.status).toBe("succeeded");
    const types = (await h.database.db.event.findMany({ where: { syncRunId: run.runId }, orderBy: { seq: "asc" } })).map((e) => e.type);
    expect(types.indexOf("TICKET_SYNC_COMPLETED")).toBeLessThan(types.indexOf("COMMENT_SYNC_STARTED"));
    const tickets = new Set(await h.stored(connectionId, "tickets"));
    const comments = await h.database.db.record.findMany({ where: { connectionId, object: "comments" }, select: { data: true } });
    expect(comments.length).toBeGreaterThan(tickets.size);
    expect(comments.every((c) => tickets.has((c.data as { ticket_id: string }).ticket_id))).toBe(true);
    // At least one request per ticket for its comments.
    const stats = (await h.database.db.syncRun.findUniqueOrThrow({ where: { id: run.runId } })).stats as unknown as RunStats;
    expect(stats.objects.comments.requests).toBeGreaterThanOrEqual(tickets.size);
  });
});

describe("stuck runs", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await createSyncHarness({ engine: { stuckAfterMs: 30 * 60_000 } });
  });
  afterAll(() => h?.close());

  it("fails a running run that made no progress for the configured time, once", async () => {
    const connectionId = await h.connect("quickbooks", { id: "stuck-books", size: 100 });
    const runId = (await nextRun(h.engine, connectionId))!;
    // A process took the run and died before its first page.
    await h.database.db.syncRun.update({ where: { id: runId }, data: { status: "running", startedAt: new Date(h.now()), lastProgressAt: new Date(h.now()) } });
    expect(await failStuckRuns(h.engine)).toEqual([]);
    h.advance(31 * 60_000);
    expect(await failStuckRuns(h.engine)).toEqual([runId]);
    expect(await failStuckRuns(h.engine)).toEqual([]);
    const run = await h.database.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("failed");
    expect(run.error).toMatchObject({ kind: "transient", message: expect.stringContaining("No progress for 30 minutes") });
    expect((await h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } })).health).toBe("UNHEALTHY");
    const completed = await h.database.db.event.findFirstOrThrow({ where: { syncRunId: runId, type: "SYNC_COMPLETED" } });
    expect(completed.data).toMatchObject({ status: "failed" });
    // The batch is tried again after the backoff.
    h.advance(2 * 60_000);
    const [retry] = await syncDue(h.engine, connectionId, { maxRuns: 1 });
    expect(retry.runId).not.toBe(runId);
    expect(retry.result.status).toBe("succeeded");
  });
});
