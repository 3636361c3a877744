// Segments from a stored run, without a database: what the runner leaves in stats while a run goes on.
import { describe, expect, it } from "vitest";
import { runSegments, type TimelineRunRow } from "./timeline-segments";

const NOW = new Date("2026-11-23T12:00:00.000Z");
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();

function run(overrides: Partial<TimelineRunRow>): TimelineRunRow {
  return {
    id: "run_1",
    kind: "initial_batch",
    status: "running",
    batchPosition: 1,
    objects: ["customers", "products", "orders"],
    startedAt: new Date(at(10)),
    finishedAt: null,
    resumeAt: null,
    lastProgressAt: null,
    stats: {
      requests: 5,
      rate_limited: 0,
      retries: 0,
      pauses: [],
      objects: { customers: { status: "succeeded", started_at: at(10), finished_at: at(6), created: 4 } },
    },
    error: null,
    ...overrides,
  };
}

describe("timeline segments of one run", () => {
  it("shows the object a running run is fetching from when the previous one ended, open until now", () => {
    const { run: whole, objects } = runSegments(run({}), NOW);
    expect(whole).toMatchObject({ runLabel: "Batch 1", outcome: "running", open: true, end: NOW.toISOString(), durationMs: 10 * 60_000 });
    expect(objects.map((o) => [o.object, o.outcome, o.start, o.open])).toEqual([
      ["customers", "succeeded", at(10), false],
      ["products", "running", at(6), true],
    ]);
  });

  it("ends an unfinished object with its run when the run was cancelled, and skips objects never started", () => {
    const { objects } = runSegments(run({ status: "cancelled", finishedAt: new Date(at(2)) }), NOW);
    expect(objects.map((o) => o.object)).toEqual(["customers"]);
    const failed = runSegments(
      run({
        status: "failed",
        finishedAt: new Date(at(2)),
        error: { kind: "auth_revoked", message: "401 from the platform" },
        stats: {
          objects: {
            customers: { status: "failed", started_at: at(10), finished_at: at(9), error: { kind: "auth_revoked", message: "401" } },
            products: { status: "skipped" },
          },
        },
      }),
      NOW,
    );
    expect(failed.run).toMatchObject({ outcome: "failed", error: "auth_revoked: 401 from the platform", open: false });
    expect(failed.objects).toHaveLength(1);
    expect(failed.objects[0]).toMatchObject({ outcome: "failed", error: "auth_revoked: 401" });
  });

  it("labels runs by kind and batch position", () => {
    expect(runSegments(run({ kind: "historical_batch", batchPosition: 3, status: "succeeded", finishedAt: new Date(at(1)) }), NOW).run.runLabel).toBe(
      "Batch 3",
    );
    expect(runSegments(run({ kind: "backfill", batchPosition: null }), NOW).run.runLabel).toBe("Backfill");
    expect(runSegments(run({ kind: "incremental", batchPosition: null }), NOW).run.runLabel).toBe("Incremental");
  });
});
