// The Xero connector: Accounting API 2.0 (https://api.xero.com/api.xro/2.0; the sandbox's emulator
// speaks the same wire format). One token may reach several organisations: every request names the
// connection's own in the xero-tenant-id header (ConnectorContext.accountId).
//
// Paging is by page number (page, pageSize up to 1000), which shifts when the listed set changes
// under it. Every list is ordered by the record's id, which never changes, and Xero never drops a
// record from a list (deleting an invoice, payment or spend sets its Status to DELETED; contacts are
// archived, and includeArchived lists them): so a record created during a listing can only push a
// record already read onto the next page (read twice, stored once), never hide one. An incremental
// listing (If-Modified-Since) is ordered the same way rather than by UpdatedDateUTC: a record edited
// during it stays in the set at its place, where under UpdatedDateUTC order it would jump to the end
// and pull the record after it back onto a page already read.
import {
  ConnectorError,
  declaredFilters,
  fromDefinition,
  type Connector,
  type ConnectorContext,
  type DeleteRequest,
  type ListPage,
  type ListRequest,
  type UnifiedRecord,
  type WriteRequest,
} from "../types";
import { hmacMatches, requestJson } from "../http";
import { xeroDefinition } from "./definition";
import { ID_FIELDS, normalize, type Json } from "./normalize";
import { xeroOAuthAccount } from "./tenants";

const MAX_PAGE_SIZE = 1000;

/**
 * Each object's endpoint, its collection's name in the answer, and the `where` that picks its records.
 * A contact both supplier and customer is in vendors and in customers: it is both, as the unified
 * model has them. Bills are ACCPAY invoices. Expenses are SPEND bank transactions only: a
 * SPEND-OVERPAYMENT or SPEND-PREPAYMENT is money paid ahead of a bill that will be allocated to it
 * later, not a purchase of its own, and counting it would count the bill's spending twice. Payments
 * are customers' (ACCRECPAYMENT): the contract's payment is money received against invoices, so bill
 * payments (ACCPAYPAYMENT) and credit-note refunds are left out.
 */
const LISTS: Record<string, { path: string; collection: string; where: string | null; dated: boolean; paged: boolean }> = {
  accounts: { path: "/Accounts", collection: "Accounts", where: null, dated: false, paged: false },
  vendors: { path: "/Contacts", collection: "Contacts", where: "IsSupplier==true", dated: false, paged: true },
  customers: { path: "/Contacts", collection: "Contacts", where: "IsCustomer==true", dated: false, paged: true },
  bills: { path: "/Invoices", collection: "Invoices", where: 'Type=="ACCPAY"', dated: true, paged: true },
  invoices: { path: "/Invoices", collection: "Invoices", where: 'Type=="ACCREC"', dated: true, paged: true },
  expenses: { path: "/BankTransactions", collection: "BankTransactions", where: 'Type=="SPEND"', dated: true, paged: true },
  payments: { path: "/Payments", collection: "Payments", where: 'PaymentType=="ACCRECPAYMENT"', dated: true, paged: true },
};

/** Statuses that mean the record is gone: reported as deletions, not records. A voided invoice or bill stays, as status void. */
const GONE: Record<string, readonly string[]> = {
  bills: ["DELETED"],
  invoices: ["DELETED"],
  // A voided spend spent nothing, and the expense model has no status to say so.
  expenses: ["DELETED", "VOIDED"],
  payments: ["DELETED"],
  accounts: ["DELETED"],
};

/** Which unified objects a webhook's eventCategory names. */
const WEBHOOK_OBJECTS: Record<string, readonly string[]> = { INVOICE: ["invoices", "bills"], CONTACT: ["customers", "vendors"] };

export const xeroConnector: Connector = {
  ...fromDefinition(xeroDefinition),
  incrementalOverlapMs: 5_000,
  oauthClientAuth: "basic",
  // The consent page lets the user tick organisations; GET /connections names this sign-in's tenants.
  oauthAccount: xeroOAuthAccount,
  endpoints(_tenantId, sandboxUrl) {
    // The tenant is a header, not a part of any URL.
    if (sandboxUrl) {
      const base = `${sandboxUrl}/xero`;
      return { apiBaseUrl: `${base}/api.xro/2.0`, tokenUrl: `${base}/identity/connect/token`, authorizeUrl: `${base}/identity/connect/authorize` };
    }
    return {
      apiBaseUrl: "https://api.xero.com/api.xro/2.0",
      tokenUrl: "https://identity.xero.com/connect/token",
      authorizeUrl: "https://login.xero.com/identity/connect/authorize",
    };
  },
  // The Accounting API (/Invoices, /Contacts…): apiBaseUrl is already /api.xro/2.0.
  proxy: { path: "", headers: authHeaders },
  // Contacts are archived, never deleted (`active: false`); only a draft invoice or bill can be deleted
  // (Xero keeps an approved one: void it in Xero); a payment is never changed, only deleted.
  writes: {
    customers: ["create", "update"],
    vendors: ["create", "update"],
    invoices: ["create", "update", "delete"],
    bills: ["create", "update", "delete"],
    expenses: ["create", "update", "delete"],
    payments: ["create", "delete"],
  },
  write,
  remove,
  // Xero signs each delivery with the app's webhook key: x-xero-signature, base64 HMAC-SHA256 of the raw body.
  webhooks: {
    // Events are batched, each a few hundred bytes naming a resource (not its content).
    maxBodyBytes: 256 * 1024,
    verify: (headers, body, secret) => hmacMatches(secret, body, headers["x-xero-signature"]),
    objects(_headers, body) {
      // The intent-to-receive check sends no events: it names nothing.
      const parsed = JSON.parse(body) as { events?: { eventCategory?: string }[] };
      if (!Array.isArray(parsed.events)) throw new Error("Not a Xero webhook delivery");
      const named = new Set(parsed.events.flatMap((event) => WEBHOOK_OBJECTS[String(event.eventCategory)] ?? []));
      return xeroDefinition.objects.map((object) => object.key).filter((key) => named.has(key));
    },
  },
  async list(context, request) {
    declaredFilters(xeroDefinition, request);
    const list = LISTS[request.object];
    if (!list) throw new ConnectorError("permanent", `Xero has no object "${request.object}"`);
    const { page, size } = readCursor(request);
    const query = new URLSearchParams();
    const where = [list.where, ...(list.dated ? windowConditions(request) : [])].filter(Boolean).join(" AND ");
    if (where) query.set("where", where);
    query.set("order", `${ID_FIELDS[request.object]} ASC`);
    if (list.paged) {
      query.set("page", String(page));
      query.set("pageSize", String(size));
    }
    if (list.path === "/Contacts") query.set("includeArchived", "true");
    const body = await get(context, `${context.baseUrl}${list.path}?${query}`, request.updatedSince ?? null);
    const items = (body[list.collection] as Json[] | undefined) ?? [];
    const gone = GONE[request.object] ?? [];
    const deleted = items.filter((item) => gone.includes(String(item.Status))).map((item) => String(item[ID_FIELDS[request.object]]));
    return {
      records: items.filter((item) => !gone.includes(String(item.Status))).map((item) => normalize(request.object, item)),
      deleted,
      nextCursor: list.paged && items.length >= size ? `${page + 1}:${size}` : null,
      requests: 1,
    } satisfies ListPage;
  },
};

/** The cursor is the next page and the page size it was counted in, which must not change between pages. */
function readCursor(request: ListRequest): { page: number; size: number } {
  if (request.cursor) {
    const [page, size] = request.cursor.split(":").map(Number);
    if (Number.isInteger(page) && page > 0 && Number.isInteger(size) && size > 0) return { page, size };
    throw new ConnectorError("permanent", `Not a Xero cursor: ${request.cursor}`);
  }
  return { page: 1, size: Math.min(MAX_PAGE_SIZE, Math.max(1, request.pageSize ?? MAX_PAGE_SIZE)) };
}

/**
 * A creation window on the document Date, a calendar day: each day belongs to the window holding its
 * first instant (00:00 UTC), so windows that meet at any instant split the days between them without
 * loss or overlap.
 */
function windowConditions(request: ListRequest): string[] {
  const conditions: string[] = [];
  if (request.window?.start) conditions.push(`Date>=${dateTime(firstDayFrom(request.window.start))}`);
  if (request.window?.end) conditions.push(`Date<${dateTime(firstDayFrom(request.window.end))}`);
  return conditions;
}

/** The first day whose 00:00 UTC is at or after `instant`. */
function firstDayFrom(instant: Date): Date {
  const day = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
  return day.getTime() < instant.getTime() ? new Date(day.getTime() + 24 * 3600_000) : day;
}

const dateTime = (day: Date) =>
  `DateTime(${day.getUTCFullYear()},${String(day.getUTCMonth() + 1).padStart(2, "0")},${String(day.getUTCDate()).padStart(2, "0")})`;

/** A bearer token, and the organisation the request is for in xero-tenant-id. */
function authHeaders(context: ConnectorContext): Record<string, string> {
  if (!context.accountId) throw new ConnectorError("permanent", "Xero needs the connection's tenant id (ConnectorContext.accountId)");
  const token = context.credentials.kind === "oauth" ? context.credentials.accessToken : context.credentials.apiKey;
  return { Authorization: `Bearer ${token}`, "xero-tenant-id": context.accountId };
}

async function get(context: ConnectorContext, url: string, modifiedSince: Date | null): Promise<Json> {
  const headers: Record<string, string> = { ...authHeaders(context), Accept: "application/json" };
  // Whole seconds in UTC, the form Xero documents; a second's truncation only asks for a little more.
  if (modifiedSince) headers["If-Modified-Since"] = modifiedSince.toISOString().slice(0, 19);
  // Which of Xero's limits refused a 429 (minute, day, concurrent or the app's minute), for the message.
  let problem: string | null = null;
  const watched: typeof fetch = async (input, init) => {
    const response = await context.fetch(input, init);
    if (response.status === 429) problem = response.headers.get("x-rate-limit-problem");
    return response;
  };
  const response = await requestJson<Json>({ ...context, fetch: watched }, url, { headers }).catch((error: unknown) => {
    if (error instanceof ConnectorError && error.kind === "rate_limited") {
      throw new ConnectorError("rate_limited", `Xero's ${problem ?? "unnamed"} limit refused the request (X-Rate-Limit-Problem)`, error.options);
    }
    throw error;
  });
  // Xero answers 403 for a tenant the token no longer reaches: the organisation was disconnected from
  // the app (or its subscription ended), which a refresh cannot undo.
  if (response.status === 403) throw new ConnectorError("account_closed", "The Xero organisation is no longer connected to this app", { status: 403 });
  // A 304 (nothing modified since) carries no body: an empty page.
  if (response.status === 304) return {};
  if (response.status !== 200)
    throw new ConnectorError("permanent", `Xero answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`, { status: response.status });
  return response.body ?? {};
}

/**
 * Writes (Accounting API 2.0, xero_accounting.yaml 16.1.0: PUT /Contacts and /Invoices create, POST
 * /{Resource}/{id} updates), each under the Idempotency-Key Tributary derives from the caller's, so a
 * retry after a crash gets Xero's first answer. A customer or vendor is a contact: Xero marks it a
 * customer (IsCustomer) or supplier only once an invoice or bill names it, so until then syncs of
 * customers and vendors do not list it, and Tributary keeps it as written. Invoices and bills are
 * created approved (AUTHORISED): each line then names its account (account_id), as Xero requires.
 * Expenses are spend money and payments settle one invoice each (spendElement, paymentElement).
 */
async function write(context: ConnectorContext, request: WriteRequest): Promise<UnifiedRecord> {
  if (!xeroConnector.writes?.[request.object]) throw new ConnectorError("permanent", `Xero does not write ${request.object} through Tributary`);
  const { collection, element } = WRITTEN[request.object];
  const path = request.operation === "create" ? `/${collection}` : `/${collection}/${encodeURIComponent(request.id ?? "")}`;
  const body = await send(
    context,
    request.operation === "create" ? "PUT" : "POST",
    path,
    { [collection]: [element(request)] },
    request.idempotencyKey,
    request,
  );
  const written = (body[collection] as Json[] | undefined)?.[0];
  if (!written) throw new ConnectorError("permanent", `Xero answered no ${collection}`);
  return normalize(request.object, written);
}

/** Deletes a draft invoice or bill, a spend that is not reconciled, or a payment (Status DELETED); Xero's refusal of any other comes back as it is. */
async function remove(context: ConnectorContext, request: DeleteRequest): Promise<void> {
  if (!xeroConnector.writes?.[request.object]?.includes("delete")) throw new ConnectorError("permanent", `Xero does not delete ${request.object}`);
  const { collection } = WRITTEN[request.object];
  const body = await send(
    context,
    "POST",
    `/${collection}/${encodeURIComponent(request.id)}`,
    { [collection]: [{ Status: "DELETED" }] },
    request.idempotencyKey,
    {
      object: request.object,
      id: request.id,
    },
  );
  if ((body[collection] as Json[] | undefined)?.[0]?.Status !== "DELETED") throw new ConnectorError("permanent", `Xero did not delete the ${request.object}`);
}

/** Each written object's collection, and its element from the unified shape (only the fields sent). */
const WRITTEN: Record<string, { collection: string; element: (request: WriteRequest) => Json }> = {
  customers: { collection: "Contacts", element: contactElement },
  vendors: { collection: "Contacts", element: contactElement },
  invoices: { collection: "Invoices", element: invoiceElement },
  bills: { collection: "Invoices", element: invoiceElement },
  expenses: { collection: "BankTransactions", element: spendElement },
  payments: { collection: "Payments", element: paymentElement },
};

function contactElement(request: WriteRequest): Json {
  const data = request.data;
  const element: Json = {};
  if (data.name !== undefined) element.Name = data.name;
  if (data.email !== undefined) element.EmailAddress = data.email ?? "";
  if (data.phone !== undefined) element.Phones = [{ PhoneType: "DEFAULT", PhoneNumber: data.phone ?? "" }];
  if (data.currency !== undefined) element.DefaultCurrency = data.currency;
  // Archiving is a status; an active contact stays as it is.
  if (data.active === false) element.ContactStatus = "ARCHIVED";
  return element;
}

function invoiceElement(request: WriteRequest): Json {
  const data = request.data;
  const element: Json = {};
  if (request.operation === "create") Object.assign(element, { Type: request.object === "bills" ? "ACCPAY" : "ACCREC", Status: "AUTHORISED" });
  const contact = request.object === "bills" ? data.vendor_id : data.customer_id;
  if (contact !== undefined) element.Contact = { ContactID: contact };
  if (data.number !== undefined) element.InvoiceNumber = data.number;
  if (data.issue_date !== undefined) element.Date = data.issue_date;
  if (data.due_date !== undefined) element.DueDate = data.due_date;
  if (Array.isArray(data.lines)) element.LineItems = lineItems(data.lines as Json[]);
  return element;
}

function lineItems(lines: Json[]): Json[] {
  return lines.map((line) => ({
    ...(line.description ? { Description: line.description } : {}),
    ...(line.quantity === undefined ? { LineAmount: Number(line.amount) } : { Quantity: Number(line.quantity), UnitAmount: Number(line.unit_price) }),
    ...(line.account_id ? { AccountID: line.account_id } : {}),
  }));
}

/**
 * An expense is spend money (a SPEND bank transaction) from the bank account `account_id`, to a contact
 * (Xero requires one). Xero records the bank account, not how it was paid: `payment_type` is not kept,
 * and reads back null.
 */
function spendElement(request: WriteRequest): Json {
  const data = request.data;
  const element: Json = request.operation === "create" ? { Type: "SPEND" } : {};
  if (data.vendor_id !== undefined) element.Contact = { ContactID: data.vendor_id };
  if (data.account_id !== undefined) element.BankAccount = { AccountID: data.account_id };
  if (data.date !== undefined) element.Date = data.date;
  if (Array.isArray(data.lines)) element.LineItems = lineItems(data.lines as Json[]);
  return element;
}

/** A Xero payment settles one invoice: `invoices` holds that one, for the whole `total`, paid into the bank account `account_id`. */
function paymentElement(request: WriteRequest): Json {
  const data = request.data;
  const invoices = (data.invoices as Json[] | undefined) ?? [];
  if (invoices.length !== 1 || Math.abs(Number(invoices[0].amount) - Number(data.total)) >= 0.005) {
    throw new ConnectorError("invalid", "Xero applies a payment to one invoice: invoices must hold one invoice, for the payment's total", {
      field: "invoices",
    });
  }
  if (data.account_id === undefined) throw new ConnectorError("invalid", "Xero pays into a bank account: account_id is required", { field: "account_id" });
  return {
    Invoice: { InvoiceID: invoices[0].invoice_id },
    Account: { AccountID: data.account_id },
    Amount: Number(data.total),
    ...(data.date !== undefined ? { Date: data.date } : {}),
  };
}

/** Xero's validation messages, by what they are about, as the unified shapes name the field. */
const REFUSED_FIELDS: [RegExp, (object: string) => string][] = [
  [/Payment amount|Authorised documents|Invoice could not be found/i, () => "invoices"],
  [/Account type is invalid|BankAccount must|Account must name/i, () => "account_id"],
  [/contact name/i, () => "name"],
  [/email/i, () => "email"],
  [/\bContact\b/, (object) => (object === "bills" || object === "expenses" ? "vendor_id" : "customer_id")],
  [/line|account code|account/i, () => "lines"],
  [/Invoice #/i, () => "number"],
  [/DueDate|due date/i, () => "due_date"],
  [/\bDate\b/, (object) => (object === "expenses" || object === "payments" ? "date" : "issue_date")],
];

async function send(
  context: ConnectorContext,
  method: "PUT" | "POST",
  path: string,
  body: Json,
  idempotencyKey: string,
  about: { object: string; id?: string },
): Promise<Json> {
  const response = await requestJson<Json>(context, `${context.baseUrl}${path}`, {
    method,
    headers: { ...authHeaders(context), Accept: "application/json", "Content-Type": "application/json", "Idempotency-Key": idempotencyKey },
    body: JSON.stringify(body),
  }).catch((error: unknown) => {
    // Xero's 404 is plain text, which requestJson cannot read as JSON.
    if (error instanceof ConnectorError && error.options.status === 404)
      throw new ConnectorError("not_found", `Xero has no ${about.object} ${about.id}`, { status: 404 });
    throw error;
  });
  if (response.status === 403) throw new ConnectorError("account_closed", "The Xero organisation is no longer connected to this app", { status: 403 });
  if (response.status === 404) throw new ConnectorError("not_found", `Xero has no ${about.object} ${about.id}`, { status: 404 });
  if (response.status === 400 && response.body?.Type === "ValidationException") {
    const messages = ((response.body.Elements as Json[] | undefined) ?? []).flatMap((e) =>
      ((e.ValidationErrors as Json[] | undefined) ?? []).map((v) => String(v.Message)),
    );
    if (messages.some((message) => /could not be found/.test(message)) && about.id && path.endsWith(encodeURIComponent(about.id))) {
      throw new ConnectorError("not_found", `Xero has no ${about.object} ${about.id}: ${messages.join("; ")}`, { status: 400 });
    }
    const field = REFUSED_FIELDS.find(([pattern]) => messages.some((message) => pattern.test(message)))?.[1](about.object) ?? null;
    throw new ConnectorError("invalid", `Xero refused the ${about.object.replace(/s$/, "")}: ${messages.join("; ") || "a validation exception occurred"}`, {
      status: 400,
      field,
    });
  }
  if (response.status !== 200)
    throw new ConnectorError("permanent", `Xero answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`, { status: response.status });
  return response.body ?? {};
}
