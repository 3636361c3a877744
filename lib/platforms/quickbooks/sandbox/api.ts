// The accounting sandbox: QuickBooks Online Accounting API v3 (minorversion 75), as documented at
// developer.intuit.com › QuickBooks Online › API reference (entities), › Learn › Query operations and
// syntax, and › Learn › Change data capture operation. Requests arrive authenticated and rate limited,
// with the path below /v3/company/{realmId}: GET|POST /query, GET /cdc, GET /{entity}/{id}, and
// POST /{entity} for the entities writes.ts takes (customers, vendors, invoices).
import type { Dataset, StoredRecord } from "@/lib/sandbox/dataset";
import { json, type SandboxRequest, type SandboxResponse } from "@/lib/sandbox/http";
import { QUICKBOOKS_OBJECTS, isQuickBooksEntity, type QuickBooksEntity } from "./objects";
import { countInIdOrder, pageByUpdatedAt, pageInIdOrder, type IdOrderFilter } from "@/lib/sandbox/paging";
import { parseQuery, type ParsedQuery } from "./query";
import { quickBooksRecordJson } from "./render";
import { formatQboResponseTime, parseQboDateTime } from "./time";
import { WRITABLE_ENTITIES, writeEntity, type WritableEntity } from "./writes";

export { quickBooksRecordJson } from "./render";

/** CDC looks back at most 30 days and answers at most 1000 objects across the requested entities. */
export const CDC_MAX_LOOKBACK_MS = 30 * 24 * 3600 * 1000;
export const CDC_MAX_OBJECTS = 1000;

export interface QuickBooksOptions {
  /** "Now" for the response `time` and CDC's look-back limit; pass the Dataset's clock. */
  now?: () => number;
}

const ID_BASES = new Map(QUICKBOOKS_OBJECTS.map((d) => [d.name, d.idBase]));
const BY_PATH_NAME = new Map(QUICKBOOKS_OBJECTS.map((d) => [d.name.toLowerCase(), d.name as QuickBooksEntity]));

interface FaultInput {
  status: number;
  type: "ValidationFault" | "SystemFault";
  code: string;
  message: string;
  detail: string;
  element?: string;
}

/** QBO's error body: { Fault: { Error: [{ Message, Detail, code, element? }], type }, time }. */
function fault(input: FaultInput, now: number): SandboxResponse {
  const error: Record<string, string> = { Message: input.message, Detail: input.detail, code: input.code };
  if (input.element !== undefined) error.element = input.element;
  return json(input.status, { Fault: { Error: [error], type: input.type }, time: formatQboResponseTime(now) });
}

function unsupported(request: SandboxRequest, now: number): SandboxResponse {
  return fault(
    {
      status: 400,
      type: "ValidationFault",
      code: "500",
      message: "Unsupported Operation",
      detail: `Operation ${request.method} ${request.path} is not supported.`,
    },
    now,
  );
}

export function handleQuickBooks(request: SandboxRequest, dataset: Dataset, options: QuickBooksOptions = {}): SandboxResponse {
  const now = (options.now ?? Date.now)();
  const path = request.path.replace(/\/+$/, "") || "/";
  const method = request.method.toUpperCase();
  if (path === "/query" && (method === "GET" || method === "POST")) return query(request, dataset, now);
  if (path === "/cdc" && method === "GET") return cdc(request, dataset, now);
  const written = /^\/([A-Za-z]+)$/.exec(path);
  const writable = written ? BY_PATH_NAME.get(written[1].toLowerCase()) : undefined;
  if (writable && method === "POST" && Object.hasOwn(WRITABLE_ENTITIES, writable)) return writeEntity(request, dataset, writable as WritableEntity);
  const read = /^\/([A-Za-z]+)\/([^/]+)$/.exec(path);
  if (read && method === "GET") {
    const entity = BY_PATH_NAME.get(read[1].toLowerCase());
    if (!entity) {
      return fault(
        { status: 400, type: "ValidationFault", code: "500", message: "Unsupported Operation", detail: `Entity '${read[1]}' is not supported by the sandbox.` },
        now,
      );
    }
    return readEntity(dataset, entity, read[2], now);
  }
  if (read || path === "/query" || path === "/cdc") return unsupported(request, now);
  return fault({ status: 404, type: "ValidationFault", code: "500", message: "Unsupported Operation", detail: `Resource ${path} does not exist.` }, now);
}

function readEntity(dataset: Dataset, entity: QuickBooksEntity, rawId: string, now: number): SandboxResponse {
  const id = /^\d+$/.test(rawId) ? Number(rawId) : NaN;
  const record = Number.isSafeInteger(id) ? dataset.get(entity, id) : undefined;
  if (!record || record.deletedAt !== null) {
    return fault(
      {
        status: 400,
        type: "ValidationFault",
        code: "610",
        message: "Object Not Found",
        detail: `Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees. (${entity} ${rawId})`,
        element: "",
      },
      now,
    );
  }
  return json(200, { [entity]: quickBooksRecordJson(record), time: formatQboResponseTime(now) });
}

function queryText(request: SandboxRequest): string | undefined {
  const fromQuery = request.query.get("query");
  if (fromQuery) return fromQuery;
  return typeof request.body === "string" && request.body.trim() ? request.body : undefined;
}

function query(request: SandboxRequest, dataset: Dataset, now: number): SandboxResponse {
  const text = queryText(request);
  if (!text) {
    return fault(
      {
        status: 400,
        type: "ValidationFault",
        code: "4000",
        message: "Error parsing query",
        detail: "QueryParserError: the query parameter (or a text/plain body) is missing",
      },
      now,
    );
  }
  const parsed = parseQuery(text);
  if (!parsed.ok) return fault({ status: 400, type: "ValidationFault", code: "4000", message: parsed.message, detail: parsed.detail }, now);
  const q = parsed.query;
  const time = formatQboResponseTime(now);
  if (q.kind === "count") return json(200, { QueryResponse: { totalCount: count(dataset, q) }, time });
  const records = select(dataset, q);
  if (records.length === 0) return json(200, { QueryResponse: {}, time });
  return json(200, {
    QueryResponse: { [q.entity]: records.map((r) => quickBooksRecordJson(r)), startPosition: q.startPosition, maxResults: records.length },
    time,
  });
}

function filterOf(q: ParsedQuery): IdOrderFilter {
  return { updatedMin: q.updated.min, updatedMax: q.updated.max, createdMin: q.created.min, createdMax: q.created.max };
}

function inBounds(record: StoredRecord, q: ParsedQuery): boolean {
  const within = (t: number, b: { min?: number; max?: number }) => (b.min === undefined || t >= b.min) && (b.max === undefined || t <= b.max);
  return record.deletedAt === null && within(record.updatedAt, q.updated) && within(record.createdAt, q.created);
}

/** Records named by Id = / Id IN: looked up one by one, then filtered and ordered. */
function byIds(dataset: Dataset, q: ParsedQuery): StoredRecord[] {
  const found = (q.ids ?? []).map((id) => dataset.get(q.entity, id)).filter((r): r is StoredRecord => r !== undefined && inBounds(r, q));
  return found.sort(q.orderBy === "LastUpdatedTime" ? (a, b) => a.updatedAt - b.updatedAt || a.id - b.id : (a, b) => a.id - b.id);
}

function select(dataset: Dataset, q: ParsedQuery): StoredRecord[] {
  if (q.empty) return [];
  const offset = q.startPosition - 1;
  if (q.ids) return byIds(dataset, q).slice(offset, offset + q.maxResults);
  // CreateTime grows with the id (base records are numbered in creation order, created ones after them).
  if (q.orderBy === "LastUpdatedTime") return pageByUpdatedAt(dataset, q.entity, filterOf(q), offset, q.maxResults);
  return pageInIdOrder(dataset, q.entity, ID_BASES, filterOf(q), offset, q.maxResults);
}

function count(dataset: Dataset, q: ParsedQuery): number {
  if (q.empty) return 0;
  if (q.ids) return byIds(dataset, q).length;
  return countInIdOrder(dataset, q.entity, ID_BASES, filterOf(q));
}

function cdc(request: SandboxRequest, dataset: Dataset, now: number): SandboxResponse {
  const invalid = (detail: string, element: string) =>
    fault({ status: 400, type: "ValidationFault", code: "2010", message: "Invalid Request Parameter", detail, element }, now);
  const entitiesParam = request.query.get("entities");
  if (!entitiesParam) return invalid("Required parameter entities is missing in the request", "entities");
  const entities: QuickBooksEntity[] = [];
  for (const name of entitiesParam
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (!isQuickBooksEntity(name)) return invalid(`Entity '${name}' in entities is not supported by change data capture in the sandbox`, "entities");
    if (!entities.includes(name)) entities.push(name);
  }
  if (entities.length === 0) return invalid("Required parameter entities is missing in the request", "entities");
  const changedSinceText = request.query.get("changedSince");
  if (!changedSinceText) return invalid("Required parameter changedSince is missing in the request", "changedSince");
  const changedSince = parseQboDateTime(changedSinceText);
  if (changedSince === null) return invalid(`changedSince '${changedSinceText}' is not a valid date-time`, "changedSince");
  // QBO documents the 30-day window but not the fault's wording; this one names the parameter and the limit.
  if (changedSince < now - CDC_MAX_LOOKBACK_MS)
    return invalid(`changedSince '${changedSinceText}' is more than 30 days in the past; CDC can look back at most 30 days`, "changedSince");
  // Whole-second comparison, as for queries: a record shown as updated at T counts as changed since T.
  const since = Math.ceil(changedSince / 1000) * 1000;
  let room = CDC_MAX_OBJECTS;
  const responses = entities.map((entity) => {
    const changed = room > 0 ? dataset.listByUpdatedAt(entity, { since, includeDeleted: true, limit: room }) : [];
    room -= changed.length;
    if (changed.length === 0) return {};
    return { [entity]: changed.map((r) => quickBooksRecordJson(r)), startPosition: 1, maxResults: changed.length, totalCount: changed.length };
  });
  return json(200, { CDCResponse: [{ QueryResponse: responses }], time: formatQboResponseTime(now) });
}
