// Writes, as the Accounting API v3 (minorversion 75) documents them (developer.intuit.com › QuickBooks
// Online › API reference › Customer, Vendor, Invoice: "Create", "Full update", "Sparse update",
// "Delete"), and as node-quickbooks 2.0.50 sends them:
// - POST /{entity} without an Id creates: 200 `{ Customer: {...}, time }`;
// - POST /{entity} (node-quickbooks adds `?operation=update`) with Id and SyncToken updates: `sparse:
//   true` changes only the fields sent, otherwise the writable fields left out are cleared; a SyncToken
//   other than the record's current one is a Stale Object Error (5010), so two writers cannot overwrite
//   each other unknowingly;
// - POST /invoice?operation=delete with Id and SyncToken deletes: `{ Invoice: { status: "Deleted" } }`.
//   Names (customers, vendors) cannot be deleted, only made inactive (`Active: false`).
// - `?requestid=` makes any write idempotent: "If the service receives another request with the same
//   RequestID, instead of performing the operation again or returning an error, the service sends the
//   same response as it did for the original request" (Intuit developer blog, "Request ID update for
//   QuickBooks Online integration", and the docs' "Idempotency"); at most 50 characters, unique per company.
// Faults are QBO's `{ Fault: { Error: [{ Message, Detail, code, element }], type: "ValidationFault" } }`
// with the codes QBO uses: 2020 required parameter missing, 2500 invalid reference, 610 object not
// found, 5010 stale object, 6240 duplicate name, 6070 a line's amount is not UnitPrice × Qty.
// Every write goes through the Dataset, so queries, CDC, counts, webhooks and the ground truth see it.
import type { Dataset, StoredRecord } from "@/lib/sandbox/dataset";
import { DAY_MS } from "@/lib/sandbox/dataset";
import { json, type SandboxRequest, type SandboxResponse } from "@/lib/sandbox/http";
import { ID_BASES, homeCurrency } from "./names";
import { quickBooksRecordJson, quickBooksSyncToken } from "./render";
import { formatQboResponseTime, qboDate } from "./time";

type Json = Record<string, unknown>;

/** The entities this emulator writes, and whether each can be deleted (names cannot). */
export const WRITABLE_ENTITIES = { Customer: { deletable: false }, Vendor: { deletable: false }, Invoice: { deletable: true } } as const;
export type WritableEntity = keyof typeof WRITABLE_ENTITIES;

export const MAX_REQUEST_ID_LENGTH = 50;
/** Request ids a company remembers; the docs name no expiry, so the oldest are forgotten past this many. */
const REMEMBERED_REQUEST_IDS = 10_000;

/** Fields the platform owns: ignored in a request's body. */
const READ_ONLY = new Set([
  "Id",
  "SyncToken",
  "MetaData",
  "domain",
  "sparse",
  "status",
  "Balance",
  "BalanceWithJobs",
  "TotalAmt",
  "FullyQualifiedName",
  "time",
]);

export class Fault {
  constructor(
    readonly code: string,
    readonly message: string,
    readonly detail: string,
    readonly element?: string,
  ) {}
  response(now: number): SandboxResponse {
    const error: Record<string, string> = { Message: this.message, Detail: this.detail, code: this.code };
    if (this.element !== undefined) error.element = this.element;
    return json(400, { Fault: { Error: [error], type: "ValidationFault" }, time: formatQboResponseTime(now) });
  }
}

const missing = (element: string) =>
  new Fault(
    "2020",
    "Required param missing, need to supply the required value for the API",
    `Required parameter ${element} is missing in the request`,
    element,
  );
const notFound = (entity: string, id: string) =>
  new Fault(
    "610",
    "Object Not Found",
    `Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees. (${entity} ${id})`,
    "",
  );

const requestIds = new WeakMap<Dataset, Map<string, SandboxResponse>>();

/** POST /{entity}: create, update or delete, idempotent by `requestid`. */
export function writeEntity(request: SandboxRequest, dataset: Dataset, entity: WritableEntity): SandboxResponse {
  const now = dataset.now();
  const requestId = request.query.get("requestid");
  if (requestId !== null && (requestId === "" || requestId.length > MAX_REQUEST_ID_LENGTH)) {
    return new Fault("2010", "Invalid Request Parameter", `requestid must be 1 to ${MAX_REQUEST_ID_LENGTH} characters`, "requestid").response(now);
  }
  let remembered = requestIds.get(dataset);
  if (!remembered) requestIds.set(dataset, (remembered = new Map()));
  if (requestId !== null && remembered.has(requestId)) return remembered.get(requestId)!;
  const response = perform(request, dataset, entity, now);
  if (requestId !== null) {
    if (remembered.size >= REMEMBERED_REQUEST_IDS) remembered.delete(remembered.keys().next().value!);
    remembered.set(requestId, response);
  }
  return response;
}

function perform(request: SandboxRequest, dataset: Dataset, entity: WritableEntity, now: number): SandboxResponse {
  const body = request.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return new Fault("2020", "Request has invalid or unsupported property", "The request body must be a JSON object: the entity", entity).response(now);
  }
  const input = body as Json;
  const operation = request.query.get("operation");
  try {
    if (operation === "delete") return remove(dataset, entity, input, now);
    if (operation !== null && operation !== "update") {
      return new Fault("500", "Unsupported Operation", `Operation ${operation} is not supported.`).response(now);
    }
    // QBO updates any POST that carries an Id; node-quickbooks also says ?operation=update.
    if (operation === "update" || input.Id !== undefined) return update(dataset, entity, input, now);
    return create(dataset, entity, input, now);
  } catch (error) {
    if (error instanceof Fault) return error.response(now);
    throw error;
  }
}

const answer = (entity: string, record: StoredRecord, now: number) => json(200, { [entity]: quickBooksRecordJson(record), time: formatQboResponseTime(now) });

function create(dataset: Dataset, entity: WritableEntity, input: Json, now: number): SandboxResponse {
  const data = entity === "Invoice" ? invoiceData(dataset, writable(input), undefined, now) : nameData(dataset, entity, writable(input), undefined);
  return answer(entity, dataset.create(entity, data), now);
}

function update(dataset: Dataset, entity: WritableEntity, input: Json, now: number): SandboxResponse {
  const current = named(dataset, entity, input);
  const fields = writable(input);
  // A full update clears every writable field it leaves out; a sparse one keeps them.
  const merged = input.sparse === true ? { ...current.data, ...fields } : { ...fields, ...platformKept(entity, current.data) };
  const data = entity === "Invoice" ? invoiceData(dataset, merged, current, now) : nameData(dataset, entity, merged, current);
  const cleared = Object.fromEntries(
    Object.keys(current.data)
      .filter((key) => !(key in data))
      .map((key) => [key, undefined]),
  );
  return answer(entity, dataset.update(entity, current.id, { ...cleared, ...data })!, now);
}

function remove(dataset: Dataset, entity: WritableEntity, input: Json, now: number): SandboxResponse {
  if (!WRITABLE_ENTITIES[entity].deletable) {
    return new Fault("500", "Unsupported Operation", `Operation Delete is not supported for ${entity}: make it inactive (Active false) instead.`).response(now);
  }
  const record = named(dataset, entity, input);
  dataset.delete(entity, record.id);
  return json(200, { [entity]: { domain: "QBO", status: "Deleted", Id: String(record.id) }, time: formatQboResponseTime(now) });
}

/** The record an update or delete names, at the SyncToken it was read at. */
function named(dataset: Dataset, entity: WritableEntity, input: Json): StoredRecord {
  if (input.Id === undefined || input.Id === null || input.Id === "") throw missing("Id");
  if (input.SyncToken === undefined || input.SyncToken === null || input.SyncToken === "") throw missing("SyncToken");
  const id = /^\d+$/.test(String(input.Id)) ? Number(input.Id) : NaN;
  const record = Number.isSafeInteger(id) ? dataset.get(entity, id) : undefined;
  if (!record || record.deletedAt !== null) throw notFound(entity, String(input.Id));
  if (String(input.SyncToken) !== quickBooksSyncToken(record)) {
    throw new Fault(
      "5010",
      "Stale Object Error",
      `Stale Object Error : You and another user were working on this at the same time. The other user finished before you did, so your work was not saved. (SyncToken ${String(input.SyncToken)}, current ${quickBooksSyncToken(record)})`,
      "SyncToken",
    );
  }
  return record;
}

function writable(input: Json): Json {
  return Object.fromEntries(Object.entries(input).filter(([key]) => !READ_ONLY.has(key)));
}

/** What a full update keeps although the request leaves it out: what the platform computes. */
function platformKept(entity: WritableEntity, data: Json): Json {
  return entity === "Invoice" ? {} : { Balance: data.Balance, BalanceWithJobs: data.BalanceWithJobs };
}

const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

/** A customer's or vendor's data: DisplayName from the name parts when not given, unique among names. */
function nameData(dataset: Dataset, entity: WritableEntity, input: Json, current: StoredRecord | undefined): Json {
  const parts = [input.Title, input.GivenName, input.MiddleName, input.FamilyName, input.Suffix].map(text).filter(Boolean);
  const displayName = text(input.DisplayName) ?? (parts.length ? parts.join(" ") : text(input.CompanyName));
  if (!displayName) throw missing("DisplayName");
  if (displayName.length > 500)
    throw new Fault(
      "6000",
      "A business validation error has occurred while processing your request",
      "DisplayName is longer than 500 characters",
      "DisplayName",
    );
  const taken = nameTaken(dataset, displayName, current);
  if (taken) {
    throw new Fault(
      "6240",
      "Duplicate Name Exists Error",
      `The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name. (Id=${taken.id})`,
    );
  }
  const home = homeCurrency();
  const data: Json = {
    ...input,
    DisplayName: displayName,
    PrintOnCheckName: text(input.PrintOnCheckName) ?? displayName,
    Active: input.Active !== false,
    Balance: input.Balance ?? 0,
    CurrencyRef: current?.data.CurrencyRef ?? (isRef(input.CurrencyRef) ? input.CurrencyRef : { value: home.value, name: home.name }),
  };
  if (entity === "Customer")
    Object.assign(data, { FullyQualifiedName: displayName, BalanceWithJobs: input.BalanceWithJobs ?? data.Balance, Job: false, BillWithParent: false });
  return data;
}

const isRef = (value: unknown): value is { value: string } => typeof value === "object" && value !== null && typeof (value as Json).value === "string";

/** Names are unique across customers and vendors (and employees, which the sandbox does not keep), inactive ones included. */
function nameTaken(dataset: Dataset, name: string, current: StoredRecord | undefined): StoredRecord | undefined {
  const wanted = name.toLowerCase();
  for (const entity of ["Customer", "Vendor"] as const) {
    let afterId: number | undefined;
    for (;;) {
      const page = dataset.list(entity, { limit: 1000, afterId });
      const found = page.find((r) => String(r.data.DisplayName).toLowerCase() === wanted && !(r.object === current?.object && r.id === current.id));
      if (found) return found;
      if (page.length < 1000) break;
      afterId = page[page.length - 1].id;
    }
  }
  return undefined;
}

const cents = (value: unknown) => Math.round(Number(value) * 100);
const money = (value: number) => Math.round(value) / 100;

/** An invoice's data: its customer, lines (amounts checked, subtotal added) and totals. */
function invoiceData(dataset: Dataset, input: Json, current: StoredRecord | undefined, now: number): Json {
  if (!isRef(input.CustomerRef)) throw missing("CustomerRef");
  const customer = /^\d+$/.test(input.CustomerRef.value) ? dataset.get("Customer", Number(input.CustomerRef.value)) : undefined;
  if (!customer || customer.deletedAt !== null || customer.data.Active === false) {
    throw new Fault("2500", "Invalid Reference Id", `Invalid Reference Id : Names element id ${input.CustomerRef.value} not found`, "CustomerRef");
  }
  if (!Array.isArray(input.Line) || input.Line.length === 0) throw missing("Line");
  const lines: Json[] = [];
  let totalCents = 0;
  for (const [index, raw] of (input.Line as unknown[]).entries()) {
    if (typeof raw !== "object" || raw === null) throw missing(`Line[${index}]`);
    const line = raw as Json;
    if (line.DetailType === "SubTotalLineDetail") continue;
    if (line.Amount === undefined || line.Amount === null || !Number.isFinite(Number(line.Amount))) throw missing("Line.Amount");
    if (line.DetailType !== "SalesItemLineDetail" && line.DetailType !== "DescriptionOnly") {
      throw new Fault(
        "2020",
        "Required param missing, need to supply the required value for the API",
        "Required parameter Line.DetailType is missing in the request",
        "Line.DetailType",
      );
    }
    const amount = cents(line.Amount);
    const detail = { ...((line.SalesItemLineDetail as Json | undefined) ?? {}) };
    if (line.DetailType === "SalesItemLineDetail") {
      if (detail.Qty !== undefined && detail.UnitPrice !== undefined && Math.abs(Number(detail.Qty) * cents(detail.UnitPrice) - amount) >= 1) {
        throw new Fault(
          "6070",
          "Amount calculation incorrect in the request.",
          `Amount is not equal to UnitPrice * Qty. Supplied value:${money(amount)}`,
          "Line.Amount",
        );
      }
      // QBO books a sales line without an item to its default Services item.
      if (!isRef(detail.ItemRef)) detail.ItemRef = { value: "1", name: "Services" };
      detail.TaxCodeRef ??= { value: "NON" };
    }
    totalCents += line.DetailType === "DescriptionOnly" ? 0 : amount;
    lines.push({
      Id: String(lines.length + 1),
      LineNum: lines.length + 1,
      ...(text(line.Description) ? { Description: text(line.Description) } : {}),
      Amount: money(line.DetailType === "DescriptionOnly" ? 0 : amount),
      DetailType: line.DetailType,
      ...(line.DetailType === "SalesItemLineDetail" ? { SalesItemLineDetail: detail } : { DescriptionLineDetail: {} }),
    });
  }
  lines.push({ Amount: money(totalCents), DetailType: "SubTotalLineDetail", SubTotalLineDetail: {} });
  const txnDate = text(input.TxnDate) ?? qboDate(now);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(txnDate)) throw new Fault("2010", "Invalid Request Parameter", `TxnDate '${txnDate}' is not a date (yyyy-MM-dd)`, "TxnDate");
  const dueDate = text(input.DueDate) ?? new Date(Date.parse(`${txnDate}T00:00:00Z`) + 30 * DAY_MS).toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dueDate)) throw new Fault("2010", "Invalid Request Parameter", `DueDate '${dueDate}' is not a date (yyyy-MM-dd)`, "DueDate");
  // What was paid stays paid: the balance is the new total less the payments received.
  const paidCents = current ? cents(current.data.TotalAmt) - cents(current.data.Balance) : 0;
  const nextId = current?.id ?? dataset.snapshot().nextIds.Invoice;
  return {
    ...input,
    DocNumber: text(input.DocNumber) ?? String(1001 + (nextId - ID_BASES.Invoice - 1)),
    TxnDate: txnDate,
    DueDate: dueDate,
    CustomerRef: { value: String(customer.id), name: String(customer.data.DisplayName) },
    CurrencyRef: customer.data.CurrencyRef ?? { value: homeCurrency().value, name: homeCurrency().name },
    Line: lines,
    TxnTaxDetail: { TotalTax: 0 },
    TotalAmt: money(totalCents),
    Balance: money(Math.max(0, totalCents - paidCents)),
  };
}
