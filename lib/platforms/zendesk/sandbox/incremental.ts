// Zendesk's incremental exports (Support API v2, "Incremental Exports" reference and the guide
// "Using the Incremental Export API", including the October 2024 change that excludes the last minute):
// - time-based: GET /api/v2/incremental/{tickets,users,organizations}.json?start_time=<unix s>
//   → { <objects>, next_page, count, end_time, end_of_stream };
// - cursor-based: GET /api/v2/incremental/{tickets,users}/cursor.json?start_time= | ?cursor=
//   → { <objects>, after_url, after_cursor, before_url, before_cursor, end_of_stream }.
// Items come in (updated_at, id) order and a page resumes strictly after the previous page's last
// (updated_at ms, id), so no item repeats or goes missing when many share one second.
import type { Dataset, StoredRecord } from "@/lib/sandbox/dataset";
import { json, type SandboxRequest, type SandboxResponse } from "@/lib/sandbox/http";
import { apiUrl, BadParameter, boolParam, decodeCursor, encodeCursor, intParam, zendeskRecordJson, type ZendeskObject } from "./wire";

const PAGE_SIZE = 1000;
/** Zendesk leaves out what changed in the minute before the request, and refuses newer start times. */
const SETTLE_SECONDS = 60;

interface ExportPosition {
  since: number;
  after?: { updatedAt: number; id: number };
}

interface ExportPage {
  records: StoredRecord[];
  endOfStream: boolean;
  /** Start of the window that was left out (unix seconds): everything older than it was served. */
  cutoff: number;
}

function readPage(request: SandboxRequest, dataset: Dataset, object: ZendeskObject, position: ExportPosition, now: number): ExportPage {
  const limit = intParam(request.query, "per_page", 1, PAGE_SIZE) ?? PAGE_SIZE;
  // Deleted tickets are exported with status "deleted" unless the client asks to leave them out;
  // deleted users and organizations are always exported (active: false, deleted_at).
  const excludeDeleted = object === "tickets" && boolParam(request.query, "exclude_deleted");
  const cutoff = Math.floor(now / 1000) - SETTLE_SECONDS;
  const records = dataset.listByUpdatedAt(object, { ...position, until: cutoff * 1000, includeDeleted: !excludeDeleted, limit });
  return { records, endOfStream: records.length < limit, cutoff };
}

function startTime(query: URLSearchParams, now: number): number {
  const raw = query.get("start_time");
  if (raw === null || raw === "") throw new BadParameter("start_time", "start_time is required: a Unix epoch time in seconds");
  if (!/^\d{1,12}$/.test(raw)) throw new BadParameter("start_time", "start_time must be a Unix epoch time in seconds");
  const value = Number(raw);
  const nowSeconds = Math.floor(now / 1000);
  if (value > nowSeconds) throw new BadParameter("start_time", "start_time is in the future");
  if (value > nowSeconds - SETTLE_SECONDS) throw new BadParameter("start_time", "Too recent start_time. Use a start_time older than 1 minute");
  return value;
}

function exportCursor(query: URLSearchParams): ExportPosition | undefined {
  const raw = query.get("cursor");
  if (raw === null) return undefined;
  const [updatedAt, id] = decodeCursor("cursor", raw, 2, "InvalidValue");
  return { since: updatedAt, after: { updatedAt, id } };
}

/** Parameters a client set that the next page must keep. */
function carried(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["per_page", "exclude_deleted"]) {
    const value = query.get(name);
    if (value !== null) out[name] = value;
  }
  return out;
}

/**
 * Time-based export. end_time is the last item's updated_at (seconds) and next_page starts there, as
 * Zendesk documents; next_page also carries the exact resume point (`cursor`, a sandbox addition
 * that Zendesk's own next_page does not have), so following next_page never repeats an item, while a
 * client that rebuilds the URL from end_time sees Zendesk's documented duplicates. On the last page
 * end_time is where the left-out last minute begins, so polling again from it returns exactly what
 * changed since.
 */
export function timeBasedExport(request: SandboxRequest, dataset: Dataset, object: ZendeskObject, now: number): SandboxResponse {
  const since = startTime(request.query, now);
  const resume = exportCursor(request.query);
  const position: ExportPosition = resume && resume.since >= since * 1000 ? resume : { since: since * 1000 };
  const page = readPage(request, dataset, object, position, now);
  const last = page.records[page.records.length - 1];
  const endTime = page.endOfStream || !last ? page.cutoff : Math.floor(last.updatedAt / 1000);
  const next: Record<string, string | number> = { start_time: endTime, ...carried(request.query) };
  if (!page.endOfStream && last) next.cursor = encodeCursor([last.updatedAt, last.id]);
  return json(200, {
    [object]: page.records.map((record) => zendeskRecordJson(record, request.baseUrl)),
    next_page: apiUrl(request.baseUrl, request.path, next),
    count: page.records.length,
    end_time: endTime,
    end_of_stream: page.endOfStream,
  });
}

/** Cursor-based export: the cursor holds the last item's (updated_at ms, id), so it never skips or repeats. */
export function cursorBasedExport(request: SandboxRequest, dataset: Dataset, object: ZendeskObject, now: number): SandboxResponse {
  const { query } = request;
  let position = exportCursor(query);
  if (!position) {
    const since = startTime(query, now) * 1000;
    // id 0 precedes every record of that millisecond: the start time is inclusive.
    position = { since, after: { updatedAt: since, id: 0 } };
  }
  const page = readPage(request, dataset, object, position, now);
  const last = page.records[page.records.length - 1];
  const resumeAt = last ? { updatedAt: last.updatedAt, id: last.id } : position.after!;
  const afterCursor = encodeCursor([resumeAt.updatedAt, resumeAt.id]);
  return json(200, {
    [object]: page.records.map((record) => zendeskRecordJson(record, request.baseUrl)),
    after_url: apiUrl(request.baseUrl, request.path, { cursor: afterCursor, ...carried(query) }),
    after_cursor: afterCursor,
    before_url: null,
    before_cursor: null,
    end_of_stream: page.endOfStream,
  });
}
