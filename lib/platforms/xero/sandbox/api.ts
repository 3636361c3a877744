// The Xero Accounting API as the sandbox serves it, following Xero-OpenAPI xero_accounting.yaml 16.1.0
// (github.com/XeroAPI/Xero-OpenAPI) and developer.xero.com › Accounting API › Requests and responses.
// Requests arrive authenticated, tenant-routed and rate limited, with the path below /api.xro/2.0:
//   GET /Accounts                 unpaged
//   GET /Contacts /Invoices /BankTransactions /Payments
//       page (1-based), pageSize (default 100, at most 1000), where, order, If-Modified-Since,
//       includeArchived (Contacts), IDs, Statuses and ContactIDs (Invoices), summaryOnly (Contacts,
//       Invoices); the envelope carries pagination {page, pageSize, pageCount,
//       itemCount} when page is given. Without page, every record is returned (Invoices then without
//       LineItems, as Xero does).
//   GET /{Resource}/{GUID}        one record, or 404 with Xero's plain-text body
//   PUT /Contacts, /Invoices, /BankTransactions, /Payments; POST /{Resource}/{GUID}: writes (writes.ts)
// Answers are JSON (xero-node sends Accept: application/json). Other writes go through the control API.
import { randomUUID } from "node:crypto";
import type { Dataset } from "@/lib/sandbox/dataset";
import { json, type SandboxRequest, type SandboxResponse } from "@/lib/sandbox/http";
import { parseXeroGuid } from "./ids";
import { parseOrder, planFor, select } from "./listing";
import { RESOURCE_BY_NAME, type Resource } from "./resources";
import { renderRecord } from "./render";
import { msDateNoOffset, parseIfModifiedSince } from "./time";
import { parseWhere, type OneOf } from "./where";
import { contactFlagsWritten, handleXeroWrite, WRITTEN_RESOURCES, type WrittenResource } from "./writes";

export const DEFAULT_PAGE_SIZE = 100;
/** Fields some records carry and others not (a person's names, a paid invoice's FullyPaidOnDate). */
const OPTIONAL_FIELDS = [
  "FirstName",
  "LastName",
  "DefaultCurrency",
  "FullyPaidOnDate",
  "SentToContact",
  "BankAccountNumber",
  "BankAccountType",
  "CurrencyCode",
  "Reference",
];
export const MAX_PAGE_SIZE = 1000;

/** Xero's 400 for a request it understood but refuses: ErrorNumber 10. */
export function validationException(message: string): SandboxResponse {
  return json(400, {
    ErrorNumber: 10,
    Type: "ValidationException",
    Message: "A validation exception occurred",
    Elements: [{ ValidationErrors: [{ Message: message }] }],
  });
}

/** Xero's 400 for a where or order it cannot read (the spec's APIException example: ErrorNumber 16). */
export function queryParseException(message: string): SandboxResponse {
  return json(400, { ErrorNumber: 16, Type: "QueryParseException", Message: message });
}

/** Xero's 404 is plain text, whatever the Accept header. */
export function notFound(): SandboxResponse {
  return { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" }, body: "The resource you're looking for cannot be found" };
}

function envelope(now: number, rest: Record<string, unknown>): Record<string, unknown> {
  return { Id: randomUUID(), Status: "OK", ProviderName: "Tributary Sandbox", DateTimeUTC: msDateNoOffset(now), ...rest };
}

function positiveInt(text: string | null): number | null | undefined {
  if (text === null) return undefined;
  if (!/^\d{1,9}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 ? n : null;
}

export function handleXero(request: SandboxRequest, dataset: Dataset): SandboxResponse {
  const now = dataset.now();
  const parts = request.path.split("/").filter(Boolean);
  const method = request.method.toUpperCase();
  if (method === "PUT" || method === "POST") {
    const written = parts.length >= 1 && parts.length <= 2 ? RESOURCE_BY_NAME.get(parts[0].toLowerCase())?.name : undefined;
    if ((WRITTEN_RESOURCES as readonly string[]).includes(written ?? "") && !(method === "PUT" && parts.length === 2)) {
      return handleXeroWrite(request, dataset, written as WrittenResource, parts.length === 2 ? decodeURIComponent(parts[1]) : null);
    }
  }
  if (method !== "GET")
    return validationException(`${request.method} ${request.path} is not supported by the sandbox; change other records through the control API`);
  const resource = parts.length >= 1 && parts.length <= 2 ? RESOURCE_BY_NAME.get(parts[0].toLowerCase()) : undefined;
  if (!resource) return notFound();
  if (parts.length === 2) return single(resource, dataset, parts[1], now);
  return list(resource, request, dataset, now);
}

function single(resource: Resource, dataset: Dataset, rawId: string, now: number): SandboxResponse {
  const parsed = parseXeroGuid(decodeURIComponent(rawId), resource.objects);
  const record = parsed ? dataset.get(parsed.object, parsed.id) : undefined;
  if (!record) return notFound();
  return json(200, envelope(now, { [resource.name]: [renderRecord(resource, record)] }));
}

function list(resource: Resource, request: SandboxRequest, dataset: Dataset, now: number): SandboxResponse {
  const q = request.query;
  let modifiedSince: number | undefined;
  const since = request.headers["if-modified-since"];
  if (since) {
    const parsed = parseIfModifiedSince(since);
    if (parsed === null) return validationException(`If-Modified-Since "${since}" is not a date`);
    modifiedSince = parsed;
  }
  const whereText = q.get("where");
  const parsedWhere = whereText && whereText.trim() ? parseWhere(whereText) : { ok: true as const, conditions: [] };
  if (!parsedWhere.ok) {
    return parsedWhere.message.includes("not supported")
      ? validationException(parsedWhere.message)
      : queryParseException(`${parsedWhere.message} (where: ${whereText})`);
  }
  // The fields a where may name: those of the endpoint's records (one of each object) and the ones
  // only some records carry.
  const sample: Record<string, unknown> = { [resource.idField]: "" };
  for (const object of resource.objects) {
    const record = dataset.list(object, { limit: 1, includeDeleted: true })[0];
    if (record) Object.assign(sample, renderRecord(resource, record));
  }
  for (const field of OPTIONAL_FIELDS) sample[field] ??= null;
  // Statuses and ContactIDs: comma-separated lists, "faster than OR conditions in where" (the spec).
  const oneOf: OneOf[] = [];
  const statuses = q.get("Statuses");
  if (statuses)
    oneOf.push({
      path: [resource.statusField],
      values: new Set(
        statuses
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    });
  const contactIds = q.get("ContactIDs");
  if (contactIds && resource.name === "Invoices")
    oneOf.push({
      path: ["Contact", "ContactID"],
      values: new Set(
        contactIds
          .split(",")
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
      ),
    });
  const plan = planFor(
    resource,
    parsedWhere.conditions,
    { modifiedSince, includeArchived: q.get("includeArchived") === "true", oneOf, exactSelectors: contactFlagsWritten(dataset) },
    sample,
  );
  if (typeof plan === "string") return queryParseException(plan);
  const order = parseOrder(q.get("order"), resource);
  if (typeof order === "string") return queryParseException(order);

  const ids = q.get("IDs");
  if (ids) {
    // IDs=guid,guid: each looked up, then the where applies.
    const wanted = new Set(ids.split(",").map((s) => s.trim().toLowerCase()));
    const found = [...wanted]
      .map((id) => parseXeroGuid(id, plan.objects))
      .flatMap((ref) => (ref ? [dataset.get(ref.object, ref.id)] : []))
      .filter((r): r is NonNullable<typeof r> => r !== undefined);
    return json(200, envelope(now, { [resource.name]: found.map((r) => renderRecord(resource, r)) }));
  }

  const page = positiveInt(q.get("page"));
  const pageSizeParam = positiveInt(q.get("pageSize"));
  if (page === null) return validationException("page must be a whole number of at least 1");
  if (pageSizeParam === null) return validationException("pageSize must be a whole number of at least 1");
  const summaryOnly = q.get("summaryOnly") === "true" && (resource.name === "Invoices" || resource.name === "Contacts");
  const paged = resource.paged && (page !== undefined || pageSizeParam !== undefined);
  if (!paged) {
    const { records } = select(dataset, resource, plan, order, 0, Infinity);
    const lineItems = resource.name !== "Invoices";
    return json(200, envelope(now, { [resource.name]: records.map((r) => renderRecord(resource, r, { lineItems, summaryOnly })) }));
  }
  const pageSize = Math.min(MAX_PAGE_SIZE, pageSizeParam ?? DEFAULT_PAGE_SIZE);
  const pageNumber = page ?? 1;
  const { records, total } = select(dataset, resource, plan, order, (pageNumber - 1) * pageSize, pageSize);
  return json(
    200,
    envelope(now, {
      pagination: { page: pageNumber, pageSize, pageCount: Math.ceil(total / pageSize), itemCount: total },
      [resource.name]: records.map((r) => renderRecord(resource, r, { summaryOnly })),
    }),
  );
}
