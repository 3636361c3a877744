// The Xero connector against the sandbox's Xero emulator over real HTTP, the tenant named in the
// xero-tenant-id header of every request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { ConnectorError, type ConnectorContext, type ListRequest, type UnifiedRecord } from "../types";
import { xeroConnector } from "./connector";
import { xeroCalendarDate, xeroInstant } from "./normalize";

/** Each object's dataset object in the emulator. */
const DATASET: Record<string, string> = {
  accounts: "Account",
  vendors: "Supplier",
  customers: "Customer",
  bills: "Bill",
  invoices: "Invoice",
  expenses: "SpendMoney",
  payments: "Payment",
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface TruthRow {
  id: number;
  deleted: boolean;
  guid: string;
  status?: string;
}

describe("Xero connector on the sandbox", () => {
  let sandbox: SandboxServer;
  let context: ConnectorContext;
  const tenant = "6c1e9a4b-2f3d-4a57-9b80-1d2e3f4a5b6c";
  const control = (path: string, method: string, body?: unknown) =>
    fetch(`${sandbox.url}/control/accounts${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: SANDBOX_PLATFORMS });
    const created = await control("", "POST", { platform: "xero", id: tenant, size: 2500, seed: 6, rate_limited: false });
    expect(created.status).toBe(201);
    const { access_token } = (await (await control(`/xero/${tenant}/tokens`, "POST", {})).json()) as { access_token: string };
    context = {
      baseUrl: xeroConnector.endpoints(tenant, sandbox.url).apiBaseUrl,
      accountId: tenant,
      credentials: { kind: "oauth", accessToken: access_token, refreshToken: null, expiresAt: null, scopes: [] },
      fetch,
    };
  });
  afterAll(() => sandbox?.stop());

  async function listAll(request: Omit<ListRequest, "cursor">, on: ConnectorContext = context) {
    const records: UnifiedRecord[] = [];
    const deleted: string[] = [];
    for (let cursor: string | null = null; ;) {
      const page = await xeroConnector.list(on, { ...request, cursor });
      records.push(...page.records);
      deleted.push(...page.deleted);
      if (!page.nextCursor) return { records, deleted };
      cursor = page.nextCursor;
    }
  }
  async function truthRows(object: string): Promise<TruthRow[]> {
    const body = (await (await control(`/xero/${tenant}/ground-truth/${DATASET[object]}`, "GET")).json()) as { records: TruthRow[] };
    return body.records;
  }
  /**
   * The GUIDs the API lists as the object's records: live ones, and archived ones (Xero archives
   * contacts and accounts, which stay listed, inactive); of payments, customers' only.
   */
  async function truth(object: string): Promise<string[]> {
    const dataset = sandbox.registry.get("xero", tenant)!.dataset;
    return (await truthRows(object))
      .filter((r) => !r.deleted || r.status === "ARCHIVED")
      .filter((r) => object !== "payments" || dataset.get(DATASET.payments, r.id)?.data.PaymentType === "ACCRECPAYMENT")
      .map((r) => r.guid)
      .sort();
  }

  it("reads MS-JSON instants as UTC and document dates as the day they name", () => {
    expect(xeroInstant("/Date(1573755038314+0000)/")?.toISOString()).toBe("2019-11-14T18:10:38.314Z");
    expect(xeroInstant("/Date(1573755038314+1300)/")?.toISOString()).toBe("2019-11-14T18:10:38.314Z");
    expect(xeroInstant("/Date(-86400000)/")?.toISOString()).toBe("1969-12-31T00:00:00.000Z");
    expect(xeroInstant("2019-11-15T00:00:00")?.toISOString()).toBe("2019-11-15T00:00:00.000Z");
    expect(xeroInstant("yesterday")).toBeNull();
    expect(xeroCalendarDate("/Date(1518652800000+0000)/")).toBe("2018-02-15");
    // 11:00 UTC on the 14th is the 15th in Auckland (+13:00), where it was written.
    expect(xeroCalendarDate("/Date(1518606000000+1300)/")).toBe("2018-02-15");
    expect(xeroCalendarDate("/Date(1518606000000+1300)/", "2018-02-15T00:00:00")).toBe("2018-02-15");
  });

  it("reads every record of every object exactly once, bills pointing at vendors", async () => {
    for (const object of xeroConnector.objects.map((o) => o.key)) {
      const { records } = await listAll({ object });
      const ids = records.map((r) => r.externalId);
      expect(new Set(ids).size, object).toBe(ids.length);
      expect(ids.sort(), object).toEqual(await truth(object));
    }
    const vendors = new Set(await truth("vendors"));
    const bills = (await listAll({ object: "bills" })).records;
    expect(bills.every((bill) => vendors.has(bill.data.vendor_id as string))).toBe(true);
    const statuses = new Set(bills.map((bill) => bill.data.status));
    expect(statuses).toContain("open");
    expect(statuses).toContain("paid");
  });

  it("splits invoices by windows without loss or overlap, wherever in a day the windows meet", async () => {
    const middle = new Date(Date.now() - 200 * 24 * 3600 * 1000 + 7 * 3600 * 1000 + 123);
    const recent = await listAll({ object: "invoices", window: { start: middle, end: null } });
    const older = await listAll({ object: "invoices", window: { start: null, end: middle } });
    const ids = [...recent.records, ...older.records].map((r) => r.externalId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(await truth("invoices"));
    expect(recent.records.length).toBeGreaterThan(0);
    expect(older.records.length).toBeGreaterThan(0);
  });

  it("pages as asked, and a cursor keeps the page size it began with", async () => {
    const first = await xeroConnector.list(context, { object: "customers", cursor: null, pageSize: 7 });
    expect(first.records).toHaveLength(7);
    expect(first.nextCursor).toBe("2:7");
    const second = await xeroConnector.list(context, { object: "customers", cursor: first.nextCursor, pageSize: 1000 });
    expect(second.records).toHaveLength(7);
    expect(second.records.map((r) => r.externalId).some((id) => first.records.some((r) => r.externalId === id))).toBe(false);
  });

  it("an incremental listing finds exactly the changes since a time: voided documents as records, deleted ones as deletions", async () => {
    await sleep(1100);
    const since = new Date();
    await sleep(1100);
    const { changes } = (await (await control(`/xero/${tenant}/changes`, "POST", { random: 120, seed: 4 })).json()) as {
      changes: { kind: string; object: string; id: number }[];
    };
    const rows = new Map((await truthRows("invoices")).map((row) => [row.id, row]));
    const mine = changes.filter((c) => c.object === "Invoice");
    const deletedIds = new Set(mine.filter((c) => c.kind === "deleted").map((c) => rows.get(c.id)!.guid));
    const liveIds = new Set(
      mine
        .filter((c) => c.kind !== "deleted")
        .map((c) => rows.get(c.id)!.guid)
        .filter((guid) => !deletedIds.has(guid)),
    );
    const found = await listAll({ object: "invoices", updatedSince: since });
    expect(new Set(found.records.map((r) => r.externalId))).toEqual(liveIds);
    expect(new Set(found.deleted)).toEqual(deletedIds);
    expect(deletedIds.size).toBeGreaterThan(0);
    // Voided documents are kept, as void, with the emulator's status for them.
    const voided = found.records.filter((r) => r.data.status === "void");
    expect(voided.length).toBeGreaterThan(0);
    for (const record of found.records)
      expect(record.data.status).toBe(
        { DRAFT: "draft", SUBMITTED: "draft", AUTHORISED: "open", PAID: "paid", VOIDED: "void" }[String(record.platformData?.Status)],
      );

    // A customer deleted in the meantime is archived: listed as a change, inactive, not a deletion.
    const customers = new Map((await truthRows("customers")).map((row) => [row.id, row.guid]));
    const archived = changes.filter((c) => c.object === "Customer" && c.kind === "deleted").map((c) => customers.get(c.id)!);
    expect(archived.length).toBeGreaterThan(0);
    const changedCustomers = await listAll({ object: "customers", updatedSince: since });
    expect(changedCustomers.deleted).toEqual([]);
    for (const guid of archived) expect(changedCustomers.records.find((r) => r.externalId === guid)?.data.active, guid).toBe(false);
  });

  it("classifies a 429 with its Retry-After and the limit Xero names", async () => {
    await control(`/xero/${tenant}/faults`, "PUT", { burst_429: 1 });
    const error = await xeroConnector.list(context, { object: "accounts", cursor: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).kind).toBe("rate_limited");
    expect((error as ConnectorError).options.status).toBe(429);
    expect((error as ConnectorError).options.retryAfterMs).toBeGreaterThan(0);
    expect((error as ConnectorError).message).toMatch(/minute|day|concurrent/);
  });

  it("classifies a server error and a cut-off answer as transient", async () => {
    for (const fault of [{ error_rate: 1 }, { malformed_rate: 1 }]) {
      await control(`/xero/${tenant}/faults`, "PUT", fault);
      const error = await xeroConnector.list(context, { object: "invoices", cursor: null }).catch((e: unknown) => e);
      expect((error as ConnectorError).kind, JSON.stringify(fault)).toBe("transient");
      await control(`/xero/${tenant}/faults`, "PUT", { error_rate: 0, malformed_rate: 0 });
    }
  });

  it("classifies a forged token, a missing tenant and a disconnected organisation", async () => {
    const forged = await xeroConnector
      .list(
        { ...context, credentials: { ...context.credentials, accessToken: "forged" } as ConnectorContext["credentials"] },
        { object: "bills", cursor: null },
      )
      .catch((e: unknown) => e);
    expect((forged as ConnectorError).kind).toBe("auth_revoked");
    const noTenant = await xeroConnector.list({ ...context, accountId: undefined }, { object: "bills", cursor: null }).catch((e: unknown) => e);
    expect((noTenant as ConnectorError).kind).toBe("permanent");
    await control(`/xero/${tenant}/faults`, "PUT", { closed: true });
    const closed = await xeroConnector.list(context, { object: "bills", cursor: null }).catch((e: unknown) => e);
    expect((closed as ConnectorError).kind).toBe("account_closed");
  });
});
