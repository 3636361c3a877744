// One page of a sync job run's walk: the frame's request, the platform's answer through the
// connection's platform session (lib/sync/platform-session.ts: limiter, credentials, retries), and
// what the run sends for it — SYNC_JOB_RUN_RECORD; or, when the request fails, SYNC_JOB_RUN_RATE_LIMITED
// and a pause, SYNC_JOB_RUN_RECORD_ERROR under error_handling "ignore", or the run's failure.
import type { Connection } from "@/lib/generated/prisma/client";
import { retryAfterMs } from "@/lib/platforms/http";
import { ConnectorError, type CountRequest, type ListPage, type ListRequest } from "@/lib/platforms/types";
import type { SyncEngine } from "@/lib/sync/engine";
import { classifyFailure, openPlatformSession } from "@/lib/sync/platform-session";
import type { JobRunStream } from "./run-stream";
import { JobLeaseLostError, JobRunEnded, type Frame, type JobRunResult, type JobRunState, type ResourceProgress } from "./run-state";
import type { FrameRequest, JobWalk } from "./walk";

/** One page of a resource, or its count; their requests are counted in the resource's progress. */
export interface JobPageFetch {
  list(resource: string, request: ListRequest): Promise<ListPage>;
  count(resource: string, request: CountRequest): Promise<number | null>;
  /** A proxy resource's GET (the proxy's path rule, credentials and limiter), its records read from the answer. */
  proxy(resource: string, request: NonNullable<FrameRequest["proxy"]>): Promise<ListPage>;
}

/** The most a proxy resource's answer may hold: it is read whole, as one page. */
const MAX_PROXY_ANSWER_BYTES = 5 * 1024 * 1024;

/**
 * A proxied answer as a page: the records at `recordsAt` (an array, or one object; none when absent), or
 * the whole answer as one record. A status other than 2xx is a ConnectorError of its kind, so a proxy
 * resource pauses on a 429 and fails or is skipped as a listing would.
 */
async function proxiedPage(response: Response, recordsAt: string | null): Promise<ListPage> {
  if (Number(response.headers.get("content-length") ?? 0) > MAX_PROXY_ANSWER_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw new ConnectorError("permanent", `The answer is over ${MAX_PROXY_ANSWER_BYTES} bytes: narrow it with query`);
  }
  const text = await response.text();
  if (response.status === 429) {
    throw new ConnectorError("rate_limited", "The platform answered 429", { retryAfterMs: retryAfterMs(response.headers.get("retry-after")), status: 429 });
  }
  if (response.status < 200 || response.status > 299) {
    const kind = response.status === 401 ? "auth_revoked" : response.status === 404 ? "not_found" : response.status >= 500 ? "transient" : "permanent";
    throw new ConnectorError(kind, `The platform answered ${response.status}: ${text.slice(0, 300)}`, { status: response.status });
  }
  if (text.length > MAX_PROXY_ANSWER_BYTES) throw new ConnectorError("permanent", `The answer is over ${MAX_PROXY_ANSWER_BYTES} bytes: narrow it with query`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ConnectorError("permanent", `The platform's answer is not JSON: ${text.slice(0, 100)}`);
  }
  let found: unknown = body;
  for (const key of recordsAt?.split(".") ?? []) found = found !== null && typeof found === "object" ? (found as Record<string, unknown>)[key] : undefined;
  const items = Array.isArray(found) ? found : found === undefined || found === null ? [] : [found];
  const records = items.map((item) =>
    item !== null && typeof item === "object" && !Array.isArray(item) ? (item as Record<string, unknown>) : { value: item },
  );
  return { records: records.map((data) => ({ externalId: "", updatedAt: null, data })), deleted: [], nextCursor: null, requests: 1 };
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
    proxy: (resource, request) =>
      counted(resource, async () => {
        const response = await session.proxy({
          method: "GET",
          path: request.path,
          search: request.search,
          headers: { accept: "application/json" },
          body: null,
        });
        return proxiedPage(response, request.recordsAt);
      }),
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
    if (target.proxy) page = await fetchPage.proxy(definition.resource, target.proxy);
    else {
      await countRoot(fetchPage, walk, frame, progress, target, definition.resource);
      page = await fetchPage.list(definition.resource, target.request);
    }
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
      ...(target.proxy ? { path: target.proxy.path } : {}),
      parent: walk.parentOf(frame),
      page: progress.pages,
      records,
    });
    if (settled !== "acked") return settled;
  }
  return "fetched";
}
