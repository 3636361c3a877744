// GET /api/v1/coverage on a real database: the exact share of each field filled in stored records per
// platform (nested line fields over the lines), what a platform does not supply or has not stored, and
// that deleted records, another environment's and another organization's records do not count. A third
// accounting platform that offers no expenses is added to the catalogue here, beside QuickBooks and Xero;
// the last test syncs real QuickBooks and Xero sandbox companies and reads the difference between them.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as coverageRoute } from "@/app/api/v1/coverage/route";
import { newId } from "@/lib/db/ids";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { testDatabaseKinds } from "@/lib/db/testing";
import type { PlatformDefinition } from "@/lib/platforms/catalog";
import { syncDue } from "@/lib/sync/drive";
import { provideEngine } from "@/lib/sync/engine";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { getFieldCoverage } from "./operations/coverage";
import { createApiKey } from "./keys";
import { ApiRateLimiter, provideApiRateLimiter } from "./rate-limit";

vi.mock("@/lib/platforms/catalog", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/platforms/catalog")>();
  const quickbooks = actual.getPlatform("quickbooks")!;
  // An accounting platform offering invoices but not expenses.
  const otherbooks: PlatformDefinition = {
    ...quickbooks,
    key: "otherbooks",
    name: "Otherbooks",
    objects: quickbooks.objects.filter((object) => object.key !== "expenses"),
  };
  const catalog = [...actual.PLATFORM_CATALOG, otherbooks];
  return { ...actual, PLATFORM_CATALOG: catalog, getPlatform: (key: string) => catalog.find((platform) => platform.key === key) };
});

type Body = Record<string, unknown> & {
  objects: {
    object: string;
    platforms: Record<string, unknown>;
    fields: {
      name: string;
      type: string;
      nullable: boolean;
      platforms: Record<string, { supplied: boolean; records: number; values: number; filled: number | null }>;
    }[];
  }[];
};

const line = (amount: string, accountId?: string | null) => ({
  id: null,
  description: null,
  quantity: null,
  unit_price: null,
  amount,
  ...(accountId === undefined ? {} : { account_id: accountId }),
});
const invoice = (id: string, fields: Record<string, unknown>) => ({
  id,
  customer_id: "c1",
  number: "1001",
  issue_date: "2026-01-01",
  due_date: null,
  currency: "USD",
  total: "10.00",
  amount_due: "0.00",
  lines: [],
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
  ...fields,
});

describe.each(testDatabaseKinds())("GET /api/v1/coverage (%s)", (kind) => {
  let h: SyncHarness;
  let auth: string;

  const basic = (clientId: string, secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
  const get = async (query = "") => {
    const response = await coverageRoute(new Request(`http://localhost:3000/api/v1/coverage${query}`, { headers: { authorization: auth } }));
    return { status: response.status, body: (await response.json()) as Body };
  };

  async function store(
    organizationId: string,
    environment: "sandbox" | "production",
    platform: string,
    object: string,
    records: Record<string, unknown>[],
    deleted = false,
  ) {
    const connection = await h.database.db.connection.create({
      data: { id: newId("conn"), organizationId, environment, platform, accessTokenHash: newId("conn") },
    });
    await h.database.db.record.createMany({
      data: records.map((data) => ({
        organizationId,
        environment,
        connectionId: connection.id,
        object,
        externalId: String(data.id),
        data: data as object,
        hash: "x",
        deletedAt: deleted ? new Date() : null,
      })),
    });
  }

  beforeAll(async () => {
    h = await createSyncHarness({ kind });
    provideEngine(h.engine);
    provideApiRateLimiter(new ApiRateLimiter({ requestsPerSecond: 1e6, burst: 1e6 }));
    const key = await createApiKey(h.database.db, { organizationId: h.organizationId, environment: "sandbox", name: "Backend" });
    auth = basic(key.clientId, key.secret);
    const ours = h.organizationId;
    // QuickBooks, two connections: 4 invoices, 3 with a customer, 2 with a number, 3 with lines; 4 lines, 2 booked to an account.
    await store(ours, "sandbox", "quickbooks", "invoices", [
      invoice("1", { lines: [line("4.00", "a1"), line("6.00", null)] }),
      invoice("2", { customer_id: null, number: null, lines: [line("10.00", "a2")] }),
    ]);
    await store(ours, "sandbox", "quickbooks", "invoices", [invoice("3", { number: null }), invoice("4", { lines: [line("10.00")] })]);
    // Deleted, and in production: not counted.
    await store(ours, "sandbox", "quickbooks", "invoices", [invoice("5", { due_date: "2026-02-01" })], true);
    await store(ours, "production", "quickbooks", "invoices", [invoice("6", { due_date: "2026-02-01" })]);
    // Otherbooks: 2 invoices, neither with a customer, one with a due date.
    await store(ours, "sandbox", "otherbooks", "invoices", [
      invoice("7", { customer_id: null, due_date: "2026-02-01" }),
      invoice("8", { customer_id: null, lines: [line("1.00", "a1")] }),
    ]);
    // Another organization's QuickBooks invoices, every one with a due date.
    const other = await createOrganizationWithOwner(h.database.db, {
      name: "Other",
      slug: `other-coverage-${kind}`,
      owner: { email: "o@example.com", name: "O", passwordHash: "x" },
    });
    await store(other.organization.id, "sandbox", "quickbooks", "invoices", [
      invoice("9", { due_date: "2026-02-01" }),
      invoice("10", { due_date: "2026-02-01" }),
    ]);
  });
  afterAll(async () => {
    provideApiRateLimiter(null);
    await h?.close();
  });

  it("measures the exact share of each field filled per platform, line fields over the lines, in this organization and environment only", async () => {
    const { status, body } = await get("?category=accounting");
    expect(status).toBe(200);
    expect(getFieldCoverage.response!.safeParse(body).success).toBe(true);
    expect(body.sample_size).toBe(10_000);
    expect(body.objects.map((o) => o.object)).toEqual(["accounts", "vendors", "customers", "bills", "invoices", "expenses", "payments"]);
    const invoices = body.objects.find((o) => o.object === "invoices")!;
    expect(invoices.platforms).toEqual({
      quickbooks: { supplied: true, records: 4 },
      xero: { supplied: true, records: 0 },
      otherbooks: { supplied: true, records: 2 },
    });
    const field = (name: string) => invoices.fields.find((f) => f.name === name)!;
    expect(field("customer_id")).toMatchObject({ type: "reference", nullable: true });
    expect(field("customer_id").platforms).toEqual({
      quickbooks: { supplied: true, records: 4, values: 4, filled: 3 / 4 },
      xero: { supplied: true, records: 0, values: 0, filled: null },
      otherbooks: { supplied: true, records: 2, values: 2, filled: 0 },
    });
    expect(field("number").platforms.quickbooks.filled).toBe(2 / 4);
    expect(field("due_date").platforms).toMatchObject({ quickbooks: { filled: 0 }, otherbooks: { filled: 1 / 2 } });
    expect(field("total").platforms).toMatchObject({ quickbooks: { filled: 1 }, otherbooks: { filled: 1 } });
    expect(field("lines")).toMatchObject({ type: "object[]", platforms: { quickbooks: { filled: 3 / 4 }, otherbooks: { filled: 1 / 2 } } });
    expect(field("lines[].account_id")).toMatchObject({ type: "reference", nullable: true });
    expect(field("lines[].account_id").platforms).toEqual({
      quickbooks: { supplied: true, records: 4, values: 4, filled: 2 / 4 },
      xero: { supplied: true, records: 0, values: 0, filled: null },
      otherbooks: { supplied: true, records: 2, values: 1, filled: 1 },
    });
    expect(field("lines[].amount").platforms.quickbooks).toMatchObject({ values: 4, filled: 1 });
  });

  it("tells a platform that does not supply an object from one that has stored none of it", async () => {
    const { body } = await get("?category=accounting");
    const expenses = body.objects.find((o) => o.object === "expenses")!;
    expect(expenses.platforms).toEqual({
      quickbooks: { supplied: true, records: 0 },
      xero: { supplied: true, records: 0 },
      otherbooks: { supplied: false, records: 0 },
    });
    expect(expenses.fields.find((f) => f.name === "total")!.platforms).toEqual({
      quickbooks: { supplied: true, records: 0, values: 0, filled: null },
      xero: { supplied: true, records: 0, values: 0, filled: null },
      otherbooks: { supplied: false, records: 0, values: 0, filled: null },
    });
  });

  it("narrows to one platform, and covers every category without a filter", async () => {
    const { body } = await get("?platform=otherbooks");
    expect(new Set(body.objects.flatMap((o) => o.fields.flatMap((f) => Object.keys(f.platforms))))).toEqual(new Set(["otherbooks"]));
    const all = await get();
    expect(new Set(all.body.objects.map((o) => (o as { category?: string }).category))).toEqual(new Set(["commerce", "accounting", "ticketing"]));
  });

  it("shows where Xero lacks a field QuickBooks fills, measured on companies synced from both sandboxes", async () => {
    for (const [platform, id] of [
      ["quickbooks", "4620816399"],
      ["xero", "5c1d7e2a-0b3f-4a6d-8e9c-1f2a3b4c5d6e"],
    ]) {
      const connectionId = await h.connect(platform, { id, size: 300 });
      expect((await syncDue(h.engine, connectionId)).every((run) => run.result.status === "succeeded")).toBe(true);
    }
    const { body } = await get("?category=accounting");
    const accounts = body.objects.find((o) => o.object === "accounts")!;
    const balance = accounts.fields.find((f) => f.name === "balance")!.platforms;
    // QuickBooks reports each account's current balance; Xero's Accounts endpoint has none.
    expect(balance.quickbooks.records).toBeGreaterThan(0);
    expect(balance.quickbooks.filled).toBe(1);
    expect(balance.xero.records).toBeGreaterThan(0);
    expect(balance.xero.filled).toBe(0);
    // Both say every invoice's status, which the contract added for Xero's statuses.
    const invoices = body.objects.find((o) => o.object === "invoices")!;
    const status = invoices.fields.find((f) => f.name === "status")!.platforms;
    expect(status.xero.filled).toBe(1);
    expect(status.quickbooks.records).toBeGreaterThan(4);
  });

  it("answers 400 naming the parameter for an unknown category or platform, or a platform of another category", async () => {
    for (const [query, field] of [
      ["?category=crm", "category"],
      ["?platform=salesforce", "platform"],
      ["?category=commerce&platform=quickbooks", "platform"],
      ["?categry=accounting", "categry"],
    ]) {
      const { status, body } = await get(query);
      expect(status, query).toBe(400);
      expect(body, query).toMatchObject({ error_type: "INVALID_REQUEST", error_code: "INVALID_FIELD", field });
    }
  });
});
