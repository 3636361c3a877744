// Accounting writes on Xero through the unified API (POST/PATCH /accounting/{customers,vendors,invoices,
// bills,expenses}, POST /accounting/payments, DELETE of a draft invoice or bill, an expense, a payment), through the route handlers, on a real database, against
// the Xero emulator over HTTP: what is written reads back equal from Tributary and from the
// organisation, with its events; a new contact is no customer to Xero until an invoice names it, and
// Tributary keeps it as written meanwhile; the next incremental sync finds nothing new of what was
// written; Xero's refusals (an approved line without an account, a taken name, deleting an approved
// invoice) come back 422 naming the field.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@/lib/crypto";
import { testDatabaseKinds } from "@/lib/db/testing";
import { syncDue } from "@/lib/sync/drive";
import { requestSync } from "@/lib/sync/planner";
import { parseXeroGuid } from "@/lib/platforms/xero/sandbox/ids";
import { callDataRoute, createApiFixtures, nextIncrementalSync, type ApiFixtures } from "./routes.testing";

type Json = Record<string, unknown>;
type Written = { status: number; headers: Headers; body: Json & { record?: Json & { data: Json } } };

describe.each(testDatabaseKinds())("accounting writes on Xero through the unified API (%s)", (kind) => {
  let api: ApiFixtures;
  let connectionId: string;
  const tenant = kind === "pglite" ? "1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a01" : "1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a02";
  const token = `access_write_xero_${kind}`;

  beforeAll(async () => {
    api = await createApiFixtures(kind);
    connectionId = await api.h.connect("xero", { id: tenant, size: 150 });
    await api.h.database.db.connection.update({ where: { id: connectionId }, data: { accessTokenHash: hashToken(token) } });
    await syncDue(api.h.engine, connectionId);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  const send = async (method: "POST" | "PATCH" | "GET" | "DELETE", path: string, options: { body?: unknown; key?: string; query?: string } = {}) =>
    (await callDataRoute(api, token, method, path, options)) as Written;
  /** The record as the organisation holds it (Xero's own fields), by its GUID. */
  const onPlatform = (guid: string) => {
    const dataset = api.h.sandbox.registry.get("xero", tenant)!.dataset;
    const parsed = parseXeroGuid(guid, ["Supplier", "Customer", "Bill", "Invoice", "SpendMoney", "Payment"])!;
    return dataset.get(parsed.object, parsed.id)!;
  };
  const events = (type: string, externalId: string) => api.h.database.db.event.count({ where: { connectionId, type, externalId } });
  /** An income account of the chart; a small organisation's chart may lack one, and Xero takes any account, so then the first. */
  const incomeAccount = async () => {
    const accounts = await api.h.database.db.record.findMany({ where: { connectionId, object: "accounts", deletedAt: null } });
    return (accounts.find((account) => (account.data as Json).classification === "income") ?? accounts[0]).externalId;
  };

  it("creates a customer and an invoice for it that read back equal from Tributary and from Xero; the next sync finds nothing new", async () => {
    const customer = await send("POST", "/accounting/customers", { body: { name: "Tōtara Bakery", email: "orders@totara.example", phone: "04 555 0143" } });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    const customerId = String(customer.body.record!.id);
    expect(customer.body.record!.data).toMatchObject({ name: "Tōtara Bakery", email: "orders@totara.example", phone: "04 555 0143", active: true });
    // Xero makes a contact a customer once it is invoiced.
    expect(onPlatform(customerId).data).toMatchObject({ Name: "Tōtara Bakery", IsCustomer: false, IsSupplier: false });
    expect(await events("CUSTOMER_CREATED", customerId)).toBe(1);

    const renamed = await send("PATCH", `/accounting/customers/${customerId}`, { body: { name: "Tōtara Bakery Ltd" } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.record!.data).toMatchObject({ name: "Tōtara Bakery Ltd", email: "orders@totara.example" });

    const account = await incomeAccount();
    const invoice = await send("POST", "/accounting/invoices", {
      body: {
        customer_id: customerId,
        issue_date: "2026-11-20",
        due_date: "2026-12-20",
        lines: [{ description: "Wholesale loaves", quantity: "40", unit_price: "4.50", amount: "180.00", account_id: account }],
      },
    });
    expect(invoice.status, JSON.stringify(invoice.body)).toBe(201);
    const invoiceId = String(invoice.body.record!.id);
    expect(invoice.body.record!.data).toMatchObject({
      customer_id: customerId,
      issue_date: "2026-11-20",
      due_date: "2026-12-20",
      total: "180.00",
      amount_due: "180.00",
      status: "open",
      lines: [{ description: "Wholesale loaves", quantity: "40", amount: "180.00", account_id: account }],
    });
    expect(onPlatform(invoiceId).data).toMatchObject({ Type: "ACCREC", Status: "AUTHORISED", Total: 180 });
    expect(onPlatform(customerId).data).toMatchObject({ IsCustomer: true });
    const redated = await send("PATCH", `/accounting/invoices/${invoiceId}`, { body: { due_date: "2027-01-15" } });
    expect(redated.body.record!.data).toMatchObject({ due_date: "2027-01-15", total: "180.00" });
    expect(await events("INVOICE_CREATED", invoiceId)).toBe(1);
    expect(await events("INVOICE_UPDATED", invoiceId)).toBe(1);

    const read = await send("GET", "/accounting/invoices", { query: "&limit=500" });
    expect((read.body.invoices as Json[]).find((row) => row.id === invoiceId)).toEqual(redated.body.record);

    // The next incremental sync reads both, now that Xero lists the contact as a customer: the invoice
    // unchanged, the contact once more with the UpdatedDateUTC Xero moved when it marked it a customer.
    const written = { connectionId, externalId: { in: [customerId, invoiceId] } };
    const before = await api.h.database.db.event.count({ where: written });
    const stats = await nextIncrementalSync(api, connectionId);
    expect(stats.objects.invoices).toMatchObject({ created: 0, updated: 0 });
    expect(stats.objects.invoices.unchanged).toBeGreaterThanOrEqual(1);
    expect(stats.objects.customers).toMatchObject({ created: 0, updated: 1 });
    expect(await api.h.database.db.event.count({ where: written })).toBe(before + 1);
    // The rename's, and this one.
    expect(await events("CUSTOMER_UPDATED", customerId)).toBe(2);
    const synced = (await send("GET", "/accounting/customers", { query: "&limit=500" })).body.customers as (Json & { data: Json })[];
    const { updated_at: moved, ...rest } = synced.find((row) => row.id === customerId)!.data;
    const { updated_at: writtenAt, ...asWritten } = renamed.body.record!.data;
    expect(rest).toEqual(asWritten);
    expect(String(moved) > String(writtenAt)).toBe(true);
  }, 120_000);

  it("creates a vendor's bill, deletes a draft bill, and answers Xero's refusals as 422 naming the field", async () => {
    const vendor = await send("POST", "/accounting/vendors", { body: { name: "Rātā Timber" } });
    expect(vendor.status, JSON.stringify(vendor.body)).toBe(201);
    const vendorId = String(vendor.body.record!.id);
    const account = await incomeAccount();
    const bill = await send("POST", "/accounting/bills", {
      body: { vendor_id: vendorId, number: "RT-88", lines: [{ amount: "310.00", account_id: account }] },
    });
    expect(bill.status, JSON.stringify(bill.body)).toBe(201);
    expect(bill.body.record!.data).toMatchObject({ vendor_id: vendorId, number: "RT-88", total: "310.00", status: "open" });
    expect(onPlatform(vendorId).data).toMatchObject({ IsSupplier: true });

    // Xero keeps an approved bill: deleting it is Xero's refusal.
    expect(await send("DELETE", `/accounting/bills/${bill.body.record!.id}`)).toMatchObject({
      status: 422,
      body: { error_code: "PLATFORM_REFUSED_WRITE", error_message: expect.stringContaining("Invoice not of valid status for modification") },
    });
    // A draft one goes: a bill the organisation holds as a draft (made one here, and synced).
    const dataset = api.h.sandbox.registry.get("xero", tenant)!.dataset;
    const someBill = (await api.h.database.db.record.findFirstOrThrow({ where: { connectionId, object: "bills", deletedAt: null } })).externalId;
    dataset.update("Bill", parseXeroGuid(someBill, ["Bill"])!.id, { Status: "DRAFT", AmountPaid: 0 });
    api.h.advance(60_000);
    await requestSync(api.h.engine, connectionId);
    await syncDue(api.h.engine, connectionId, { maxRuns: 1 });
    const draft = await api.h.database.db.record.findFirstOrThrow({ where: { connectionId, object: "bills", externalId: someBill } });
    expect((draft.data as Json).status).toBe("draft");
    const deleted = await send("DELETE", `/accounting/bills/${draft!.externalId}`);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body.record!.deleted_at).toEqual(expect.any(String));
    expect(onPlatform(draft!.externalId).deletedAt).not.toBeNull();

    const customer = (await api.h.database.db.record.findFirstOrThrow({ where: { connectionId, object: "customers", deletedAt: null } })).externalId;
    expect(await send("POST", "/accounting/invoices", { body: { customer_id: customer, lines: [{ amount: "5.00" }] } })).toMatchObject({
      status: 422,
      body: { field: "lines", error_message: expect.stringContaining("Account code must be specified") },
    });
    expect(await send("POST", "/accounting/vendors", { body: { name: "Rātā Timber" } })).toMatchObject({
      status: 422,
      body: { field: "name", error_message: expect.stringContaining("must be unique across all active contacts") },
    });
  }, 60_000);

  it("records an expense and a payment that read back equal from Tributary and from Xero, and deletes both", async () => {
    const accounts = await api.h.database.db.record.findMany({ where: { connectionId, object: "accounts", deletedAt: null } });
    const bank = accounts.find((account) => (account.data as Json).type === "BANK")!.externalId;
    const booked = await incomeAccount();
    const vendor = String((await send("POST", "/accounting/vendors", { body: { name: "Kea Stationery" } })).body.record!.id);
    const expense = await send("POST", "/accounting/expenses", {
      body: {
        account_id: bank,
        payment_type: "CreditCard",
        vendor_id: vendor,
        date: "2026-11-23",
        lines: [{ description: "Paper", amount: "42.80", account_id: booked }],
      },
    });
    expect(expense.status, JSON.stringify(expense.body)).toBe(201);
    const expenseId = String(expense.body.record!.id);
    // Xero records the bank account, not how it was paid.
    expect(expense.body.record!.data).toMatchObject({ account_id: bank, vendor_id: vendor, date: "2026-11-23", total: "42.80", payment_type: null });
    expect(onPlatform(expenseId).data).toMatchObject({ Type: "SPEND", Total: 42.8 });
    const changed = await send("PATCH", `/accounting/expenses/${expenseId}`, {
      body: { lines: [{ description: "Paper", amount: "48.00", account_id: booked }] },
    });
    expect(changed.body.record!.data).toMatchObject({ total: "48.00", vendor_id: vendor });

    const customer = String((await send("POST", "/accounting/customers", { body: { name: "Kiwi Cafe" } })).body.record!.id);
    const invoice = String(
      (await send("POST", "/accounting/invoices", { body: { customer_id: customer, lines: [{ amount: "90.00", account_id: booked }] } })).body.record!.id,
    );
    expect(
      await send("POST", "/accounting/payments", {
        body: { customer_id: customer, total: "90.00", account_id: bank, invoices: [{ invoice_id: invoice, amount: "40.00" }] },
      }),
    ).toMatchObject({ status: 422, body: { field: "invoices", error_message: expect.stringContaining("one invoice") } });
    const payment = await send("POST", "/accounting/payments", {
      body: { customer_id: customer, total: "90.00", date: "2026-11-24", account_id: bank, invoices: [{ invoice_id: invoice, amount: "90.00" }] },
    });
    expect(payment.status, JSON.stringify(payment.body)).toBe(201);
    const paymentId = String(payment.body.record!.id);
    expect(payment.body.record!.data).toMatchObject({ customer_id: customer, account_id: bank, invoice_ids: [invoice], total: "90.00", date: "2026-11-24" });
    expect(onPlatform(invoice).data).toMatchObject({ Status: "PAID", AmountDue: 0 });
    expect(await send("PATCH", `/accounting/payments/${paymentId}`, { body: { total: "1.00" } })).toMatchObject({ status: 400, body: { field: "object" } });

    // Both read back as written, and the next incremental sync finds them unchanged.
    for (const [object, written] of [
      ["expenses", changed],
      ["payments", payment],
    ] as const) {
      const read = await send("GET", `/accounting/${object}`, { query: "&limit=500" });
      expect(
        (read.body[object] as Json[]).find((row) => row.id === written.body.record!.id),
        object,
      ).toEqual(written.body.record);
    }
    const stats = await nextIncrementalSync(api, connectionId);
    for (const object of ["expenses", "payments"]) expect(stats.objects[object], object).toMatchObject({ created: 0, updated: 0 });

    for (const [object, id] of [
      ["payments", paymentId],
      ["expenses", expenseId],
    ]) {
      const deleted = await send("DELETE", `/accounting/${object}/${id}`);
      expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
      expect(onPlatform(id).deletedAt, object).not.toBeNull();
    }
    expect(onPlatform(invoice).data).toMatchObject({ Status: "AUTHORISED", AmountDue: 90 });
  }, 60_000);
});
