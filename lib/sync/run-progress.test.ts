// A batch's progress: the platform's count of each object is read once when the object starts and
// stored in the run's statistics (`total`), and `seen` grows page by page to meet it; platforms or
// objects without a count endpoint store null.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncDue } from "./drive";
import type { RunStats } from "./runner";
import { createSyncHarness, type SyncHarness } from "./testing";

describe("a batch's progress against the platform's count", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await createSyncHarness({});
  }, 300_000);
  afterAll(() => h?.close());

  it("stores Zendesk's ticket, user and organization counts as totals, and none for comments", async () => {
    const connectionId = await h.connect("zendesk", { id: "progress-desk", size: 300 });
    await syncDue(h.engine, connectionId, { maxRuns: 1 });
    const run = await h.database.db.syncRun.findFirstOrThrow({ where: { connectionId, kind: "initial_batch" }, orderBy: { scheduledAt: "asc" } });
    const stats = run.stats as unknown as RunStats;
    for (const object of ["tickets", "users", "organizations"] as const) {
      if (!stats.objects[object]) continue;
      const live = (await h.truth("zendesk", "progress-desk", object)).length;
      expect(stats.objects[object].total, object).toBe(live);
      // Every live record was seen (an export also lists deletions, so seen may pass the count).
      expect(stats.objects[object].seen, object).toBeGreaterThanOrEqual(live);
    }
    expect(Object.keys(stats.objects).some((object) => ["tickets", "users", "organizations"].includes(object))).toBe(true);
    if (stats.objects.comments) expect(stats.objects.comments.total).toBeNull();
  }, 300_000);
});
