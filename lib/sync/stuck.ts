// Stuck-run detection (DESIGN.md section 2, after Violet's "set timeouts"): a run marked running
// that has made no progress for `stuckAfterMs` — a hung request, or a process that died with no one
// to resume its run — is failed like any other failed run: SYNC_COMPLETED with its objects, the
// health transition, and the next attempt scheduled. Its checkpoints stay, for the record.
import type { SyncEngine } from "./engine";
import { finishRun, type RunStats } from "./runner";

export async function failStuckRuns(engine: SyncEngine): Promise<string[]> {
  const { db } = engine;
  const cutoff = new Date(engine.clock() - engine.options.stuckAfterMs);
  const stuck = await db.syncRun.findMany({
    where: { status: "running", OR: [{ lastProgressAt: { lt: cutoff } }, { lastProgressAt: null, startedAt: { lt: cutoff } }] },
    take: 100,
  });
  const failed: string[] = [];
  for (const run of stuck) {
    // Claim it: only one monitor fails a given run (the claim moves lastProgressAt, so a second finds
    // nothing), and a run that progressed meanwhile is left alone. finishRun then moves it running → failed.
    const claimed = await db.syncRun.updateMany({
      where: { id: run.id, status: "running", lastProgressAt: run.lastProgressAt },
      data: { lastProgressAt: new Date(engine.clock()) },
    });
    if (claimed.count === 0) continue;
    const saved = (run.stats ?? {}) as Partial<RunStats>;
    const message = `No progress for ${Math.round(engine.options.stuckAfterMs / 60_000)} minutes; the run was stopped`;
    const stats: RunStats = {
      requests: saved.requests ?? 0,
      rate_limited: saved.rate_limited ?? 0,
      retries: saved.retries ?? 0,
      pauses: saved.pauses ?? [],
      objects: Object.fromEntries(
        run.objects.map((object) => {
          const entry = saved.objects?.[object];
          const done = entry?.status === "succeeded" || entry?.status === "failed";
          return [object, done ? entry : { ...(entry ?? {}), status: "failed", error: { kind: "transient", message } }];
        }),
      ) as RunStats["objects"],
    };
    await finishRun(engine, run, stats, { kind: "transient", message });
    failed.push(run.id);
  }
  return failed;
}
