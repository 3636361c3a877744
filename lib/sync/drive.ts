// Runs whatever is due for one connection, run after run, until nothing is due or a run pauses for
// a rate limit. The embedded worker and the Inngest connection-sync function call this; so do tests.
import type { SyncEngine } from "./engine";
import { nextRun } from "./planner";
import { executeRun, type ExecuteOptions, type RunResult } from "./runner";

export interface DrivenRun {
  runId: string;
  result: RunResult;
}

export async function syncDue(engine: SyncEngine, connectionId: string, options: { maxRuns?: number } & ExecuteOptions = {}): Promise<DrivenRun[]> {
  const runs: DrivenRun[] = [];
  const maxRuns = options.maxRuns ?? 100;
  while (runs.length < maxRuns) {
    const runId = await nextRun(engine, connectionId);
    if (!runId) break;
    const result = await executeRun(engine, runId, { shouldYield: options.shouldYield });
    runs.push({ runId, result });
    if (result.status === "rate_limited" || result.status === "yielded") break;
  }
  return runs;
}
