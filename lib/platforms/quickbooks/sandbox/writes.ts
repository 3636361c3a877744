// Writes, as the Accounting API v3 (minorversion 75) documents them (developer.intuit.com › QuickBooks
// Online › API reference › Customer, Vendor, Invoice: "Create", "Full update", "Sparse update",
// "Delete"), and as node-quickbooks 2.0.50 sends them:
// - POST /{entity} without an Id creates: 200 `{ Customer: {...}, time }`;
// - POST /{entity} (node-quickbooks adds `?operation=update`) with Id and SyncToken updates: `sparse:
//   true` changes only the fields sent, otherwise the writable fields left out are cleared; a SyncToken
//   other than the record's current one is a Stale Object Error (5010), so two writers cannot overwrite
//   each other unknowingly;
// - POST /invoice?operation=delete with Id and SyncToken deletes: `{ Invoice: { status: "Deleted" } }`.
//   Names (customers, vendors) cannot be deleted, only made inactive (`Active: false`); transactions
//   (Invoice, Bill, Purchase, Payment) can.
// - Bill and Purchase lines are AccountBasedExpenseLineDetail, each booked to an account (AccountRef);
//   a Purchase is paid from a bank or credit card account (AccountRef) by PaymentType Cash, Check or
//   CreditCard. A Payment's lines apply amounts to invoices (LinkedTxn TxnType Invoice): each invoice's
//   Balance drops by what is applied, and comes back when the payment changes or is deleted; what the
//   lines leave of TotalAmt is UnappliedAmt.
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
export const WRITABLE_ENTITIES = {
  Customer: { deletable: false },
  Vendor: { deletable: false },
  Invoice: { deletable: true },
  Bill: { deletable: true },
  Purchase: { deletable: true },
  Payment: { deletable: true },
} as const;
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

/** Each entity's data from a request's fields (checked, with what the platform computes), given the record an update changes. */
const ENTITY_DATA: Record<WritableEntity, (dataset: Dataset, input: Json, current: StoredRecord | undefined, now: number) => Json> = {
  Customer: (dataset, input, current) => nameData(dataset, "Customer", input, current),
  Vendor: (dataset, input, current) => nameData(dataset, "Vendor", input, current),
  Invoice: invoiceData,
  Bill: billData,
  Purchase: purchaseData,
  Payment: paymentData,
};

function create(dataset: Dataset, entity: WritableEntity, input: Json, now: number): SandboxResponse {
  const data = ENTITY_DATA[entity](dataset, writable(entity, input), undefined, now);
  const record = dataset.create(entity, data);
  if (entity === "Payment") settle(dataset, new Map(), applications(data));
  return answer(entity, record, now);
}

function update(dataset: Dataset, entity: WritableEntity, input: Json, now: number): SandboxResponse {
  const current = named(dataset, entity, input);
  const fields = writable(entity, input);
  // A full update clears every writable field it leaves out; a sparse one keeps them.
  const merged = input.sparse === true ? { ...current.data, ...fields } : { ...fields, ...platformKept(entity, current.data) };
  const data = ENTITY_DATA[entity](dataset, merged, current, now);
  const cleared = Object.fromEntries(
    Object.keys(current.data)
      .filter((key) => !(key in data))
      .map((key) => [key, undefined]),
  );
  const record = dataset.update(entity, current.id, { ...cleared, ...data })!;
  if (entity === "Payment") settle(dataset, applications(current.data), applications(data));
  return answer(entity, record, now);
}

function remove(dataset: Dataset, entity: WritableEntity, input: Json, now: number): SandboxResponse {
  if (!WRITABLE_ENTITIES[entity].deletable) {
    return new Fault("500", "Unsupported Operation", `Operation Delete is not supported for ${entity}: make it inactive (Active false) instead.`).response(now);
  }
  const record = named(dataset, entity, input);
  dataset.delete(entity, record.id);
  if (entity === "Payment") settle(dataset, applications(record.data), new Map());
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

function writable(entity: WritableEntity, input: Json): Json {
  // A payment's total is what was received: the caller's to say. Every other total the platform adds up.
  return Object.fromEntries(Object.entries(input).filter(([key]) => !READ_ONLY.has(key) || (entity === "Payment" && key === "TotalAmt")));
}

/** What a full update keeps although the request leaves it out: what the platform computes. */
function platformKept(entity: WritableEntity, data: Json): Json {
  return entity === "Customer" || entity === "Vendor" ? { Balance: data.Balance, BalanceWithJobs: data.BalanceWithJobs } : {};
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

const invalidReference = (element: string, kind: string, id: string) =>
  new Fault("2500", "Invalid Reference Id", `Invalid Reference Id : ${kind} element id ${id} not found`, element);
const businessRule = (detail: string, element?: string) =>
  new Fault("6000", "A business validation error has occurred while processing your request", `Business Validation Error: ${detail}`, element);

/** A live record an entity's reference names, or a 2500 fault naming the element. */
function referenced(dataset: Dataset, entity: "Customer" | "Vendor" | "Account" | "Invoice", element: string, ref: unknown): StoredRecord {
  if (!isRef(ref)) throw missing(element);
  const record = /^\d+$/.test(ref.value) ? dataset.get(entity, Number(ref.value)) : undefined;
  if (!record || record.deletedAt !== null || record.data.Active === false) {
    throw invalidReference(element, entity === "Account" ? "Accounts" : entity === "Invoice" ? "Transaction" : "Names", ref.value);
  }
  return record;
}

function dateField(input: Json, element: string, fallback: string): string {
  const value = text(input[element]) ?? fallback;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Fault("2010", "Invalid Request Parameter", `${element} '${value}' is not a date (yyyy-MM-dd)`, element);
  return value;
}

/** Lines of a bill or purchase: each an amount booked to an account; answers them numbered, with the total. */
function expenseLinesData(dataset: Dataset, input: Json): { Line: Json[]; totalCents: number } {
  if (!Array.isArray(input.Line) || input.Line.length === 0) throw missing("Line");
  const lines: Json[] = [];
  let totalCents = 0;
  for (const [index, raw] of (input.Line as unknown[]).entries()) {
    if (typeof raw !== "object" || raw === null) throw missing(`Line[${index}]`);
    const line = raw as Json;
    if (line.DetailType !== "AccountBasedExpenseLineDetail") {
      throw new Fault(
        "2020",
        "Required param missing, need to supply the required value for the API",
        "Required parameter Line.DetailType is missing in the request",
        "Line.DetailType",
      );
    }
    if (line.Amount === undefined || line.Amount === null || !Number.isFinite(Number(line.Amount))) throw missing("Line.Amount");
    const detail = { ...((line.AccountBasedExpenseLineDetail as Json | undefined) ?? {}) };
    const account = referenced(dataset, "Account", "Line.AccountBasedExpenseLineDetail.AccountRef", detail.AccountRef);
    const amount = cents(line.Amount);
    totalCents += amount;
    lines.push({
      Id: String(lines.length + 1),
      LineNum: lines.length + 1,
      ...(text(line.Description) ? { Description: text(line.Description) } : {}),
      Amount: money(amount),
      DetailType: "AccountBasedExpenseLineDetail",
      AccountBasedExpenseLineDetail: {
        BillableStatus: "NotBillable",
        TaxCodeRef: { value: "NON" },
        ...detail,
        AccountRef: { value: String(account.id), name: String(account.data.Name) },
      },
    });
  }
  return { Line: lines, totalCents };
}

/** A bill's data: its vendor, expense lines and totals; what was paid on it stays paid. */
function billData(dataset: Dataset, input: Json, current: StoredRecord | undefined, now: number): Json {
  const vendor = referenced(dataset, "Vendor", "VendorRef", input.VendorRef);
  const { Line, totalCents } = expenseLinesData(dataset, input);
  const txnDate = dateField(input, "TxnDate", qboDate(now));
  const dueDate = dateField(input, "DueDate", new Date(Date.parse(`${txnDate}T00:00:00Z`) + 30 * DAY_MS).toISOString().slice(0, 10));
  const paidCents = current ? cents(current.data.TotalAmt) - cents(current.data.Balance) : 0;
  return {
    ...input,
    VendorRef: { value: String(vendor.id), name: String(vendor.data.DisplayName) },
    TxnDate: txnDate,
    DueDate: dueDate,
    CurrencyRef: vendor.data.CurrencyRef ?? { value: homeCurrency().value, name: homeCurrency().name },
    Line,
    TotalAmt: money(totalCents),
    Balance: money(Math.max(0, totalCents - paidCents)),
  };
}

const PAYMENT_TYPES = ["Cash", "Check", "CreditCard"];

/** A purchase's data: the account it was paid from, how, to whom (a vendor, if named), lines and total. */
function purchaseData(dataset: Dataset, input: Json, _current: StoredRecord | undefined, now: number): Json {
  if (input.PaymentType === undefined || input.PaymentType === null || input.PaymentType === "") throw missing("PaymentType");
  if (!PAYMENT_TYPES.includes(String(input.PaymentType))) {
    throw new Fault("2010", "Invalid Request Parameter", `PaymentType '${String(input.PaymentType)}' is not one of ${PAYMENT_TYPES.join(", ")}`, "PaymentType");
  }
  const account = referenced(dataset, "Account", "AccountRef", input.AccountRef);
  let payee: Json | undefined;
  if (input.EntityRef !== undefined && input.EntityRef !== null) {
    const type = (input.EntityRef as Json).type ?? "Vendor";
    if (type !== "Vendor" && type !== "Customer") throw businessRule(`EntityRef type '${String(type)}' is not Vendor or Customer`, "EntityRef");
    const entity = referenced(dataset, type, "EntityRef", input.EntityRef);
    payee = { value: String(entity.id), name: String(entity.data.DisplayName), type };
  }
  const { Line, totalCents } = expenseLinesData(dataset, input);
  const currency = payee?.type === "Vendor" ? dataset.get("Vendor", Number(payee.value))?.data.CurrencyRef : undefined;
  const data: Json = {
    ...input,
    PaymentType: input.PaymentType,
    AccountRef: { value: String(account.id), name: String(account.data.Name) },
    TxnDate: dateField(input, "TxnDate", qboDate(now)),
    CurrencyRef: currency ?? { value: homeCurrency().value, name: homeCurrency().name },
    Line,
    TotalAmt: money(totalCents),
  };
  if (payee) data.EntityRef = payee;
  else delete data.EntityRef;
  return data;
}

/** What a payment's lines apply, in cents per invoice id. */
function applications(data: Json): Map<number, number> {
  const applied = new Map<number, number>();
  for (const line of (data.Line as Json[] | undefined) ?? []) {
    for (const txn of (line.LinkedTxn as Json[] | undefined) ?? []) {
      if (txn.TxnType === "Invoice") applied.set(Number(txn.TxnId), (applied.get(Number(txn.TxnId)) ?? 0) + cents(line.Amount));
    }
  }
  return applied;
}

/**
 * A payment's data: its customer, total, and lines each applying an amount to one of the customer's
 * invoices, no more than the invoice has open (counting what this payment applied before, on an update)
 * and no more in all than the total; the rest is unapplied.
 */
function paymentData(dataset: Dataset, input: Json, current: StoredRecord | undefined, now: number): Json {
  const customer = referenced(dataset, "Customer", "CustomerRef", input.CustomerRef);
  if (input.TotalAmt === undefined || input.TotalAmt === null || !Number.isFinite(Number(input.TotalAmt))) throw missing("TotalAmt");
  const totalCents = cents(input.TotalAmt);
  if (totalCents < 0) throw businessRule("TotalAmt cannot be negative", "TotalAmt");
  const before = current ? applications(current.data) : new Map<number, number>();
  const lines: Json[] = [];
  let appliedCents = 0;
  for (const [index, raw] of ((Array.isArray(input.Line) ? input.Line : []) as unknown[]).entries()) {
    if (typeof raw !== "object" || raw === null) throw missing(`Line[${index}]`);
    const line = raw as Json;
    if (line.Amount === undefined || line.Amount === null || !Number.isFinite(Number(line.Amount))) throw missing("Line.Amount");
    const linked = Array.isArray(line.LinkedTxn) ? (line.LinkedTxn as Json[]) : [];
    if (linked.length !== 1 || linked[0].TxnType !== "Invoice") throw missing("Line.LinkedTxn");
    const invoice = referenced(dataset, "Invoice", "Line.LinkedTxn.TxnId", { value: String(linked[0].TxnId) });
    if ((invoice.data.CustomerRef as Json | undefined)?.value !== String(customer.id)) {
      throw businessRule(`Invoice ${invoice.id} is not an invoice of customer ${customer.id}`, "Line.LinkedTxn.TxnId");
    }
    const amount = cents(line.Amount);
    const open = cents(invoice.data.Balance) + (before.get(invoice.id) ?? 0);
    if (amount <= 0 || amount > open)
      throw businessRule(`The amount applied to invoice ${invoice.id} must be more than 0 and at most its balance ${money(open)}`, "Line.Amount");
    appliedCents += amount;
    lines.push({ Amount: money(amount), LinkedTxn: [{ TxnId: String(invoice.id), TxnType: "Invoice" }] });
  }
  if (appliedCents > totalCents)
    throw businessRule(`The amounts applied (${money(appliedCents)}) are more than the payment's TotalAmt (${money(totalCents)})`, "TotalAmt");
  const data: Json = {
    ...input,
    CustomerRef: { value: String(customer.id), name: String(customer.data.DisplayName) },
    TxnDate: dateField(input, "TxnDate", qboDate(now)),
    CurrencyRef: customer.data.CurrencyRef ?? { value: homeCurrency().value, name: homeCurrency().name },
    TotalAmt: money(totalCents),
    UnappliedAmt: money(totalCents - appliedCents),
    ProcessPayment: false,
    Line: lines,
  };
  if (input.DepositToAccountRef !== undefined && input.DepositToAccountRef !== null) {
    data.DepositToAccountRef = { value: String(referenced(dataset, "Account", "DepositToAccountRef", input.DepositToAccountRef).id) };
  }
  return data;
}

/** Moves invoices' balances from what a payment applied before to what it applies now (each invoice changes once). */
function settle(dataset: Dataset, before: Map<number, number>, after: Map<number, number>): void {
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const change = (before.get(id) ?? 0) - (after.get(id) ?? 0);
    const invoice = dataset.get("Invoice", id);
    if (change === 0 || !invoice || invoice.deletedAt !== null) continue;
    const balance = Math.min(cents(invoice.data.TotalAmt), Math.max(0, cents(invoice.data.Balance) + change));
    dataset.update("Invoice", id, { Balance: money(balance) });
  }
}
