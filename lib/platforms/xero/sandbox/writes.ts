// Writes, as the Accounting API documents them (Xero-OpenAPI xero_accounting.yaml 16.1.0, and
// developer.xero.com › Accounting API › Contacts, Invoices, BankTransactions, Payments) and as xero-node 20 sends them:
// - PUT /Contacts creates the contacts of `{ Contacts: [...] }`; POST /Contacts/{ContactID} updates one
//   (the fields sent; ContactStatus ARCHIVED archives it). A contact's Name is unique among active
//   contacts. IsCustomer and IsSupplier are Xero's to set: false on a new contact, true once an ACCREC
//   (sales) or ACCPAY (bill) document names it.
// - PUT /Invoices creates `{ Invoices: [...] }` (Type ACCREC or ACCPAY, Contact.ContactID, LineItems,
//   Date, DueDate, InvoiceNumber, Reference, Status DRAFT (the default), SUBMITTED or AUTHORISED);
//   POST /Invoices/{InvoiceID} updates one (LineItems, when sent, replace the lines). Status DELETED
//   deletes a draft or submitted one; VOIDED voids an approved one with nothing paid; a paid or voided
//   document cannot be changed. A line's LineAmount is Quantity × UnitAmount; an approved document's
//   lines each name an account (AccountCode or AccountID). Totals are Xero's: SubTotal, TotalTax (the
//   sandbox books no tax), Total, AmountDue.
// - PUT /BankTransactions creates spend or receive money (Type SPEND or RECEIVE, Contact, BankAccount
//   — a BANK account —, LineItems, Date, Reference; AUTHORISED); POST /BankTransactions/{id} updates one,
//   Status DELETED deletes one that is not reconciled.
// - PUT /Payments applies a payment to one approved invoice or bill (Invoice.InvoiceID, Account — a BANK
//   account —, Amount at most its AmountDue, Date): the document's AmountPaid and AmountDue move, PAID
//   once nothing is due; POST /Payments/{id} with Status DELETED deletes it and moves them back.
// - Idempotency-Key (at most 128 characters) replays the first answer to a repeated key.
// - Refusals are 400 ValidationException (ErrorNumber 10) with each refused element and its
//   ValidationErrors, as with summarizeErrors=true (the default): nothing is written then.
// Every write goes through the Dataset, so listings, If-Modified-Since, webhooks and the ground truth see it.
import { randomUUID } from "node:crypto";
import type { Dataset, StoredRecord } from "@/lib/sandbox/dataset";
import { DAY_MS } from "@/lib/sandbox/dataset";
import { json, type SandboxRequest, type SandboxResponse } from "@/lib/sandbox/http";
import { accountRef, ID_BASES, paidInvoice } from "./objects";
import { lineItemGuid, parseXeroGuid, xeroGuid } from "./ids";
import { BASE_CURRENCY } from "./names";
import { renderRecord } from "./render";
import { RESOURCE_BY_NAME } from "./resources";
import { dateString, msDate, msDateNoOffset } from "./time";

type Json = Record<string, unknown>;

export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;
/** Keys an organisation remembers; the oldest are forgotten past this many. */
const REMEMBERED_KEYS = 10_000;

const answers = new WeakMap<Dataset, Map<string, SandboxResponse>>();
/** Organisations whose contacts' IsCustomer/IsSupplier no longer follow their dataset object (writes changed them). */
const flagsWritten = new WeakSet<Dataset>();

/** Whether a listing must test IsCustomer/IsSupplier on each contact rather than by its object (listing.ts). */
export function contactFlagsWritten(dataset: Dataset): boolean {
  return flagsWritten.has(dataset);
}

class Refusal extends Error {
  constructor(
    readonly element: Json,
    readonly messages: string[],
  ) {
    super(messages.join("; "));
  }
}

function refused(refusal: Refusal): SandboxResponse {
  return json(400, {
    ErrorNumber: 10,
    Type: "ValidationException",
    Message: "A validation exception occurred",
    Elements: [{ ...refusal.element, ValidationErrors: refusal.messages.map((Message) => ({ Message })) }],
  });
}

/** A write under its Idempotency-Key: a repeated key answers what the first request was answered. */
export const WRITTEN_RESOURCES = ["Contacts", "Invoices", "BankTransactions", "Payments"] as const;
export type WrittenResource = (typeof WRITTEN_RESOURCES)[number];

type Plan = (dataset: Dataset, element: Json, current: StoredRecord | undefined, now: number) => () => StoredRecord;

/** Each written resource: its id field, the dataset objects it holds, and the plan of one element's write. */
const WRITES: Record<WrittenResource, { idField: string; objects: string[]; plan: Plan }> = {
  Contacts: { idField: "ContactID", objects: ["Supplier", "Customer"], plan: (dataset, element, current) => contactPlan(dataset, element, current) },
  Invoices: { idField: "InvoiceID", objects: ["Bill", "Invoice"], plan: (...args) => invoicePlan(...args) },
  BankTransactions: { idField: "BankTransactionID", objects: ["SpendMoney", "ReceiveMoney"], plan: (...args) => bankTransactionPlan(...args) },
  Payments: { idField: "PaymentID", objects: ["Payment"], plan: (...args) => paymentPlan(...args) },
};

export function handleXeroWrite(request: SandboxRequest, dataset: Dataset, resource: WrittenResource, id: string | null): SandboxResponse {
  const key = request.headers["idempotency-key"];
  if (key !== undefined && (key === "" || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
    return refused(new Refusal({}, [`Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`]));
  }
  let remembered = answers.get(dataset);
  if (!remembered) answers.set(dataset, (remembered = new Map()));
  if (key !== undefined && remembered.has(key)) return remembered.get(key)!;
  const response = perform(request, dataset, resource, id);
  if (key !== undefined) {
    if (remembered.size >= REMEMBERED_KEYS) remembered.delete(remembered.keys().next().value!);
    remembered.set(key, response);
  }
  return response;
}

function perform(request: SandboxRequest, dataset: Dataset, resource: WrittenResource, id: string | null): SandboxResponse {
  const method = request.method.toUpperCase();
  const body = request.body as Json | null;
  // `{ Payments: [...] }`, or one element alone (xero-node's createPayment and deletePayment send that).
  const elements =
    body && typeof body === "object" && !Array.isArray(body)
      ? Array.isArray(body[resource])
        ? (body[resource] as unknown[])
        : resource in body
          ? null
          : [body]
      : null;
  if (!elements || elements.length === 0 || elements.some((e) => typeof e !== "object" || e === null || Array.isArray(e))) {
    return refused(new Refusal({}, [`The request body must be { "${resource}": [ ... ] }`]));
  }
  if (id !== null && elements.length !== 1) return refused(new Refusal({}, [`POST /${resource}/{id} takes one element`]));
  const now = dataset.now();
  try {
    const written: StoredRecord[] = [];
    // Every element is checked before anything is written (summarizeErrors=true).
    const spec = WRITES[resource];
    const plans = (elements as Json[]).map((element) => {
      const target = id ?? (typeof element[spec.idField] === "string" ? String(element[spec.idField]) : null);
      if (method === "PUT" && target !== null && id === null) throw new Refusal(element, ["PUT creates: leave the id out, or POST to update"]);
      const current = target === null ? undefined : existing(dataset, resource, target, element);
      return spec.plan(dataset, element, current, now);
    });
    for (const plan of plans) written.push(plan());
    return json(200, {
      Id: randomUUID(),
      Status: "OK",
      ProviderName: "Tributary Sandbox",
      DateTimeUTC: msDateNoOffset(now),
      [resource]: written.map((record) => renderRecord(RESOURCE_BY_NAME.get(resource.toLowerCase())!, dataset.get(record.object, record.id) ?? record)),
    });
  } catch (error) {
    if (error instanceof Refusal) return refused(error);
    throw error;
  }
}

function existing(dataset: Dataset, resource: WrittenResource, guid: string, element: Json): StoredRecord {
  const parsed = parseXeroGuid(guid, WRITES[resource].objects);
  const record = parsed ? dataset.get(parsed.object, parsed.id) : undefined;
  if (!record || (record.deletedAt !== null && resource !== "Contacts")) {
    throw new Refusal(element, [`${resource.replace(/s$/, "")} ${guid} could not be found`]);
  }
  return record;
}

const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Live contacts, both objects, scanned: the sandbox keeps no index by name. */
function* liveContacts(dataset: Dataset): Generator<StoredRecord> {
  for (const object of ["Supplier", "Customer"]) {
    let afterId: number | undefined;
    for (;;) {
      const page = dataset.list(object, { limit: 1000, afterId });
      yield* page;
      if (page.length < 1000) break;
      afterId = page[page.length - 1].id;
    }
  }
}

/** A contact's create or update: checked now, written when `run` is called. */
function contactPlan(dataset: Dataset, element: Json, current: StoredRecord | undefined): () => StoredRecord {
  const errors: string[] = [];
  const name = element.Name === undefined && current ? String(current.data.Name) : text(element.Name);
  if (!name) errors.push("The contact name must be specified");
  else if (name.length > 255) errors.push("The contact name must not be longer than 255 characters");
  else {
    const lower = name.toLowerCase();
    for (const contact of liveContacts(dataset)) {
      if (String(contact.data.Name).toLowerCase() === lower && !(current && contact.object === current.object && contact.id === current.id)) {
        errors.push(`The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`);
        break;
      }
    }
  }
  if (element.EmailAddress !== undefined && element.EmailAddress !== "" && !(typeof element.EmailAddress === "string" && EMAIL.test(element.EmailAddress))) {
    errors.push("Email address must be valid.");
  }
  const status = element.ContactStatus;
  if (status !== undefined && status !== "ACTIVE" && status !== "ARCHIVED") errors.push(`ContactStatus must be ACTIVE or ARCHIVED`);
  if (current && current.deletedAt !== null && status !== "ARCHIVED") errors.push("The sandbox cannot restore an archived contact");
  if (errors.length) throw new Refusal(element, errors);

  const patch: Json = { Name: name };
  if (element.EmailAddress !== undefined) patch.EmailAddress = element.EmailAddress ?? "";
  if (element.FirstName !== undefined) patch.FirstName = element.FirstName;
  if (element.LastName !== undefined) patch.LastName = element.LastName;
  if (Array.isArray(element.Phones)) patch.Phones = element.Phones;
  if (typeof element.DefaultCurrency === "string") patch.DefaultCurrency = element.DefaultCurrency;
  return () => {
    flagsWritten.add(dataset);
    if (current) {
      if (current.deletedAt !== null) return current;
      const updated = dataset.update(current.object, current.id, patch)!;
      return status === "ARCHIVED" ? dataset.delete(current.object, current.id)! : updated;
    }
    // A new contact is neither customer nor supplier yet; the sandbox keeps it with the customers.
    return dataset.create("Customer", {
      ContactStatus: "ACTIVE",
      EmailAddress: "",
      BankAccountDetails: "",
      Addresses: [],
      Phones: [],
      ContactGroups: [],
      ...patch,
      IsSupplier: false,
      IsCustomer: false,
      ContactPersons: [],
      HasAttachments: false,
      HasValidationErrors: false,
    });
  };
}

const cents = (value: unknown) => Math.round(Number(value) * 100);
const money = (value: number) => Math.round(value) / 100;
const EDITABLE = ["DRAFT", "SUBMITTED", "AUTHORISED"];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A day as Xero takes it in a request (2026-11-20, or 2026-11-20T00:00:00), in ms; null when not a date. */
function dayOf(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const day = value.slice(0, 10);
  if (!DATE.test(day)) return null;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(ms) ? ms : null;
}

/** An invoice's or bill's create or update: checked now, written when `run` is called. */
function invoicePlan(dataset: Dataset, element: Json, current: StoredRecord | undefined, now: number): () => StoredRecord {
  const errors: string[] = [];
  const data = current?.data ?? {};
  const currentStatus = current ? String(data.Status) : null;
  if (current && !EDITABLE.includes(currentStatus!)) throw new Refusal(element, ["This document cannot be edited as it has been paid, voided or deleted"]);
  const type = current ? String(data.Type) : element.Type;
  if (type !== "ACCREC" && type !== "ACCPAY") throw new Refusal(element, ["Invoice Type must be ACCREC or ACCPAY"]);
  if (current && element.Type !== undefined && element.Type !== type) errors.push("The Type of an invoice cannot be changed");
  const status = element.Status === undefined ? (currentStatus ?? "DRAFT") : String(element.Status);

  // Deleting or voiding: a status change alone.
  if (current && (status === "DELETED" || status === "VOIDED")) {
    if (status === "DELETED" && currentStatus === "AUTHORISED") throw new Refusal(element, ["Invoice not of valid status for modification"]);
    if (status === "VOIDED" && (currentStatus !== "AUTHORISED" || Number(data.AmountPaid) > 0))
      throw new Refusal(element, ["Invoice not of valid status for modification"]);
    return () =>
      status === "DELETED" ? dataset.delete(current.object, current.id)! : dataset.update(current.object, current.id, { Status: "VOIDED", AmountDue: 0 })!;
  }
  if (!["DRAFT", "SUBMITTED", "AUTHORISED"].includes(status)) errors.push(`Status ${status} is not one of DRAFT, SUBMITTED, AUTHORISED`);
  if (currentStatus === "AUTHORISED" && status !== "AUTHORISED") errors.push("An approved invoice cannot go back to draft");

  const contact = element.Contact !== undefined || !current ? contactOf(dataset, element, errors, "A Contact must be specified with its ContactID") : undefined;

  // Lines: replaced when sent.
  let lines = (data.LineItems as Json[] | undefined) ?? [];
  let totalCents = cents(data.SubTotal ?? 0);
  const documentId = current?.id ?? dataset.snapshot().nextIds[type === "ACCREC" ? "Invoice" : "Bill"];
  if (element.LineItems !== undefined)
    ({ lines, totalCents } = linesOf(dataset, element.LineItems, type === "ACCREC" ? "Invoice" : "Bill", documentId, errors));
  if (status === "AUTHORISED") {
    if (lines.length === 0) errors.push("An approved invoice must have at least one line item");
    lines.forEach((line, index) => {
      if (line.AccountCode === undefined) errors.push(`Line ${index + 1}: Account code must be specified for an approved invoice`);
    });
  }

  const day = element.Date === undefined ? null : dayOf(element.Date);
  if (element.Date !== undefined && day === null) errors.push(`Date '${String(element.Date)}' is not a valid date`);
  const dueDay = element.DueDate === undefined ? null : dayOf(element.DueDate);
  if (element.DueDate !== undefined && dueDay === null) errors.push(`DueDate '${String(element.DueDate)}' is not a valid date`);
  const number = text(element.InvoiceNumber);
  if (number && type === "ACCREC") {
    for (const invoice of listAll(dataset, "Invoice")) {
      if (invoice.data.InvoiceNumber === number && invoice.id !== current?.id) {
        errors.push("Invoice # must be unique.");
        break;
      }
    }
  }
  if (errors.length) throw new Refusal(element, errors);

  const issued = day ?? (current ? null : Math.floor(now / DAY_MS) * DAY_MS);
  const due = dueDay ?? (current ? null : (issued ?? now) + 30 * DAY_MS);
  const paidCents = cents(data.AmountPaid ?? 0);
  const patch: Json = {
    Status: status,
    LineItems: lines,
    SubTotal: money(totalCents),
    TotalTax: 0,
    Total: money(totalCents),
    AmountDue: money(Math.max(0, totalCents - paidCents)),
  };
  if (issued !== null) Object.assign(patch, { Date: msDate(issued), DateString: dateString(issued) });
  if (due !== null) Object.assign(patch, { DueDate: msDate(due), DueDateString: dateString(due) });
  if (contact) patch.Contact = { ContactID: xeroGuid(contact.object, contact.id), Name: contact.data.Name };
  if (number) patch.InvoiceNumber = number;
  if (element.Reference !== undefined) patch.Reference = element.Reference ?? "";
  return () => {
    if (contact) {
      flagsWritten.add(dataset);
      const flag = type === "ACCREC" ? "IsCustomer" : "IsSupplier";
      if (contact.data[flag] !== true) dataset.update(contact.object, contact.id, { [flag]: true });
    }
    if (current) return dataset.update(current.object, current.id, patch)!;
    const object = type === "ACCREC" ? "Invoice" : "Bill";
    return dataset.create(object, {
      Type: type,
      InvoiceNumber: number ?? (type === "ACCREC" ? `INV-${String(documentId - ID_BASES.Invoice).padStart(4, "0")}` : ""),
      Reference: "",
      Payments: [],
      CreditNotes: [],
      Prepayments: [],
      Overpayments: [],
      AmountPaid: 0,
      AmountCredited: 0,
      CurrencyCode: typeof contact?.data.DefaultCurrency === "string" ? contact.data.DefaultCurrency : BASE_CURRENCY.code,
      CurrencyRate: 1,
      IsDiscounted: false,
      HasAttachments: false,
      HasErrors: false,
      LineAmountTypes: "Exclusive",
      ...(type === "ACCREC" ? { SentToContact: false } : {}),
      ...patch,
    });
  };
}

/** A document's LineItems as Xero stores them (LineAmount = Quantity × UnitAmount, the account named), with their total; problems go to `errors`. */
function linesOf(dataset: Dataset, given: unknown, object: string, documentId: number, errors: string[]): { lines: Json[]; totalCents: number } {
  const lines: Json[] = [];
  let totalCents = 0;
  if (!Array.isArray(given)) {
    errors.push("LineItems must be a list");
    return { lines, totalCents };
  }
  for (const [index, raw] of (given as Json[]).entries()) {
    const line = typeof raw === "object" && raw !== null ? raw : {};
    const quantity = line.Quantity === undefined || line.Quantity === null ? 1 : Number(line.Quantity);
    const unit = line.UnitAmount === undefined || line.UnitAmount === null ? null : cents(line.UnitAmount);
    const stated = line.LineAmount === undefined || line.LineAmount === null ? null : cents(line.LineAmount);
    if (!Number.isFinite(quantity)) errors.push(`Line ${index + 1}: Quantity must be a number`);
    const amount = unit !== null ? Math.round(unit * quantity) : stated;
    if (amount === null || !Number.isFinite(amount)) {
      errors.push(`Line ${index + 1}: a line needs a UnitAmount or a LineAmount`);
      continue;
    }
    if (stated !== null && unit !== null && Math.abs(stated - amount) >= 1) {
      errors.push(`The line total ${money(stated)} does not match the expected line total ${money(amount)}`);
    }
    let account: ReturnType<typeof accountRef> | undefined;
    const byId = typeof line.AccountID === "string" ? parseXeroGuid(line.AccountID, ["Account"]) : null;
    if (byId) {
      if (dataset.get("Account", byId.id)?.deletedAt === null) account = accountRef(byId.id);
      else errors.push(`Line ${index + 1}: Account ${String(line.AccountID)} could not be found`);
    } else if (typeof line.AccountCode === "string") {
      account = accountByCode(dataset, line.AccountCode);
      if (!account) errors.push(`Line ${index + 1}: Account code '${line.AccountCode}' is not a valid code for this document.`);
    } else if (line.AccountID !== undefined) errors.push(`Line ${index + 1}: Account ${String(line.AccountID)} could not be found`);
    totalCents += amount;
    lines.push({
      LineItemID: lineItemGuid(object, documentId, index + 1),
      ...(text(line.Description) ? { Description: text(line.Description) } : {}),
      Quantity: quantity,
      UnitAmount: money(unit ?? Math.round(amount / (quantity || 1))),
      ...(account ? { AccountCode: account.Code, AccountID: account.AccountID } : {}),
      TaxType: "NONE",
      TaxAmount: 0,
      LineAmount: money(amount),
      Tracking: [],
    });
  }
  return { lines, totalCents };
}

/** A live contact a document names by ContactID; problems go to `errors`. */
function contactOf(dataset: Dataset, element: Json, errors: string[], required: string): StoredRecord | undefined {
  const contactElement = element.Contact as Json | undefined;
  const guid = typeof contactElement?.ContactID === "string" ? contactElement.ContactID : "";
  const parsed = parseXeroGuid(guid, ["Supplier", "Customer"]);
  const contact = parsed ? dataset.get(parsed.object, parsed.id) : undefined;
  if (!contact || contact.deletedAt !== null) {
    errors.push(guid ? `Contact ${guid} could not be found` : required);
    return undefined;
  }
  return contact;
}

/** A live BANK account named by AccountID or Code; problems go to `errors`. */
function bankAccountOf(dataset: Dataset, given: unknown, errors: string[], what: string): ReturnType<typeof accountRef> | undefined {
  const element = (given ?? {}) as Json;
  let record: StoredRecord | undefined;
  const byId = typeof element.AccountID === "string" ? parseXeroGuid(element.AccountID, ["Account"]) : null;
  if (byId) record = dataset.get("Account", byId.id);
  else if (typeof element.Code === "string") {
    for (const account of listAll(dataset, "Account")) if (account.data.Code === element.Code) record = account;
  }
  if (!record || record.deletedAt !== null) {
    errors.push(`${what} must name an account by AccountID or Code`);
    return undefined;
  }
  if (record.data.Type !== "BANK") {
    errors.push("Account type is invalid for making a payment to/from");
    return undefined;
  }
  return accountRef(record.id);
}

/** Spend or receive money: created AUTHORISED; updated while not reconciled; deleted with Status DELETED. */
function bankTransactionPlan(dataset: Dataset, element: Json, current: StoredRecord | undefined, now: number): () => StoredRecord {
  const errors: string[] = [];
  const data = current?.data ?? {};
  const type = current ? String(data.Type) : element.Type;
  if (type !== "SPEND" && type !== "RECEIVE") throw new Refusal(element, ["Type must be SPEND or RECEIVE"]);
  if (current && data.IsReconciled === true) throw new Refusal(element, ["This Bank Transaction cannot be edited as it has been reconciled"]);
  if (current && element.Status === "DELETED") return () => dataset.delete(current.object, current.id)!;
  if (element.Status !== undefined && element.Status !== "AUTHORISED") errors.push(`Status ${String(element.Status)} is not AUTHORISED or DELETED`);
  const object = type === "SPEND" ? "SpendMoney" : "ReceiveMoney";
  const contact =
    element.Contact !== undefined || !current ? contactOf(dataset, element, errors, "A Contact must be specified for this type of transaction") : undefined;
  const bank = element.BankAccount !== undefined || !current ? bankAccountOf(dataset, element.BankAccount, errors, "BankAccount") : undefined;
  const documentId = current?.id ?? dataset.snapshot().nextIds[object];
  let lines = (data.LineItems as Json[] | undefined) ?? [];
  let totalCents = cents(data.SubTotal ?? 0);
  if (element.LineItems !== undefined || !current) ({ lines, totalCents } = linesOf(dataset, element.LineItems ?? [], object, documentId, errors));
  if (lines.length === 0) errors.push("A bank transaction must have at least one line item");
  lines.forEach((line, index) => {
    if (line.AccountCode === undefined) errors.push(`Line ${index + 1}: Account code must be specified`);
  });
  const day = element.Date === undefined ? null : dayOf(element.Date);
  if (element.Date !== undefined && day === null) errors.push(`Date '${String(element.Date)}' is not a valid date`);
  if (errors.length) throw new Refusal(element, errors);
  const patch: Json = { LineItems: lines, SubTotal: money(totalCents), TotalTax: 0, Total: money(totalCents) };
  const issued = day ?? (current ? null : Math.floor(now / DAY_MS) * DAY_MS);
  if (issued !== null) Object.assign(patch, { Date: msDate(issued), DateString: dateString(issued) });
  if (contact) patch.Contact = { ContactID: xeroGuid(contact.object, contact.id), Name: contact.data.Name };
  if (bank) patch.BankAccount = bank;
  if (element.Reference !== undefined) patch.Reference = element.Reference ?? "";
  return () => {
    if (current) return dataset.update(current.object, current.id, patch)!;
    return dataset.create(object, {
      Type: type,
      IsReconciled: false,
      Reference: "",
      CurrencyCode: BASE_CURRENCY.code,
      CurrencyRate: 1,
      Status: "AUTHORISED",
      LineAmountTypes: "Exclusive",
      HasAttachments: false,
      ...patch,
    });
  };
}

/** A payment of one approved invoice or bill, moving its AmountPaid and AmountDue; deleted (Status DELETED), it moves them back. */
function paymentPlan(dataset: Dataset, element: Json, current: StoredRecord | undefined, now: number): () => StoredRecord {
  if (current) {
    if (element.Status !== "DELETED") throw new Refusal(element, ["A payment cannot be changed: delete it (Status DELETED) and make another"]);
    return () => {
      settle(dataset, current.data.Invoice as Json | undefined, -cents(current.data.Amount), now);
      return dataset.delete(current.object, current.id)!;
    };
  }
  const errors: string[] = [];
  const invoiceElement = (element.Invoice ?? {}) as Json;
  const parsed = typeof invoiceElement.InvoiceID === "string" ? parseXeroGuid(invoiceElement.InvoiceID, ["Bill", "Invoice"]) : null;
  const invoice = parsed ? dataset.get(parsed.object, parsed.id) : undefined;
  const amount = element.Amount === undefined || element.Amount === null ? NaN : cents(element.Amount);
  if (!invoice || invoice.deletedAt !== null) errors.push("Invoice could not be found: a payment names its invoice by InvoiceID");
  else if (invoice.data.Status !== "AUTHORISED") errors.push("Payments can only be made against Authorised documents");
  else if (!(amount > 0)) errors.push("Payment amount must be greater than zero");
  else if (amount > cents(invoice.data.AmountDue)) errors.push("Payment amount exceeds the amount outstanding on this document");
  const account = bankAccountOf(dataset, element.Account, errors, "Account");
  const day = element.Date === undefined ? Math.floor(now / DAY_MS) * DAY_MS : dayOf(element.Date);
  if (day === null) errors.push(`Date '${String(element.Date)}' is not a valid date`);
  if (errors.length) throw new Refusal(element, errors);
  const paid = invoice!;
  return () => {
    const data: Json = {
      Date: msDate(day!),
      DateString: dateString(day!),
      Amount: money(amount),
      BankAmount: money(amount),
      CurrencyRate: 1,
      Reference: text(element.Reference) ?? "",
      IsReconciled: false,
      Status: "AUTHORISED",
      PaymentType: paid.data.Type === "ACCREC" ? "ACCRECPAYMENT" : "ACCPAYPAYMENT",
      Account: { AccountID: account!.AccountID, Code: account!.Code },
      Invoice: paidInvoice({
        Type: paid.data.Type,
        InvoiceID: xeroGuid(paid.object, paid.id),
        InvoiceNumber: paid.data.InvoiceNumber ?? "",
        Contact: paid.data.Contact,
        CurrencyCode: paid.data.CurrencyCode ?? BASE_CURRENCY.code,
      }),
      HasAccount: true,
      HasValidationErrors: false,
    };
    settle(dataset, data.Invoice as Json, amount, day!);
    return dataset.create("Payment", data);
  };
}

/** Applies `amountCents` (negative: takes it back) to the document a payment names: AmountPaid, AmountDue, PAID when nothing is due. */
function settle(dataset: Dataset, invoiceElement: Json | undefined, amountCents: number, day: number): void {
  const parsed = typeof invoiceElement?.InvoiceID === "string" ? parseXeroGuid(invoiceElement.InvoiceID, ["Bill", "Invoice"]) : null;
  const invoice = parsed ? dataset.get(parsed.object, parsed.id) : undefined;
  if (!invoice || invoice.deletedAt !== null) return;
  const total = cents(invoice.data.Total);
  const paid = Math.min(total, Math.max(0, cents(invoice.data.AmountPaid ?? 0) + amountCents));
  const patch: Json = { AmountPaid: money(paid), AmountDue: money(total - paid) };
  if (total - paid === 0) Object.assign(patch, { Status: "PAID", FullyPaidOnDate: msDate(Math.floor(day / DAY_MS) * DAY_MS) });
  else if (invoice.data.Status === "PAID") Object.assign(patch, { Status: "AUTHORISED", FullyPaidOnDate: undefined });
  dataset.update(invoice.object, invoice.id, patch);
}

function* listAll(dataset: Dataset, object: string): Generator<StoredRecord> {
  let afterId: number | undefined;
  for (;;) {
    const page = dataset.list(object, { limit: 1000, afterId });
    yield* page;
    if (page.length < 1000) return;
    afterId = page[page.length - 1].id;
  }
}

function accountByCode(dataset: Dataset, code: string): ReturnType<typeof accountRef> | undefined {
  for (const account of listAll(dataset, "Account")) if (account.data.Code === code) return accountRef(account.id);
  return undefined;
}
