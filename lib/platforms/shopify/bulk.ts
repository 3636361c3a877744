// Initial and historical listings through bulk operations (GraphQL Admin API 2026-10,
// https://shopify.dev/docs/api/usage/bulk-operations/queries): one operation per object and window,
// its JSONL result streamed into the engine one page at a time.
//
// The listing's cursor is the operation's id and the byte offset of the next record's line in its
// file, so every page the engine stores is a checkpoint: a process that dies resumes by asking the
// operation for its URL again (never stored: it is a week-long credential to the shop's data) and
// downloading from that offset with a byte range. Within a process the download stays open between
// pages (`open`, keyed by operation and offset), so a normal run makes one request for the whole file.
//
// An operation that is gone (its URL expired after seven days, or it was cancelled or failed) is run
// again from the start: pages are upserts, so re-reading records changes nothing. One that cannot
// start (the shop's five concurrent operations are taken) leaves the listing to paginated queries.
import { guardedFetch, guardOptionsFromEnv } from "@/lib/webhooks/ssrf";
import { ConnectorError, type ConnectorContext } from "../types";
import { adminQuery } from "./admin-graphql";
import type { Json } from "./normalize";
import { BULK_OPERATION_QUERY, BULK_QUERIES, RUN_BULK_QUERY } from "./queries";

export type BulkObject = keyof typeof BULK_QUERIES;

export interface BulkCursor {
  phase: "bulk";
  /** The operation's gid. */
  operation: string;
  /** Byte offset of the next top-level line in the operation's file. */
  offset: number;
  /** Operations started for this listing so far; one that keeps failing leaves it to paginated queries. */
  attempt: number;
  /** The operation lists records with ids past this one (the first page, read by a query, held the rest). */
  pastId: string;
}

/** Top-level records a page holds unless the caller asks for fewer. */
export const BULK_PAGE_RECORDS = 1000;
/** How long one call waits for a running operation before it returns an empty page (a checkpoint). */
const POLL_BUDGET_MS = 20_000;
/** Operations a listing starts before it gives up on bulk and pages instead. */
const MAX_ATTEMPTS = 3;
/** An open download nobody continued within this long is closed. */
const IDLE_DOWNLOAD_MS = 60_000;

type UserError = { code?: string | null; message?: string };

/**
 * Starts the operation that lists `object` matching `search` (a window's created_at terms and
 * `id:>pastId`, the listing's first page having been read by a query); null when
 * the shop runs as many bulk operations as it may (LIMIT_REACHED, OPERATION_IN_PROGRESS).
 */
export async function startBulk(context: ConnectorContext, object: BulkObject, search: string, pastId: string, attempt: number): Promise<BulkCursor | null> {
  const spec = BULK_QUERIES[object];
  const grouped = Object.keys(spec.nested).length > 0;
  const data = await adminQuery<{ bulkOperationRunQuery?: { bulkOperation: { id: string } | null; userErrors: UserError[] } | null }>(
    context,
    RUN_BULK_QUERY.query,
    { query: spec.query(search), group: grouped },
    RUN_BULK_QUERY.cost,
  );
  const payload = data.bulkOperationRunQuery;
  const errors = payload?.userErrors ?? [];
  if (errors.some((error) => error.code === "LIMIT_REACHED" || error.code === "OPERATION_IN_PROGRESS")) return null;
  if (errors.length > 0 || !payload?.bulkOperation) {
    throw new ConnectorError(
      "permanent",
      `Shopify refused the bulk query: ${
        errors
          .map((error) => error.message ?? error.code)
          .join("; ")
          .slice(0, 300) || "no operation"
      }`,
    );
  }
  return { phase: "bulk", operation: payload.bulkOperation.id, offset: 0, attempt, pastId };
}

interface OperationState {
  id: string;
  status: "CREATED" | "RUNNING" | "CANCELING" | "CANCELED" | "COMPLETED" | "FAILED" | "EXPIRED";
  errorCode: string | null;
  url: string | null;
}

/** What becomes of a listing whose operation cannot be read: run it again, or page instead. */
export type BulkRestart = { restart: true; attempt: number } | { paginate: true };

/**
 * The next page of the operation's file: up to `pageSize` top-level records (each with its nested
 * elements), the cursor after them (null at the end), or, while the operation runs, an empty page with
 * the same cursor once the poll budget is spent. `restart` says what to do when the operation is gone.
 */
export async function readBulkPage(
  context: ConnectorContext,
  object: BulkObject,
  cursor: BulkCursor,
  pageSize: number,
): Promise<{ roots: Json[]; next: BulkCursor | null; requests: number } | BulkRestart> {
  let requests = 0;
  let download = takeOpen(context, cursor);
  if (!download) {
    const deadline = Date.now() + POLL_BUDGET_MS;
    let wait = 250;
    for (;;) {
      const data = await adminQuery<{ node?: OperationState | null }>(context, BULK_OPERATION_QUERY.query, { id: cursor.operation }, BULK_OPERATION_QUERY.cost);
      requests++;
      const operation = data.node;
      if (operation?.status === "COMPLETED") {
        // An operation that matched nothing has no file.
        if (!operation.url) return { roots: [], next: null, requests };
        const opened = await openDownload(context, operation.url, cursor.offset);
        requests++;
        if (opened === "gone") return restart(cursor);
        download = opened;
        break;
      }
      if (!operation || operation.status === "CANCELED" || operation.status === "EXPIRED" || operation.status === "FAILED") return restart(cursor);
      if (Date.now() + wait > deadline) return { roots: [], next: cursor, requests };
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(2_000, wait * 2);
    }
  }
  const nested = BULK_QUERIES[object].nested;
  const roots: Json[] = [];
  for (;;) {
    const line = await download.peek();
    if (line === null) {
      download.close();
      return { roots, next: null, requests };
    }
    const parentId = line.value.__parentId;
    if (parentId === undefined) {
      if (roots.length >= pageSize) break;
      const root = line.value;
      for (const field of Object.values(nested)) root[field] = { nodes: [] };
      roots.push(root);
    } else {
      const parent = roots.at(-1);
      const field = nested[gidType(line.value.id) ?? ""];
      // Grouped output puts every element right after its record; anything else means the file is not
      // what was asked for, and reading on would attach elements to the wrong records or drop them.
      if (!parent || parent.id !== parentId || !field)
        throw new ConnectorError(
          "permanent",
          `Shopify's bulk file has a nested line out of its record's group (${String(line.value.id)} of ${String(parentId)})`,
        );
      const { __parentId, ...element } = line.value;
      void __parentId;
      (parent[field] as { nodes: Json[] }).nodes.push(element);
    }
    download.advance();
  }
  const next: BulkCursor = { ...cursor, offset: download.offset };
  keepOpen(context, next, download);
  return { roots, next, requests };
}

function restart(cursor: BulkCursor): BulkRestart {
  return cursor.attempt + 1 >= MAX_ATTEMPTS ? { paginate: true } : { restart: true, attempt: cursor.attempt + 1 };
}

function gidType(id: unknown): string | null {
  return typeof id === "string" ? (/^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id)?.[1] ?? null) : null;
}

/** A JSONL download read line by line, knowing the byte offset of the line it stands at. */
class JsonlDownload {
  private buffer: Uint8Array = new Uint8Array(0);
  private start = 0;
  private current: { value: Json; bytes: number } | null = null;
  private ended = false;
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    /** Offset in the file of the line `peek` answers. */
    public offset: number,
    private skip: number,
  ) {}

  /** The line at `offset`, parsed; null at the end of the file. */
  async peek(): Promise<{ value: Json } | null> {
    if (this.current) return this.current;
    for (;;) {
      const newline = this.buffer.indexOf(10, this.start);
      if (newline >= 0) {
        const bytes = this.buffer.subarray(this.start, newline);
        this.start = newline + 1;
        if (bytes.length === 0) {
          this.offset += 1;
          continue;
        }
        let value: Json;
        try {
          value = JSON.parse(this.decoder.decode(bytes)) as Json;
        } catch {
          throw new ConnectorError("transient", `Shopify's bulk file has an unreadable line at byte ${this.offset}`);
        }
        this.current = { value, bytes: bytes.length + 1 };
        return this.current;
      }
      if (this.ended) {
        if (this.start < this.buffer.length) throw new ConnectorError("transient", "Shopify's bulk file ended inside a line");
        return null;
      }
      await this.fill();
    }
  }

  /** Moves past the line `peek` answered. */
  advance(): void {
    if (!this.current) return;
    this.offset += this.current.bytes;
    this.current = null;
  }

  close(): void {
    this.ended = true;
    this.reader.cancel().catch(() => undefined);
  }

  private async fill(): Promise<void> {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await this.reader.read();
    } catch (error) {
      throw new ConnectorError(
        "transient",
        `Reading Shopify's bulk file failed at byte ${this.offset}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (chunk.done) {
      this.ended = true;
      return;
    }
    let value = chunk.value;
    // A server that ignored the byte range sends the file from its start.
    if (this.skip > 0) {
      const dropped = Math.min(this.skip, value.length);
      this.skip -= dropped;
      value = value.subarray(dropped);
    }
    const rest = this.buffer.subarray(this.start);
    const joined = new Uint8Array(rest.length + value.length);
    joined.set(rest);
    joined.set(value, rest.length);
    this.buffer = joined;
    this.start = 0;
  }
}

/**
 * The fetch a result URL is downloaded with. The URL is the platform's answer, not a constant: on the
 * shop's own host it goes as the shop's requests do; anywhere else (Shopify's cloud storage) it must
 * be https and passes the SSRF guard, so a forged answer cannot point the engine at a private address.
 */
let storageFetch: typeof fetch | null = null;
function downloadFetch(context: ConnectorContext, url: string): typeof fetch {
  const target = new URL(url);
  if (target.origin === new URL(context.baseUrl).origin) return context.fetch;
  if (target.protocol !== "https:") throw new ConnectorError("permanent", `Shopify's bulk file is not on https (${target.origin})`);
  return (storageFetch ??= guardedFetch(guardOptionsFromEnv()));
}

/** GET the file from `offset` on; "gone" when the URL no longer serves it (expired, or revoked). */
async function openDownload(context: ConnectorContext, url: string, offset: number): Promise<JsonlDownload | "gone"> {
  const fetchFile = downloadFetch(context, url);
  let response: Response;
  try {
    // No timeout on the body: it is read page by page for as long as the engine takes to store them.
    response = await fetchFile(url, { headers: offset > 0 ? { Range: `bytes=${offset}-` } : {} });
  } catch (error) {
    throw new ConnectorError("transient", `Downloading Shopify's bulk file failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (response.status === 403 || response.status === 404 || response.status === 410 || response.status === 416) {
    await response.body?.cancel().catch(() => undefined);
    return "gone";
  }
  if (response.status >= 500 || response.status === 429) {
    await response.body?.cancel().catch(() => undefined);
    throw new ConnectorError("transient", `Shopify's bulk file answered ${response.status}`, { status: response.status });
  }
  if ((response.status !== 200 && response.status !== 206) || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new ConnectorError("permanent", `Shopify's bulk file answered ${response.status}`, { status: response.status });
  }
  return new JsonlDownload(response.body.getReader(), offset, response.status === 200 ? offset : 0);
}

/** Downloads left open between pages, by account, operation and offset. */
const open = new Map<string, { download: JsonlDownload; timer: NodeJS.Timeout }>();

const openKey = (context: ConnectorContext, cursor: BulkCursor) => `${context.baseUrl} ${cursor.operation} ${cursor.offset}`;

function keepOpen(context: ConnectorContext, cursor: BulkCursor, download: JsonlDownload): void {
  const key = openKey(context, cursor);
  open.get(key)?.download.close();
  const timer = setTimeout(() => {
    open.delete(key);
    download.close();
  }, IDLE_DOWNLOAD_MS);
  timer.unref();
  open.set(key, { download, timer });
}

function takeOpen(context: ConnectorContext, cursor: BulkCursor): JsonlDownload | null {
  const key = openKey(context, cursor);
  const held = open.get(key);
  if (!held) return null;
  open.delete(key);
  clearTimeout(held.timer);
  return held.download;
}

/** Closes every download left open: what a process that died forgets (tests resume a listing as a new process would). */
export function forgetOpenDownloads(): void {
  for (const [key, held] of open) {
    clearTimeout(held.timer);
    held.download.close();
    open.delete(key);
  }
}
