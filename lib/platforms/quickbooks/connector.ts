// The QuickBooks Online connector: Accounting API v3 (minorversion 75; the sandbox's accounting
// emulator speaks the same wire format, so this reads a real company at
// https://quickbooks.api.intuit.com/v3/company/{realmId}). Pages come from the query endpoint
// (STARTPOSITION/MAXRESULTS, ordered by Id, filtered by Metadata times); an incremental run's first
// page also asks ChangeDataCapture for deletions, which queries never return. A run's progress counts
// with the same endpoint (SELECT COUNT(*), developer.intuit.com › QuickBooks Online › Learn › Data queries).
import { decimalString, idString, stringOrNull, utcTimestamp } from "@/lib/unified/convert";
import { hmacMatches, requestJson } from "../http";
import {
  ConnectorError,
  declaredFilters,
  fromDefinition,
  type Connector,
  type ConnectorContext,
  type ListPage,
  type ListRequest,
  type UnifiedRecord,
  type DeleteRequest,
  type WriteRequest,
} from "../types";
import { quickbooksDefinition } from "./definition";

type Json = Record<string, unknown>;

const ENTITIES: Record<string, string> = {
  accounts: "Account",
  vendors: "Vendor",
  customers: "Customer",
  bills: "Bill",
  invoices: "Invoice",
  expenses: "Purchase",
  payments: "Payment",
};
const PAGE_SIZE = 1000;
/** CDC answers only for the last 30 days; older incremental starts rely on full re-syncs for deletions. */
const CDC_LOOKBACK_MS = 30 * 24 * 3600 * 1000;

export const quickbooksConnector: Connector = {
  ...fromDefinition(quickbooksDefinition),
  incrementalOverlapMs: 5_000,
  oauthClientAuth: "basic",
  // The consent page lets the user choose the company, and the callback names it.
  oauthAccount: async ({ query }) => query.get("realmId") || null,
  endpoints(realmId, sandboxUrl) {
    if (sandboxUrl) {
      const base = `${sandboxUrl}/quickbooks`;
      return { apiBaseUrl: `${base}/v3/company/${realmId}`, tokenUrl: `${base}/oauth2/v1/tokens/bearer`, authorizeUrl: `${base}/connect/oauth2` };
    }
    return {
      apiBaseUrl: `https://quickbooks.api.intuit.com/v3/company/${realmId}`,
      tokenUrl: "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
      authorizeUrl: "https://appcenter.intuit.com/connect/oauth2",
    };
  },
  // Names (customers, vendors) cannot be deleted in QuickBooks, only made inactive (`active: false`).
  writes: {
    customers: ["create", "update"],
    vendors: ["create", "update"],
    invoices: ["create", "update", "delete"],
    bills: ["create", "update", "delete"],
    expenses: ["create", "update", "delete"],
    payments: ["create", "update", "delete"],
  },
  write,
  remove,
  // The company's API (/query, /invoice, /companyinfo/{realm}…): apiBaseUrl is already /v3/company/{realmId}.
  proxy: { path: "", headers: authHeaders },
  // Intuit signs notifications with the app's verifier token: intuit-signature over the raw body.
  webhooks: {
    // Notifications name the changed entities (name, id, operation, time), not their content.
    maxBodyBytes: 64 * 1024,
    verify: (headers, body, secret) => hmacMatches(secret, body, headers["intuit-signature"]),
    objects(_headers, body) {
      const parsed = JSON.parse(body) as { eventNotifications?: { dataChangeEvent?: { entities?: { name?: string }[] } }[] };
      const names = new Set((parsed.eventNotifications ?? []).flatMap((n) => (n.dataChangeEvent?.entities ?? []).map((e) => e.name)));
      return Object.entries(ENTITIES)
        .filter(([, entity]) => names.has(entity))
        .map(([object]) => object);
    },
  },
  async list(context, request) {
    declaredFilters(quickbooksDefinition, request);
    const entity = ENTITIES[request.object];
    if (!entity) throw new ConnectorError("permanent", `QuickBooks has no object "${request.object}"`);
    const start = request.cursor ? Number(request.cursor) : 1;
    const body = await get(context, `${context.baseUrl}/query?minorversion=75&query=${encodeURIComponent(query(entity, request, start))}`);
    const items = ((body.QueryResponse as Json | undefined)?.[entity] as Json[] | undefined) ?? [];
    let requests = 1;
    let deleted: string[] = [];
    if (!request.cursor && request.updatedSince && Date.now() - request.updatedSince.getTime() < CDC_LOOKBACK_MS) {
      deleted = await deletedSince(context, entity, request.updatedSince);
      requests++;
    }
    return {
      records: items.map((item) => normalize(request.object, item)),
      deleted,
      nextCursor: items.length < PAGE_SIZE ? null : String(start + items.length),
      requests,
    } satisfies ListPage;
  },
  // The query endpoint counts what the listing's query would return: SELECT COUNT(*) with the same
  // WHERE clause, answered { QueryResponse: { totalCount }, time }.
  async count(context, request) {
    const entity = Object.hasOwn(ENTITIES, request.object) ? ENTITIES[request.object] : undefined;
    if (!entity) return null;
    const body = await get(context, `${context.baseUrl}/query?minorversion=75&query=${encodeURIComponent(`SELECT COUNT(*) FROM ${entity}${where(request)}`)}`);
    const total = (body.QueryResponse as Json | undefined)?.totalCount;
    return typeof total === "number" ? total : null;
  },
};

function query(entity: string, request: ListRequest, start: number): string {
  return `SELECT * FROM ${entity}${where(request)} ORDERBY Id STARTPOSITION ${start} MAXRESULTS ${PAGE_SIZE}`;
}

/** A listing's WHERE clause: its updatedSince, and its creation window [start, end). */
function where(request: Pick<ListRequest, "window" | "updatedSince">): string {
  const conditions: string[] = [];
  if (request.updatedSince) conditions.push(`Metadata.LastUpdatedTime >= '${qboTime(request.updatedSince)}'`);
  if (request.window?.start) conditions.push(`Metadata.CreateTime >= '${qboTime(request.window.start)}'`);
  if (request.window?.end) conditions.push(`Metadata.CreateTime < '${qboTime(request.window.end)}'`);
  return conditions.length ? ` WHERE ${conditions.join(" AND ")}` : "";
}

async function deletedSince(context: ConnectorContext, entity: string, since: Date): Promise<string[]> {
  const body = await get(context, `${context.baseUrl}/cdc?minorversion=75&entities=${entity}&changedSince=${encodeURIComponent(qboTime(since))}`);
  const responses = ((body.CDCResponse as Json[] | undefined)?.[0]?.QueryResponse as Json[] | undefined) ?? [];
  return responses.flatMap((response) =>
    ((response[entity] as Json[] | undefined) ?? []).filter((item) => item.status === "Deleted").map((item) => String(item.Id)),
  );
}

/** Intuit takes the OAuth access token as a bearer token. */
function authHeaders(context: ConnectorContext): Record<string, string> {
  const token = context.credentials.kind === "oauth" ? context.credentials.accessToken : context.credentials.apiKey;
  return { Authorization: `Bearer ${token}` };
}

async function get(context: ConnectorContext, url: string): Promise<Json> {
  const response = await requestJson<Json>(context, url, { headers: { ...authHeaders(context), Accept: "application/json" } });
  if (response.status === 403) throw new ConnectorError("account_closed", "The company's subscription ended or the company was deleted", { status: 403 });
  if (response.status !== 200)
    throw new ConnectorError("permanent", `QuickBooks answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`, {
      status: response.status,
    });
  return response.body ?? {};
}

/** Whole seconds in UTC, as QBO's query language reads them. */
function qboTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

const ref = (value: unknown) => idString((value as Json | undefined)?.value);

/** QuickBooks' Classification in the unified model's words (it says Revenue where accounting says income). */
const CLASSIFICATIONS: Record<string, string> = { Asset: "asset", Liability: "liability", Equity: "equity", Revenue: "income", Expense: "expense" };

/**
 * A bill's or invoice's status in the unified words. QuickBooks' API has no drafts and no status field:
 * a document exists once saved, and voiding one keeps it with every amount zeroed and "Voided" written
 * into its PrivateNote. So: a zero total noted Voided is void, nothing due is paid, the rest is open.
 */
function documentStatus(item: Json): "open" | "paid" | "void" {
  if (Number(item.TotalAmt) === 0 && typeof item.PrivateNote === "string" && /^Voided\b/i.test(item.PrivateNote)) return "void";
  return Number(item.Balance) === 0 ? "paid" : "open";
}

/** QuickBooks entities in Tributary's accounting model (lib/unified/accounting.ts), with the entity itself as the platform's data. */
function normalize(object: string, item: Json): UnifiedRecord {
  const meta = (item.MetaData as Json | undefined) ?? {};
  const updatedAt = typeof meta.LastUpdatedTime === "string" ? new Date(meta.LastUpdatedTime) : null;
  const currency = ref(item.CurrencyRef);
  const amount = (value: unknown) => decimalString(value, currency);
  const common = { id: String(item.Id), currency, created_at: utcTimestamp(meta.CreateTime), updated_at: updatedAt?.toISOString() ?? null };
  // A subtotal line repeats the sum of the lines above it: not a line of its own.
  const lines = ((item.Line as Json[] | undefined) ?? [])
    .filter((line) => line.DetailType !== "SubTotalLineDetail")
    .map((line) => {
      const sale = line.SalesItemLineDetail as Json | undefined;
      const expense = line.AccountBasedExpenseLineDetail as Json | undefined;
      return {
        id: idString(line.Id),
        description: stringOrNull(line.Description),
        quantity: decimalString(sale?.Qty),
        unit_price: decimalString(sale?.UnitPrice),
        amount: amount(line.Amount),
        account_id: ref(expense?.AccountRef),
      };
    });
  const active = item.Active !== false;
  const data: Json = (() => {
    switch (object) {
      case "accounts":
        return {
          ...common,
          name: item.Name,
          number: stringOrNull(item.AcctNum),
          classification: CLASSIFICATIONS[String(item.Classification)] ?? item.Classification,
          type: stringOrNull(item.AccountType),
          sub_type: stringOrNull(item.AccountSubType),
          parent_account_id: item.SubAccount === true ? ref(item.ParentRef) : null,
          balance: amount(item.CurrentBalance),
          active,
        };
      case "vendors":
      case "customers":
        return {
          ...common,
          name: item.DisplayName,
          email: stringOrNull((item.PrimaryEmailAddr as Json | undefined)?.Address),
          phone: stringOrNull((item.PrimaryPhone as Json | undefined)?.FreeFormNumber),
          balance: amount(item.Balance),
          active,
        };
      case "bills":
        return {
          ...common,
          vendor_id: ref(item.VendorRef),
          number: stringOrNull(item.DocNumber),
          issue_date: item.TxnDate,
          due_date: stringOrNull(item.DueDate),
          total: amount(item.TotalAmt),
          amount_due: amount(item.Balance),
          status: documentStatus(item),
          lines,
        };
      case "invoices":
        return {
          ...common,
          customer_id: ref(item.CustomerRef),
          number: stringOrNull(item.DocNumber),
          issue_date: item.TxnDate,
          due_date: stringOrNull(item.DueDate),
          total: amount(item.TotalAmt),
          amount_due: amount(item.Balance),
          status: documentStatus(item),
          lines,
        };
      case "expenses": {
        // The payee may be a vendor, a customer or an employee; only a vendor is a vendors record.
        const payee = item.EntityRef as Json | undefined;
        const vendorId = payee?.type === undefined || payee.type === "Vendor" ? ref(payee) : null;
        return {
          ...common,
          vendor_id: vendorId,
          account_id: ref(item.AccountRef),
          payment_type: stringOrNull(item.PaymentType),
          date: item.TxnDate,
          total: amount(item.TotalAmt),
          lines,
        };
      }
      default:
        return {
          ...common,
          customer_id: ref(item.CustomerRef),
          account_id: ref(item.DepositToAccountRef),
          invoice_ids: ((item.Line as Json[] | undefined) ?? []).flatMap((line) =>
            ((line.LinkedTxn as Json[] | undefined) ?? []).filter((t) => t.TxnType === "Invoice").map((t) => String(t.TxnId)),
          ),
          date: item.TxnDate,
          total: amount(item.TotalAmt),
        };
    }
  })();
  return { externalId: String(item.Id), updatedAt, data, platformData: item };
}

/**
 * Writes (Accounting API v3, minorversion 75: Customer, Vendor, Invoice, Bill, Purchase and Payment
 * "Create" and "Sparse update"; a payment's lines apply it to invoices, whose balances QBO moves). An update reads the entity first for its SyncToken — the caller never sees one — and
 * sends only the fields the caller changed (`sparse: true`). Every request carries `requestid` made
 * from the caller's Idempotency-Key, so a retry after a crash gets QBO's first answer instead of a
 * second invoice. A Stale Object Error (someone changed the entity between our read and our write) is
 * read again and sent once more under a second request id, still derived from the key.
 */
async function write(context: ConnectorContext, request: WriteRequest): Promise<UnifiedRecord> {
  const entity = ENTITIES[request.object];
  if (!entity || !quickbooksConnector.writes?.[request.object])
    throw new ConnectorError("permanent", `QuickBooks does not write ${request.object} through Tributary`);
  const lines = Array.isArray(request.data.lines) ? (request.data.lines as Json[]) : [];
  const booked = request.object === "invoices" ? lines.findIndex((line) => line.account_id !== undefined) : -1;
  if (booked >= 0) {
    throw new ConnectorError("invalid", "QuickBooks books a sales line to its item's income account: an invoice line takes no account_id", {
      field: `lines[${booked}].account_id`,
    });
  }
  const body = entityBody(request.object, request.data);
  if (request.operation === "create") return normalize(request.object, await post(context, request.object, entity, body, request.idempotencyKey));
  for (const attempt of [1, 2]) {
    const current = await readEntity(context, entity, request.id ?? "");
    const requestId = attempt === 1 ? request.idempotencyKey : `${request.idempotencyKey.slice(0, 46)}-r${attempt}`;
    try {
      return normalize(
        request.object,
        await post(context, request.object, entity, { ...body, Id: current.Id, SyncToken: current.SyncToken, sparse: true }, requestId),
      );
    } catch (error) {
      if (attempt === 1 && error instanceof ConnectorError && error.options.code === "5010") continue;
      throw error;
    }
  }
  throw new Error("unreachable");
}

/** Delete (POST /{entity}?operation=delete with Id and the current SyncToken), under the key's requestid. */
async function remove(context: ConnectorContext, request: DeleteRequest): Promise<void> {
  const entity = ENTITIES[request.object];
  if (!quickbooksConnector.writes?.[request.object]?.includes("delete")) throw new ConnectorError("permanent", `QuickBooks does not delete ${request.object}`);
  const current = await readEntity(context, entity, request.id);
  const url = `${context.baseUrl}/${entity.toLowerCase()}?operation=delete&minorversion=75&requestid=${encodeURIComponent(request.idempotencyKey)}`;
  const response = await requestJson<Json>(context, url, {
    method: "POST",
    headers: { ...authHeaders(context), "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ Id: current.Id, SyncToken: current.SyncToken }),
  });
  const fault = faultOf(response.body);
  if (response.status === 400 && fault?.code === "610") throw new ConnectorError("not_found", `QuickBooks has no ${entity} ${request.id}`, { status: 400 });
  if (response.status === 400 && fault)
    throw new ConnectorError("invalid", `QuickBooks refused to delete the ${entity}: ${fault.Detail ?? fault.Message}`, { status: 400, code: fault.code });
  if (response.status !== 200 || (response.body[entity] as Json | undefined)?.status !== "Deleted") throw unexpected(response.status, response.body);
}

/** The unified create/update shape as QBO's entity: only the fields the caller sent. */
function entityBody(object: string, data: Json): Json {
  const body: Json = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) body[key] = value;
  };
  const refTo = (key: string, id: unknown) => {
    if (id !== undefined) body[key] = { value: id };
  };
  const expenseLines = () => {
    if (!Array.isArray(data.lines)) return;
    body.Line = (data.lines as Json[]).map((line) => ({
      Amount: Number(line.amount),
      DetailType: "AccountBasedExpenseLineDetail",
      ...(line.description ? { Description: line.description } : {}),
      AccountBasedExpenseLineDetail: { AccountRef: { value: line.account_id } },
    }));
  };
  switch (object) {
    case "invoices":
      refTo("CustomerRef", data.customer_id);
      set("DocNumber", data.number);
      set("TxnDate", data.issue_date);
      set("DueDate", data.due_date);
      if (Array.isArray(data.lines)) {
        body.Line = (data.lines as Json[]).map((line) => ({
          Amount: Number(line.amount),
          DetailType: "SalesItemLineDetail",
          ...(line.description ? { Description: line.description } : {}),
          SalesItemLineDetail: line.quantity === undefined ? {} : { Qty: Number(line.quantity), UnitPrice: Number(line.unit_price) },
        }));
      }
      return body;
    case "bills":
      refTo("VendorRef", data.vendor_id);
      set("DocNumber", data.number);
      set("TxnDate", data.issue_date);
      set("DueDate", data.due_date);
      expenseLines();
      return body;
    case "expenses":
      refTo("AccountRef", data.account_id);
      set("PaymentType", data.payment_type);
      if (data.vendor_id !== undefined) body.EntityRef = { value: data.vendor_id, type: "Vendor" };
      set("TxnDate", data.date);
      expenseLines();
      return body;
    case "payments":
      refTo("CustomerRef", data.customer_id);
      if (data.total !== undefined) body.TotalAmt = Number(data.total);
      set("TxnDate", data.date);
      refTo("DepositToAccountRef", data.account_id);
      if (Array.isArray(data.invoices)) {
        body.Line = (data.invoices as Json[]).map((line) => ({ Amount: Number(line.amount), LinkedTxn: [{ TxnId: line.invoice_id, TxnType: "Invoice" }] }));
      }
      return body;
  }
  set("DisplayName", data.name);
  if (data.email !== undefined) body.PrimaryEmailAddr = data.email === null ? { Address: "" } : { Address: data.email };
  if (data.phone !== undefined) body.PrimaryPhone = data.phone === null ? { FreeFormNumber: "" } : { FreeFormNumber: data.phone };
  if (data.currency !== undefined) body.CurrencyRef = { value: data.currency };
  set("Active", data.active);
  return body;
}

async function readEntity(context: ConnectorContext, entity: string, id: string): Promise<Json> {
  const response = await requestJson<Json>(context, `${context.baseUrl}/${entity.toLowerCase()}/${encodeURIComponent(id)}?minorversion=75`, {
    headers: { ...authHeaders(context), Accept: "application/json" },
  });
  if (response.status === 400 && faultOf(response.body)?.code === "610")
    throw new ConnectorError("not_found", `QuickBooks has no ${entity} ${id}`, { status: 400 });
  if (response.status !== 200) throw unexpected(response.status, response.body);
  return response.body[entity] as Json;
}

async function post(context: ConnectorContext, object: string, entity: string, body: Json, requestId: string): Promise<Json> {
  const url = `${context.baseUrl}/${entity.toLowerCase()}?minorversion=75&requestid=${encodeURIComponent(requestId)}`;
  const response = await requestJson<Json>(context, url, {
    method: "POST",
    headers: { ...authHeaders(context), "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  const fault = faultOf(response.body);
  if (response.status === 400 && fault) {
    // A duplicate name (6240) names no element: it is always the display name.
    const field = refusedField(object, fault.element) ?? (fault.code === "6240" ? "name" : null);
    if (fault.code === "610") throw new ConnectorError("not_found", `QuickBooks has no ${entity} ${String(body.Id)}`, { status: 400 });
    throw new ConnectorError("invalid", `QuickBooks refused the ${entity}: ${fault.Detail ?? fault.Message}`, { status: 400, field, code: fault.code });
  }
  if (response.status !== 200 || !response.body[entity]) throw unexpected(response.status, response.body);
  return response.body[entity] as Json;
}

const faultOf = (body: Json | null) =>
  ((body?.Fault as Json | undefined)?.Error as { Message?: string; Detail?: string; code?: string; element?: string }[] | undefined)?.[0];

function unexpected(status: number, body: unknown): ConnectorError {
  if (status === 403) return new ConnectorError("account_closed", "The company's subscription ended or the company was deleted", { status });
  return new ConnectorError("permanent", `QuickBooks answered ${status}: ${JSON.stringify(body).slice(0, 300)}`, { status });
}

/** QBO's element names in a fault, as the unified shapes name them (the element's first part: `Line.Amount` is the lines). */
const REFUSED_FIELDS: Record<string, string> = {
  DisplayName: "name",
  PrimaryEmailAddr: "email",
  PrimaryPhone: "phone",
  CurrencyRef: "currency",
  CustomerRef: "customer_id",
  VendorRef: "vendor_id",
  EntityRef: "vendor_id",
  AccountRef: "account_id",
  DepositToAccountRef: "account_id",
  PaymentType: "payment_type",
  TotalAmt: "total",
  DocNumber: "number",
  DueDate: "due_date",
};

function refusedField(object: string, element: string | undefined): string | null {
  const head = (element ?? "").split(".")[0];
  if (head === "TxnDate") return object === "expenses" || object === "payments" ? "date" : "issue_date";
  // A payment's lines are the invoices it settles.
  if (head === "Line") return object === "payments" ? "invoices" : "lines";
  return REFUSED_FIELDS[head] ?? null;
}
