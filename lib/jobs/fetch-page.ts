// One page of a sync job run's walk: the frame's request, the platform's answer through the
// connection's platform session (lib/sync/platform-session.ts: limiter, credentials, retries), and
// what the run sends for it — SYNC_JOB_RUN_RECORD; or, when the request fails, SYNC_JOB_RUN_RATE_LIMITED
// and a pause, SYNC_JOB_RUN_RECORD_ERROR under error_handling "ignore", or the run's failure.
import type { Connection } from "@/lib/generated/prisma/client";
import type { CountRequest, ListPage, ListRequest } from "@/lib/platforms/types";
import type { SyncEngine } from "@/lib/sync/engine";
import { classifyFailure, openPlatformSession } from "@/lib/sync/platform-session";
import type { JobRunStream } from "./run-stream";
import { JobLeaseLostError, JobRunEnded, type Frame, type JobRunResult, type JobRunState, type ResourceProgress } from "./run-state";
import type { FrameRequest, JobWalk } from "./walk";

/** One page of a resource, or its count; their requests are counted in the resource's progress. */
export interface JobPageFetch {
  list(resource: string, request: ListRequest): Promise<ListPage>;
  count(resource: string, request: CountRequest): Promise<number | null>;
}

export function jobPageFetch(
  engine: SyncEngine,
  connection: Connection & { platformAccountId: string },
  progress: Record<string, ResourceProgress>,
): JobPageFetch {
  let counting: ResourceProgress | null = null;
  const session = openPlatformSession(engine, connection, {
    onRequest: () => {
      if (counting) counting.requests++;
    },
  });
  async function counted<T>(resource: string, work: () => Promise<T>): Promise<T> {
    counting = progress[resource];
    try {
      return await work();
    } finally {
      counting = null;
    }
  }
  return {
    list: (resource, request) => counted(resource, () => session.list(request)),
    count: (resource, request) => counted(resource, () => session.count(request)),
  };
}

/**
 * Asks the platform, once, how many records a root resource's walk will list: only for a request a
 * count can follow (the object, in a creation window at most); never for a resource listed per
 * parent record, nor one narrowed by filters or an updated-since bound.
 */
async function countRoot(
  fetchPage: JobPageFetch,
  walk: JobWalk,
  frame: Frame,
  progress: ResourceProgress,
  target: FrameRequest,
  resource: string,
): Promise<void> {
  if (progress.total !== undefined || target.request.cursor !== null || walk.parentOf(frame) !== null) return;
  const { request } = target;
  const countable = !request.updatedSince && !(request.filters && Object.keys(request.filters).length > 0);
  progress.total = countable ? await fetchPage.count(resource, { object: request.object, ...(request.window ? { window: request.window } : {}) }) : null;
}

export interface PageStep {
  walk: JobWalk;
  stream: JobRunStream;
  fetchPage: JobPageFetch;
  errorHandling: JobRunState["job"]["errorHandling"];
}

/**
 * Fetches and sends the page of a frame that has none. "fetched": a platform request was made and
 * the run goes on; "moved": the walk moved on without one (a parent lacked a placeholder's value, or
 * the request could not be built); otherwise this call of the runner ends with the result.
 */
export async function fetchFramePage({ walk, stream, fetchPage, errorHandling }: PageStep, frame: Frame): Promise<"fetched" | "moved" | JobRunResult> {
  const definition = walk.definition(frame);
  const progress = stream.progress[definition.resource];
  let target: FrameRequest | null = null;
  let page: ListPage;
  try {
    target = walk.requestFor(frame);
    if (target === null) {
      progress.skipped++;
      walk.advance(frame);
      return "moved";
    }
    await countRoot(fetchPage, walk, frame, progress, target, definition.resource);
    page = await fetchPage.list(definition.resource, target.request);
  } catch (error) {
    if (error instanceof JobLeaseLostError || error instanceof JobRunEnded) throw error;
    const failure = classifyFailure(error);
    if (failure.kind === "rate_limited") {
      const wait = failure.retryAfterMs;
      const resumeAt = new Date(Date.now() + wait);
      // A spent daily allowance (limit "daily") pauses the run the same way, until the window frees.
      const settled = await stream.send(
        "SYNC_JOB_RUN_RATE_LIMITED",
        { resource: definition.resource, limit: failure.limit, message: failure.message, retry_after_ms: wait, resume_at: resumeAt.toISOString() },
        { status: "rate_limited", resumeAt },
      );
      if (settled !== "acked") return settled;
      await stream.save({ status: "rate_limited", resumeAt });
      return { status: "rate_limited", resumeAt };
    }
    progress.errors++;
    const { kind, message } = failure;
    // Revoked credentials or a closed account end every request alike: the run fails whatever its error handling.
    if (errorHandling === "fail_fast" || kind === "auth_revoked" || kind === "account_closed") {
      return stream.fail({ code: kind === "auth_revoked" || kind === "account_closed" ? kind : "fetch_failed", message, resource: definition.resource });
    }
    const detail = { resource: definition.resource, method: definition.method, parent: walk.parentOf(frame), error: { kind, message } };
    walk.advance(frame);
    const settled = await stream.send("SYNC_JOB_RUN_RECORD_ERROR", detail);
    return settled === "acked" ? (target ? "fetched" : "moved") : settled;
  }
  const records = page.records.map((record) => record.data);
  progress.pages++;
  progress.records += records.length;
  walk.setPage(frame, records, page.nextCursor);
  if (records.length > 0) {
    const settled = await stream.send("SYNC_JOB_RUN_RECORD", {
      resource: definition.resource,
      method: definition.method,
      query: target.query,
      parent: walk.parentOf(frame),
      page: progress.pages,
      records,
    });
    if (settled !== "acked") return settled;
  }
  return "fetched";
}
