// "Batch N of M" when the configuration changes in the middle of the history: the batch that was
// already running still ends, and counts against the total (done + what the configuration still has
// after it), so neither the connection nor HISTORICAL_UPDATE ever says more batches done than in all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "@/lib/db/ids";
import { syncDue } from "./drive";
import { saveConfigurationLevel } from "./load-configuration";
import { nextRun } from "./planner";
import { executeRun } from "./runner";
import { createSyncHarness, type SyncHarness } from "./testing";

describe("batches total after a mid-history configuration change", () => {
  let h: SyncHarness;
  let connectionId: string;

  beforeAll(async () => {
    // Three batches: the last month, 1–12 months ago, and the rest of the 25-month history.
    h = await createSyncHarness({
      batches: [
        { objects: [], fromMonthsAgo: 1, toMonthsAgo: 0 },
        { objects: [], fromMonthsAgo: 12, toMonthsAgo: 1 },
      ],
    });
    connectionId = await h.connect("shopify", { id: "total-shop", size: 120 });
  });
  afterAll(() => h?.close());

  const connection = () => h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } });

  it("counts the batch in progress as the last one when the configuration shrinks to a single batch", async () => {
    expect(await connection()).toMatchObject({ batchesTotal: 3, batchesCompleted: 0 });
    const [first] = await syncDue(h.engine, connectionId, { maxRuns: 1 });
    expect(first.result.status).toBe("succeeded");
    expect(await connection()).toMatchObject({ stage: "HISTORICAL_SYNC", batchesCompleted: 1, batchesTotal: 3 });

    // Batch 2 is queued; then the organization goes to one batch for the whole history.
    const second = await nextRun(h.engine, connectionId);
    expect(second).not.toBeNull();
    await saveConfigurationLevel(
      h.database.db,
      { organizationId: h.organizationId, environment: "sandbox" },
      { objects: [], historyMonths: 25, incrementalFrequencyMinutes: 60, batches: [{ objects: [], fromMonthsAgo: 25, toMonthsAgo: 0 }] },
      newId,
    );
    expect((await executeRun(h.engine, second!)).status).toBe("succeeded");

    const after = await connection();
    expect(after.stage).toBe("ONGOING");
    expect(after.batchesCompleted).toBe(2);
    expect(after.batchesTotal).toBe(2);
    const update = await h.database.db.event.findFirstOrThrow({ where: { connectionId, type: "HISTORICAL_UPDATE" } });
    expect(update.data).toMatchObject({ batch: 2, batches_total: 2 });
    // The history is over: nothing else is planned as a batch.
    expect(await h.database.db.syncRun.count({ where: { connectionId, kind: { in: ["initial_batch", "historical_batch"] } } })).toBe(2);
  });
});
