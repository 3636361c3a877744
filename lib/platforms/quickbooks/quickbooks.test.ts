// The QuickBooks Online connector against the sandbox's QuickBooks emulator over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { ConnectorError, type ConnectorContext, type ListRequest, type UnifiedRecord } from "../types";
import { quickbooksConnector } from "./connector";

const ENTITY: Record<string, string> = {
  accounts: "Account",
  vendors: "Vendor",
  customers: "Customer",
  bills: "Bill",
  invoices: "Invoice",
  expenses: "Purchase",
  payments: "Payment",
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("QuickBooks connector on the sandbox", () => {
  let sandbox: SandboxServer;
  let context: ConnectorContext;
  const realm = "4620816365";
  const control = (path: string, method: string, body: unknown) =>
    fetch(`${sandbox.url}/control/accounts${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: SANDBOX_PLATFORMS });
    await control("", "POST", { platform: "quickbooks", id: realm, size: 2500, seed: 6, rate_limited: false });
    const { api_key } = (await (await control(`/quickbooks/${realm}/api-keys`, "POST", {})).json()) as { api_key: string };
    context = { baseUrl: `${sandbox.url}/quickbooks/v3/company/${realm}`, credentials: { kind: "api_key", apiKey: api_key }, fetch };
  });
  afterAll(() => sandbox?.stop());

  async function listAll(request: Omit<ListRequest, "cursor">) {
    const records: UnifiedRecord[] = [];
    const deleted: string[] = [];
    for (let cursor: string | null = null; ;) {
      const page = await quickbooksConnector.list(context, { ...request, cursor });
      records.push(...page.records);
      deleted.push(...page.deleted);
      if (!page.nextCursor) return { records, deleted };
      cursor = page.nextCursor;
    }
  }
  async function truth(entity: string) {
    const body = (await (await fetch(`${sandbox.url}/control/accounts/quickbooks/${realm}/ground-truth/${entity}`)).json()) as {
      records: { id: number; deleted: boolean }[];
    };
    return body.records
      .filter((r) => !r.deleted)
      .map((r) => String(r.id))
      .sort();
  }

  it("reads every record of every object exactly once with an API key, bills pointing at vendors", async () => {
    for (const object of quickbooksConnector.objects.map((o) => o.key)) {
      const ids = (await listAll({ object })).records.map((r) => r.externalId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(await truth(ENTITY[object]));
    }
    const vendors = new Set(await truth("Vendor"));
    const bills = (await listAll({ object: "bills" })).records;
    expect(bills.every((bill) => vendors.has(bill.data.vendor_id as string))).toBe(true);
  });

  it("leaves an invoice's SubTotalLineDetail line out of its line items, whose amounts add up to it", async () => {
    type Line = { Id?: string; DetailType: string; Amount: number };
    const cents = (amount: unknown) => Math.round(Number(amount) * 100);
    let withSubtotal = 0;
    for (const invoice of (await listAll({ object: "invoices" })).records) {
      const sent = (invoice.platformData?.Line ?? []) as Line[];
      const subtotals = sent.filter((line) => line.DetailType === "SubTotalLineDetail");
      if (subtotals.length === 0) continue;
      withSubtotal++;
      expect(subtotals).toHaveLength(1);
      const lines = invoice.data.lines as { id: string | null; amount: string | null }[];
      expect(lines.map((line) => line.id)).toEqual(sent.filter((line) => line.DetailType !== "SubTotalLineDetail").map((line) => line.Id));
      expect(lines.reduce((sum, line) => sum + cents(line.amount), 0)).toBe(cents(subtotals[0].Amount));
    }
    expect(withSubtotal).toBeGreaterThan(0);
  });

  it("splits invoices by creation windows without loss or overlap", async () => {
    const middle = new Date(Date.now() - 200 * 24 * 3600 * 1000);
    const recent = await listAll({ object: "invoices", window: { start: middle, end: null } });
    const older = await listAll({ object: "invoices", window: { start: null, end: middle } });
    const ids = [...recent.records, ...older.records].map((r) => r.externalId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(await truth("Invoice"));
  });

  it("an incremental page finds exactly the changes since a time, deletions through CDC", async () => {
    await sleep(1100);
    const since = new Date();
    await sleep(1100);
    const { changes } = (await (await control(`/quickbooks/${realm}/changes`, "POST", { random: 80, seed: 4 })).json()) as {
      changes: { kind: string; object: string; id: number }[];
    };
    const mine = changes.filter((c) => c.object === "Invoice");
    const deletedIds = new Set(mine.filter((c) => c.kind === "deleted").map((c) => String(c.id)));
    const liveIds = new Set(mine.filter((c) => c.kind !== "deleted" && !deletedIds.has(String(c.id))).map((c) => String(c.id)));
    const found = await listAll({ object: "invoices", updatedSince: since });
    expect(new Set(found.records.map((r) => r.externalId))).toEqual(liveIds);
    expect(new Set(found.deleted)).toEqual(deletedIds);
  });

  it("says where each bill and invoice stands: paid when nothing is due, open otherwise, void once voided", async () => {
    for (const object of ["bills", "invoices"]) {
      for (const record of (await listAll({ object })).records) expect(record.data.status).toBe(Number(record.data.amount_due) === 0 ? "paid" : "open");
    }
    // Voiding keeps the invoice with its amounts zeroed and "Voided" in its private note.
    const [id] = await truth("Invoice");
    await control(`/quickbooks/${realm}/changes`, "POST", {
      operations: [{ op: "update", object: "Invoice", id: Number(id), data: { TotalAmt: 0, Balance: 0, PrivateNote: "Voided" } }],
    });
    const voided = (await listAll({ object: "invoices" })).records.find((record) => record.externalId === id);
    expect(voided?.data).toMatchObject({ status: "void", total: expect.stringMatching(/^0(\.0+)?$/) });
  });

  it("classifies a forged key and a closed company", async () => {
    const forged = await quickbooksConnector
      .list({ ...context, credentials: { kind: "api_key", apiKey: "quickbooks_key_forged" } }, { object: "bills", cursor: null })
      .catch((e: unknown) => e);
    expect((forged as ConnectorError).kind).toBe("auth_revoked");
    await control(`/quickbooks/${realm}/faults`, "PUT", { closed: true });
    const closed = await quickbooksConnector.list(context, { object: "bills", cursor: null }).catch((e: unknown) => e);
    expect((closed as ConnectorError).kind).toBe("account_closed");
  });
});
