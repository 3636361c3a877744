// Accounting writes through the unified API (POST /accounting/{customers,vendors,invoices,bills,expenses,
// payments}, PATCH and DELETE …/{id})
// through the route handlers, on a real database, against the QuickBooks emulator over HTTP: what is
// created and updated reads back equal from Tributary and from the company (QBO's own fields), with its
// events, and the next incremental sync finds nothing new; the caller never sends a SyncToken (the
// connector reads it); a bad line or a customer Tributary does not hold is a 400 naming the field,
// QuickBooks' refusal (a duplicate name) a 422 with its reason; and a retry after the company made the
// invoice but Tributary never stored it creates nothing more (requestid is derived from the key).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@/lib/crypto";
import { newId } from "@/lib/db/ids";
import { testDatabaseKinds } from "@/lib/db/testing";
import { syncDue } from "@/lib/sync/drive";
import { openPlatformSession } from "@/lib/sync/platform-session";
import { requestSync } from "@/lib/sync/planner";
import { platformKey } from "@/lib/sync/writes";
import { startWorker } from "@/lib/worker/worker";
import { callDataRoute, createApiFixtures, nextIncrementalSync, type ApiFixtures } from "./routes.testing";

type Json = Record<string, unknown>;
type Written = { status: number; headers: Headers; body: Json & { record?: Json & { data: Json } } };

describe.each(testDatabaseKinds())("accounting writes through the unified API (%s)", (kind) => {
  let api: ApiFixtures;
  let connectionId: string;
  const company = `write-books-${kind}`;
  const token = `access_write_books_${kind}`;

  beforeAll(async () => {
    api = await createApiFixtures(kind);
    connectionId = await api.h.connect("quickbooks", { id: company, size: 120 });
    await api.h.database.db.connection.update({ where: { id: connectionId }, data: { accessTokenHash: hashToken(token) } });
    await syncDue(api.h.engine, connectionId);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  const send = async (method: "POST" | "PATCH" | "GET" | "DELETE", path: string, options: { body?: unknown; key?: string; query?: string } = {}) =>
    (await callDataRoute(api, token, method, path, options)) as Written;
  const live = async (entity: string) => (await api.h.truthRows("quickbooks", company, entity)).filter((row) => !row.deleted);
  /** The entity as the company holds it (QuickBooks' own fields). */
  const onPlatform = (entity: string, id: string) => api.h.sandbox.registry.get("quickbooks", company)!.dataset.get(entity, Number(id))!.data as Json;
  const events = (type: string, externalId: string) => api.h.database.db.event.count({ where: { connectionId, type, externalId } });

  it("creates and updates a customer and an invoice that read back equal from Tributary and from QuickBooks; the next sync finds nothing new", async () => {
    const customersBefore = (await live("customers")).length;
    const customer = await send("POST", "/accounting/customers", { body: { name: "Kereru Studio", email: "accounts@kereru.example", phone: "(04) 555 0199" } });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    const customerId = String(customer.body.record!.id);
    // Marked written through the API; what only syncs wrote is not.
    expect(customer.body.record!.written_at).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/));
    const synced = await send("GET", "/accounting/accounts", { query: "&limit=5" });
    expect((synced.body.accounts as Json[]).length).toBeGreaterThan(0);
    expect((synced.body.accounts as Json[]).every((row) => row.written_at === null)).toBe(true);
    expect(customer.body.record!.data).toMatchObject({
      name: "Kereru Studio",
      email: "accounts@kereru.example",
      phone: "(04) 555 0199",
      active: true,
      balance: "0.00",
    });
    expect((await live("customers")).length).toBe(customersBefore + 1);
    expect(onPlatform("Customer", customerId)).toMatchObject({ DisplayName: "Kereru Studio", PrimaryEmailAddr: { Address: "accounts@kereru.example" } });
    expect(await events("CUSTOMER_CREATED", customerId)).toBe(1);

    // No SyncToken from the caller: the connector reads it. A sparse update keeps what it does not name.
    const renamed = await send("PATCH", `/accounting/customers/${customerId}`, { body: { name: "Kereru Studio Ltd", phone: null } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.record!.data).toMatchObject({ name: "Kereru Studio Ltd", email: "accounts@kereru.example" });
    expect(onPlatform("Customer", customerId)).toMatchObject({ DisplayName: "Kereru Studio Ltd", PrimaryEmailAddr: { Address: "accounts@kereru.example" } });

    const invoice = await send("POST", "/accounting/invoices", {
      body: {
        customer_id: customerId,
        issue_date: "2026-11-20",
        lines: [
          { description: "Brand workshop", quantity: "2", unit_price: "450.00", amount: "900.00" },
          { description: "Travel", amount: "120.50" },
        ],
      },
    });
    expect(invoice.status, JSON.stringify(invoice.body)).toBe(201);
    const invoiceId = String(invoice.body.record!.id);
    expect(invoice.body.record!.data).toMatchObject({
      customer_id: customerId,
      issue_date: "2026-11-20",
      due_date: "2026-12-20",
      total: "1020.50",
      amount_due: "1020.50",
      status: "open",
      // QuickBooks' UnitPrice is a rate, read back as the number it holds.
      lines: [
        { description: "Brand workshop", quantity: "2", unit_price: "450", amount: "900.00" },
        { description: "Travel", amount: "120.50" },
      ],
    });
    expect(onPlatform("Invoice", invoiceId)).toMatchObject({ CustomerRef: { value: customerId, name: "Kereru Studio Ltd" }, TotalAmt: 1020.5 });

    const relined = await send("PATCH", `/accounting/invoices/${invoiceId}`, {
      body: { due_date: "2027-01-31", lines: [{ description: "Brand workshop", amount: "900.00" }] },
    });
    expect(relined.status, JSON.stringify(relined.body)).toBe(200);
    expect(relined.body.record!.data).toMatchObject({ due_date: "2027-01-31", total: "900.00", amount_due: "900.00", issue_date: "2026-11-20" });
    expect(onPlatform("Invoice", invoiceId)).toMatchObject({ DueDate: "2027-01-31", TotalAmt: 900 });
    expect(await events("INVOICE_CREATED", invoiceId)).toBe(1);
    expect(await events("INVOICE_UPDATED", invoiceId)).toBe(1);

    // Read back through the data API, equal to what the writes answered.
    const read = await send("GET", "/accounting/invoices", { query: "&limit=500" });
    expect((read.body.invoices as Json[]).find((row) => row.id === invoiceId)).toEqual(relined.body.record);

    // The next incremental sync reads both again, unchanged: no event, no update.
    const before = {
      customer: await api.h.database.db.event.count({ where: { connectionId, externalId: customerId } }),
      invoice: await api.h.database.db.event.count({ where: { connectionId, externalId: invoiceId } }),
    };
    const stats = await nextIncrementalSync(api, connectionId);
    for (const object of ["customers", "invoices"]) {
      expect(stats.objects[object], object).toMatchObject({ created: 0, updated: 0 });
      expect(stats.objects[object].unchanged, object).toBeGreaterThanOrEqual(1);
    }
    expect(await api.h.database.db.event.count({ where: { connectionId, externalId: customerId } })).toBe(before.customer);
    expect(await api.h.database.db.event.count({ where: { connectionId, externalId: invoiceId } })).toBe(before.invoice);
  }, 120_000);

  it("creates, updates and deletes a bill, an expense and a payment that read back equal from Tributary and QuickBooks; the next sync finds nothing new of them", async () => {
    const accounts = await api.h.database.db.record.findMany({ where: { connectionId, object: "accounts", deletedAt: null } });
    // A small company's chart may lack the kind; QuickBooks takes any account, so then the first.
    const expenseAccount = (accounts.find((a) => (a.data as Json).classification === "expense") ?? accounts[0]).externalId;
    const bank = (accounts.find((a) => (a.data as Json).type === "Bank") ?? accounts[0]).externalId;
    const vendor = await send("POST", "/accounting/vendors", { body: { name: "Harbour Freight Co" } });
    const vendorId = String(vendor.body.record!.id);

    const bill = await send("POST", "/accounting/bills", {
      body: {
        vendor_id: vendorId,
        number: "HF-311",
        issue_date: "2026-11-21",
        lines: [{ description: "Pallets", amount: "240.00", account_id: expenseAccount }],
      },
    });
    expect(bill.status, JSON.stringify(bill.body)).toBe(201);
    const billId = String(bill.body.record!.id);
    expect(bill.body.record!.data).toMatchObject({
      vendor_id: vendorId,
      number: "HF-311",
      issue_date: "2026-11-21",
      due_date: "2026-12-21",
      total: "240.00",
      amount_due: "240.00",
      status: "open",
      lines: [{ description: "Pallets", amount: "240.00", account_id: expenseAccount }],
    });
    expect(onPlatform("Bill", billId)).toMatchObject({ VendorRef: { value: vendorId }, TotalAmt: 240 });
    const rebilled = await send("PATCH", `/accounting/bills/${billId}`, { body: { due_date: "2027-01-05" } });
    expect(rebilled.body.record!.data).toMatchObject({ due_date: "2027-01-05", number: "HF-311", total: "240.00" });

    const expense = await send("POST", "/accounting/expenses", {
      body: { account_id: bank, payment_type: "Check", vendor_id: vendorId, date: "2026-11-22", lines: [{ amount: "35.90", account_id: expenseAccount }] },
    });
    expect(expense.status, JSON.stringify(expense.body)).toBe(201);
    const expenseId = String(expense.body.record!.id);
    expect(expense.body.record!.data).toMatchObject({ account_id: bank, vendor_id: vendorId, payment_type: "Check", date: "2026-11-22", total: "35.90" });
    expect(onPlatform("Purchase", expenseId)).toMatchObject({
      PaymentType: "Check",
      AccountRef: { value: bank },
      EntityRef: { value: vendorId, type: "Vendor" },
    });

    const customer = await send("POST", "/accounting/customers", { body: { name: "Weka Gardens" } });
    const customerId = String(customer.body.record!.id);
    const invoice = await send("POST", "/accounting/invoices", { body: { customer_id: customerId, lines: [{ amount: "500.00" }] } });
    const invoiceId = String(invoice.body.record!.id);
    const payment = await send("POST", "/accounting/payments", {
      body: { customer_id: customerId, total: "300.00", date: "2026-11-23", invoices: [{ invoice_id: invoiceId, amount: "300.00" }] },
    });
    expect(payment.status, JSON.stringify(payment.body)).toBe(201);
    const paymentId = String(payment.body.record!.id);
    expect(payment.body.record!.data).toMatchObject({ customer_id: customerId, invoice_ids: [invoiceId], total: "300.00", date: "2026-11-23" });
    expect(onPlatform("Invoice", invoiceId).Balance).toBe(200);
    const repaid = await send("PATCH", `/accounting/payments/${paymentId}`, {
      body: { total: "500.00", invoices: [{ invoice_id: invoiceId, amount: "500.00" }] },
    });
    expect(repaid.body.record!.data).toMatchObject({ total: "500.00" });
    expect(onPlatform("Invoice", invoiceId).Balance).toBe(0);

    // Each reads back through the data API as the write answered it.
    for (const [object, written] of [
      ["bills", rebilled],
      ["expenses", expense],
      ["payments", repaid],
    ] as const) {
      const read = await send("GET", `/accounting/${object}`, { query: "&limit=500" });
      expect(
        (read.body[object] as Json[]).find((row) => row.id === written.body.record!.id),
        object,
      ).toEqual(written.body.record);
    }

    // The next incremental sync reads them unchanged. The invoice did change on the company (the payment
    // settled it), so that sync updates it, once, to what QuickBooks holds.
    const stats = await nextIncrementalSync(api, connectionId);
    for (const object of ["bills", "expenses", "payments"]) expect(stats.objects[object], object).toMatchObject({ created: 0, updated: 0 });
    expect(await events("INVOICE_UPDATED", invoiceId)).toBe(1);
    const invoices = (await send("GET", "/accounting/invoices", { query: "&limit=500" })).body.invoices as Json[];
    expect(invoices.find((row) => row.id === invoiceId)).toMatchObject({ data: { amount_due: "0.00", status: "paid" } });

    // Deletes: the payment's invoice is open again on the company.
    for (const [object, id] of [
      ["payments", paymentId],
      ["expenses", expenseId],
      ["bills", billId],
    ]) {
      const deleted = await send("DELETE", `/accounting/${object}/${id}`);
      expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
      expect(deleted.body.record!.deleted_at, object).toEqual(expect.any(String));
    }
    expect(onPlatform("Invoice", invoiceId).Balance).toBe(500);
    expect((await live("bills")).some((row) => String(row.id) === billId)).toBe(false);
  }, 120_000);

  it("names the field of a bill's line account, an expense's payment type and a payment applied beyond its total", async () => {
    const vendor = (await api.h.database.db.record.findFirstOrThrow({ where: { connectionId, object: "vendors", deletedAt: null } })).externalId;
    expect(await send("POST", "/accounting/bills", { body: { vendor_id: vendor, lines: [{ amount: "5.00", account_id: "99999" }] } })).toMatchObject({
      status: 400,
      body: { field: "lines[0].account_id", error_message: "lines[0].account_id: no accounts record 99999 in this connection" },
    });
    expect(await send("POST", "/accounting/bills", { body: { vendor_id: vendor, lines: [{ amount: "5.00" }] } })).toMatchObject({
      status: 400,
      body: { field: "lines[0].account_id" },
    });
    expect(
      await send("POST", "/accounting/expenses", { body: { account_id: "1", payment_type: "Barter", lines: [{ amount: "5.00", account_id: "1" }] } }),
    ).toMatchObject({
      status: 400,
      body: { field: "payment_type" },
    });
    expect(
      await send("POST", "/accounting/payments", { body: { customer_id: "1", total: "5.00", invoices: [{ invoice_id: "1", amount: "6.00" }] } }),
    ).toMatchObject({ status: 400, body: { field: "invoices" } });
    expect(
      await send("POST", "/accounting/payments", { body: { customer_id: "1", total: "5.00", invoices: [{ invoice_id: "99999", amount: "5.00" }] } }),
    ).toMatchObject({ status: 400, body: { field: "customer_id" } });
  }, 60_000);

  it("names the field of a bad line and of a customer Tributary does not hold, and answers QuickBooks' duplicate-name refusal as 422 naming name", async () => {
    const invoicesBefore = (await live("invoices")).length;
    const customer = (await api.h.database.db.record.findFirstOrThrow({ where: { connectionId, object: "customers", deletedAt: null } })).externalId;
    expect(
      await send("POST", "/accounting/invoices", { body: { customer_id: customer, lines: [{ quantity: "3", unit_price: "4.00", amount: "10.00" }] } }),
    ).toMatchObject({
      status: 400,
      body: { error_code: "INVALID_FIELD", field: "lines[0].amount" },
    });
    expect(await send("POST", "/accounting/invoices", { body: { customer_id: customer, lines: [] } })).toMatchObject({ status: 400, body: { field: "lines" } });
    expect(await send("POST", "/accounting/invoices", { body: { customer_id: "99999", lines: [{ amount: "5.00" }] } })).toMatchObject({
      status: 400,
      body: { field: "customer_id", error_message: "customer_id: no customers record 99999 in this connection" },
    });
    // QuickBooks books a sales line to its item's account: an account on an invoice line is refused, named.
    const account = (await api.h.database.db.record.findFirstOrThrow({ where: { connectionId, object: "accounts", deletedAt: null } })).externalId;
    expect(await send("POST", "/accounting/invoices", { body: { customer_id: customer, lines: [{ amount: "5.00", account_id: account }] } })).toMatchObject({
      status: 422,
      body: { field: "lines[0].account_id", error_message: expect.stringContaining("takes no account_id") },
    });
    expect(await send("POST", "/accounting/customers", { body: { name: "x", email: "not-an-email" } })).toMatchObject({
      status: 400,
      body: { field: "email" },
    });
    expect(await send("PATCH", "/accounting/invoices/1", { body: { due_date: "2027-01-01" } })).toMatchObject({ status: 404 });
    expect((await live("invoices")).length).toBe(invoicesBefore);

    const taken = String(onPlatform("Customer", customer).DisplayName);
    expect(await send("POST", "/accounting/vendors", { body: { name: taken } })).toMatchObject({
      status: 422,
      body: {
        error_type: "PLATFORM_ERROR",
        error_code: "PLATFORM_REFUSED_WRITE",
        field: "name",
        error_message: expect.stringContaining("Another customer, vendor or employee is already using this name"),
      },
    });
  }, 60_000);

  it("writes one invoice per Idempotency-Key, also when the company made it and Tributary never stored the answer", async () => {
    const customer = (await api.h.database.db.record.findFirstOrThrow({ where: { connectionId, object: "customers", deletedAt: null } })).externalId;
    const body = { customer_id: customer, lines: [{ description: "Deposit", amount: "250.00" }] };
    const before = (await live("invoices")).length;
    const first = await send("POST", "/accounting/invoices", { body, key: "deposit-1" });
    const retry = await send("POST", "/accounting/invoices", { body, key: "deposit-1" });
    expect(first.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect((await live("invoices")).length).toBe(before + 1);

    // The crash window: the company made the invoice under the requestid Tributary derives from the
    // caller's key, and the process died before storing it. The retry gets QuickBooks' first answer.
    const connection = await api.h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } });
    const scope = {
      organizationId: api.h.organizationId,
      environment: "sandbox" as const,
      connection: { ...connection, platformAccountId: company },
      idempotencyKey: "deposit-2",
    };
    const lost = await openPlatformSession(api.h.engine, scope.connection).write({
      object: "invoices",
      operation: "create",
      data: body,
      idempotencyKey: platformKey(scope),
    });
    expect((await live("invoices")).length).toBe(before + 2);
    const recovered = await send("POST", "/accounting/invoices", { body, key: "deposit-2" });
    expect(recovered.status).toBe(201);
    expect(recovered.body.record!.id).toBe(lost.externalId);
    expect((await live("invoices")).length).toBe(before + 2);
    expect(await api.h.database.db.record.count({ where: { connectionId, object: "invoices", externalId: lost.externalId } })).toBe(1);
  }, 60_000);

  it("deletes an invoice on QuickBooks and marks it deleted with one INVOICE_DELETED; a second delete, and the sync that reads the deletion, add nothing", async () => {
    const customer = (await api.h.database.db.record.findFirstOrThrow({ where: { connectionId, object: "customers", deletedAt: null } })).externalId;
    const created = await send("POST", "/accounting/invoices", { body: { customer_id: customer, lines: [{ description: "Mistake", amount: "10.00" }] } });
    const id = String(created.body.record!.id);
    const before = (await live("invoices")).length;

    const deleted = await send("DELETE", `/accounting/invoices/${String(created.body.record!.record_id)}`);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body.record).toMatchObject({ id, deleted_at: expect.any(String), written_at: expect.any(String) });
    expect((await live("invoices")).length).toBe(before - 1);
    expect(await events("INVOICE_DELETED", id)).toBe(1);
    const read = await send("GET", "/accounting/invoices", { query: "&limit=500" });
    expect((read.body.invoices as Json[]).some((row) => row.id === id)).toBe(false);

    // Again: answered as it is, nothing sent (QuickBooks would say 610 Object Not Found).
    expect(await send("DELETE", `/accounting/invoices/${id}`)).toMatchObject({
      status: 200,
      body: { record: { id, deleted_at: deleted.body.record!.deleted_at } },
    });
    expect(await events("INVOICE_DELETED", id)).toBe(1);

    // Deleted on the platform by someone else first: Tributary's delete finds it gone and marks it so.
    const other = await send("POST", "/accounting/invoices", { body: { customer_id: customer, lines: [{ amount: "20.00" }] } });
    const otherId = String(other.body.record!.id);
    const dataset = api.h.sandbox.registry.get("quickbooks", company)!.dataset;
    dataset.delete("Invoice", Number(otherId));
    expect(await send("DELETE", `/accounting/invoices/${otherId}`)).toMatchObject({
      status: 200,
      body: { record: { id: otherId, deleted_at: expect.any(String) } },
    });
    expect(await events("INVOICE_DELETED", otherId)).toBe(1);

    // The next incremental sync reads both deletions from change data capture, and emits nothing more.
    api.h.advance(60_000);
    await requestSync(api.h.engine, connectionId);
    await syncDue(api.h.engine, connectionId, { maxRuns: 1 });
    expect(await events("INVOICE_DELETED", id)).toBe(1);
    expect(await events("INVOICE_DELETED", otherId)).toBe(1);

    // Names are not deleted in QuickBooks, only archived.
    expect(await send("DELETE", `/accounting/customers/${customer}`)).toMatchObject({ status: 404 });
  }, 60_000);

  it("answers response_mode=async at once with 202 and a write the worker runs: GET /writes/{id} and WRITE_COMPLETED or WRITE_FAILED give the outcome", async () => {
    const vendorsBefore = (await live("vendors")).length;
    const accepted = await send("POST", "/accounting/vendors", { body: { name: "Totara Freight" }, key: "vendor-async-1", query: "&response_mode=async" });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const write = accepted.body.write as Json;
    expect(write).toMatchObject({ id: expect.stringMatching(/^wrt_/), status: "queued", object: "vendors", operation: "create", record: null, error: null });
    expect(accepted.headers.get("location")).toBe(`/api/v1/writes/${String(write.id)}`);
    expect((await live("vendors")).length).toBe(vendorsBefore);
    // A retry with the key answers the same write; a bad body or reference is refused before anything is queued.
    const again = await send("POST", "/accounting/vendors", { body: { name: "Totara Freight" }, key: "vendor-async-1", query: "&response_mode=async" });
    expect([again.status, (again.body.write as Json).id]).toEqual([202, write.id]);
    expect(await send("POST", "/accounting/vendors", { body: { name: "" }, query: "&response_mode=async" })).toMatchObject({
      status: 400,
      body: { field: "name" },
    });
    expect(
      await send("POST", "/accounting/invoices", { body: { customer_id: "1", lines: [{ amount: "1.00" }] }, query: "&response_mode=async" }),
    ).toMatchObject({
      status: 400,
      body: { field: "customer_id" },
    });
    expect(await send("POST", "/accounting/vendors", { body: { name: "x" }, query: "&response_mode=later" })).toMatchObject({
      status: 400,
      body: { field: "response_mode" },
    });
    // A name a customer holds already: QuickBooks refuses it, whatever runs first.
    const holder = (await api.h.database.db.record.findFirstOrThrow({ where: { connectionId, object: "customers", deletedAt: null } })).externalId;
    const taken = String(onPlatform("Customer", holder).DisplayName);
    const refused = await send("POST", "/accounting/vendors", { body: { name: taken }, query: "&response_mode=async" });
    expect(refused.status).toBe(202);
    expect(await api.h.database.db.asyncWrite.count({ where: { connectionId } })).toBe(2);

    // The embedded worker runs both (at once): the first succeeds; the second meets QuickBooks' duplicate name.
    const worker = startWorker(api.h.engine, { pollMs: 50, log: () => undefined });
    const get = api.routes.get("GET /writes/{id}")!;
    const read = async (id: string) => {
      const response = await get.handler(new Request(`http://localhost:3000/api/v1/writes/${id}`, { headers: { authorization: api.auth.ours } }), {
        params: Promise.resolve({ id }),
      });
      return { status: response.status, body: (await response.json()) as { write: Json } };
    };
    try {
      await expect.poll(async () => (await read(String(write.id))).body.write.status, { timeout: 30_000 }).toBe("succeeded");
      await expect.poll(async () => (await read(String((refused.body.write as Json).id))).body.write.status, { timeout: 30_000 }).toBe("failed");
    } finally {
      await worker.stop();
    }
    const done = (await read(String(write.id))).body.write;
    expect(done).toMatchObject({
      status: "succeeded",
      attempts: 1,
      record: { object: "vendors", data: { name: "Totara Freight" } },
      finished_at: expect.any(String),
    });
    const vendorId = String((done.record as Json).id);
    expect((await live("vendors")).length).toBe(vendorsBefore + 1);
    expect(await api.h.database.db.record.count({ where: { connectionId, object: "vendors", externalId: vendorId } })).toBe(1);
    expect(await events("VENDOR_CREATED", vendorId)).toBe(1);
    const completed = await api.h.database.db.event.findFirstOrThrow({ where: { connectionId, type: "WRITE_COMPLETED" } });
    expect(completed.data).toMatchObject({ write_id: write.id, object: "vendors", operation: "create", record: { id: vendorId } });

    const failed = (await read(String((refused.body.write as Json).id))).body.write;
    expect(failed).toMatchObject({ status: "failed", record: null, error: { error_code: "PLATFORM_REFUSED_WRITE", field: "name" } });
    const failure = await api.h.database.db.event.findFirstOrThrow({ where: { connectionId, type: "WRITE_FAILED" } });
    expect(failure.data).toMatchObject({ write_id: (refused.body.write as Json).id, error: { error_code: "PLATFORM_REFUSED_WRITE" } });
    expect((await read(newId("wrt"))).status).toBe(404);
  }, 90_000);

  // Last: it leaves the connection needing an update.
  it("moves the connection to NEEDS_UPDATE, as a sync does, when QuickBooks refuses its credentials even after a refresh", async () => {
    await api.h.control(`/quickbooks/${company}/faults`, "PUT", { revoke_tokens: true });
    const refused = await send("POST", "/accounting/vendors", { body: { name: "Kahikatea Timber" } });
    expect(refused).toMatchObject({ status: 409, body: { error_code: "CONNECTION_NOT_SYNCING", error_message: expect.stringContaining("re-link") } });
    const connection = await api.h.database.db.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(connection.health).toBe("NEEDS_UPDATE");
    const event = await api.h.database.db.event.findFirstOrThrow({ where: { connectionId, type: "CONNECTION_NEEDS_UPDATE" } });
    expect((event.data as Json).link_url).toContain(`/link?relink=${connectionId}.`);
    // The next write is refused before it reaches the platform.
    const vendors = (await live("vendors")).length;
    expect(await send("POST", "/accounting/vendors", { body: { name: "Kahikatea Timber" } })).toMatchObject({
      status: 409,
      body: { error_code: "CONNECTION_NOT_SYNCING" },
    });
    expect((await live("vendors")).length).toBe(vendors);
  }, 60_000);
});
