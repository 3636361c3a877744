// Sync job runs under a platform's daily request allowance (lib/sync/quota.ts): a run that reaches it
// pauses with SYNC_JOB_RUN_RATE_LIMITED (limit "daily") without sending the refused request, and goes
// on where it stopped once the window has freed, each window holding exactly the allowance.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DailyAllowance } from "@/lib/platforms/definition";

const ALLOWANCE: DailyAllowance = { requests: 20, window: "rolling_24h" };

vi.mock("@/lib/platforms/registry", async (importOriginal) => {
  const registry = await importOriginal<typeof import("@/lib/platforms/registry")>();
  return {
    PLATFORMS: registry.PLATFORMS.map((platform) => {
      if (platform.definition.key !== "zendesk") return platform;
      const rateLimit = { ...platform.connector.rateLimit, daily: ALLOWANCE };
      return { ...platform, definition: { ...platform.definition, rateLimit }, connector: { ...platform.connector, rateLimit } };
    }),
  };
});

const { executeJobRun } = await import("./runner");
const { createJobHarness, TICKETS_AND_COMMENTS } = await import("./testing");
type JobHarness = Awaited<ReturnType<typeof createJobHarness>>;

describe("a sync job run under a daily allowance", () => {
  let j: JobHarness;
  beforeAll(async () => {
    j = await createJobHarness({ size: 60 });
  });
  afterAll(() => j?.close());

  it("pauses when the allowance is spent, says so, and resumes where it stopped once the window frees", async () => {
    const jobId = await j.job(TICKETS_AND_COMMENTS);
    const runId = await j.run(jobId);
    const requests = async () =>
      Object.values((await j.h.database.db.syncJobRun.findUniqueOrThrow({ where: { id: runId } })).progress as Record<string, { requests: number }>).reduce(
        (sum, r) => sum + r.requests,
        0,
      );

    let result = await executeJobRun(j.h.engine, runId);
    const perWindow: number[] = [];
    let before = 0;
    for (let windows = 0; result.status === "rate_limited" && windows < 20; windows++) {
      const total = await requests();
      perWindow.push(total - before);
      before = total;
      // The whole window passes (resume_at is wall-clock time; the engine's clock decides the count).
      j.h.advance(24 * 60 * 60_000 + 5 * 60_000);
      result = await executeJobRun(j.h.engine, runId);
    }
    expect(result).toEqual({ status: "succeeded" });
    // Syncs leave no reserve under 50 requests a day (2%, rounded down): each full window sent exactly 20.
    expect(perWindow.length).toBeGreaterThan(0);
    for (const sent of perWindow) expect(sent).toBe(20);

    const events = j.receiver.acknowledged().filter((e) => e.data.sync_job_run_id === runId);
    const limited = events.filter((e) => e.type === "SYNC_JOB_RUN_RATE_LIMITED");
    expect(limited).toHaveLength(perWindow.length);
    expect(limited[0].data).toMatchObject({
      limit: "daily",
      message: expect.stringMatching(/^daily limit of 20 requests reached; resumes at \d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
    });
    // Every ticket's comments exactly once, pauses or not.
    const parents = events
      .filter((e) => e.type === "SYNC_JOB_RUN_RECORD" && e.data.resource === "ticketing/comments")
      .map((e) => (e.data.parent as { id: string }).id);
    expect(new Set(parents).size).toBe(parents.length);
  });
});
