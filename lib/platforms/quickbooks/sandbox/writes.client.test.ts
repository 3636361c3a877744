// Writes on the QuickBooks emulator, judged by node-quickbooks (2.0.50) over real HTTP, as
// client.test.ts judges the reads: createCustomer/updateCustomer, createVendor, createInvoice,
// updateInvoice and deleteInvoice, createBill/updateBill/deleteBill, createPurchase, createPayment/
// updatePayment/deletePayment (a payment moves its invoices' balances), read back through getX, the client's queries, change data capture,
// the control API's ground truth and the company's webhooks; QBO's faults (stale SyncToken, duplicate
// name, missing and invalid references, a line whose amount is not UnitPrice × Qty); and `requestid`,
// which node-quickbooks sends from an entity's `requestId`.
import QuickBooks from "node-quickbooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlClient } from "@/lib/sandbox/control-client";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";

// The client's answers are QBO's JSON, read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const REALM = "4620816399";

describe("QuickBooks emulator writes with node-quickbooks", () => {
  let now = Date.UTC(2026, 10, 1, 12);
  let sandbox: SandboxServer;
  let qbo: QuickBooks;
  let token: string;
  const hooks: Json[] = [];
  const control = controlClient(() => sandbox.url);

  /** A node-quickbooks call as a promise: it calls back (err, data); a 400 fault is axios' error with QBO's body. */
  const call = (method: string, ...args: unknown[]): Promise<Json> =>
    new Promise((resolve, reject) =>
      (qbo as unknown as Record<string, (...a: unknown[]) => void>)[method](...args, (err: unknown, data: unknown) => (err ? reject(err) : resolve(data))),
    );
  const fault = async (promise: Promise<unknown>) => {
    const error = (await promise.then(
      () => expect.unreachable("the request succeeded"),
      (e: unknown) => e,
    )) as Json;
    return { status: error.response?.status as number, error: (error.response?.data ?? error).Fault.Error[0] as Json };
  };
  const groundTruth = async (entity: string) => (await control(`/quickbooks/${REALM}/ground-truth/${entity}`, "GET")).records as Json[];

  beforeAll(async () => {
    sandbox = await startSandboxServer({
      platforms: SANDBOX_PLATFORMS,
      clock: () => now,
      fetch: (async (_url: string, init: RequestInit) => {
        hooks.push(JSON.parse(String(init.body)));
        return new Response(null, { status: 200 });
      }) as typeof fetch,
    });
    QuickBooks.V3_ENDPOINT_BASE_URL = `${sandbox.url}/quickbooks/v3/company/`;
    await control("", "POST", { platform: "quickbooks", id: REALM, size: 400, seed: 3, rate_limited: false });
    await control(`/quickbooks/${REALM}/webhooks`, "POST", { url: "http://hooks.test/qbo" });
    token = (await control(`/quickbooks/${REALM}/tokens`, "POST", {})).access_token;
    qbo = new QuickBooks("client-id", "client-secret", token, false, REALM, true, false, "75", "2.0", null);
    now += 60_000;
  });
  afterAll(() => sandbox?.stop());

  it("creates a customer, reads it back by id, by query and in the ground truth, and tells the webhooks", async () => {
    now += 60_000;
    const created = await call("createCustomer", { DisplayName: "Kowhai Ceramics", PrimaryEmailAddr: { Address: "hello@kowhai.example" } });
    expect(created).toMatchObject({
      DisplayName: "Kowhai Ceramics",
      Active: true,
      Balance: 0,
      SyncToken: "0",
      PrimaryEmailAddr: { Address: "hello@kowhai.example" },
    });
    expect(created.MetaData.CreateTime).toBe(created.MetaData.LastUpdatedTime);
    expect(await call("getCustomer", created.Id)).toEqual(created);
    const byId = await call("findCustomers", [{ field: "Id", value: created.Id }]);
    expect(byId.QueryResponse.Customer).toEqual([created]);
    expect(await groundTruth("Customer")).toContainEqual({
      object: "Customer",
      id: Number(created.Id),
      updated_at: new Date(now).toISOString(),
      deleted: false,
    });
    const notice = hooks.at(-1).eventNotifications[0].dataChangeEvent.entities[0];
    expect(notice).toMatchObject({ name: "Customer", id: created.Id, operation: "Create" });
  });

  it("updates sparsely with the current SyncToken, refuses a stale one (5010), and a full update clears what it leaves out", async () => {
    now += 60_000;
    const customer = await call("createCustomer", { DisplayName: "Rata Joinery", PrimaryPhone: { FreeFormNumber: "(09) 555 0101" }, Notes: "since 2019" });
    now += 60_000;
    const sparse = await call("updateCustomer", { Id: customer.Id, SyncToken: customer.SyncToken, PrimaryEmailAddr: { Address: "office@rata.example" } });
    expect(sparse).toMatchObject({ DisplayName: "Rata Joinery", Notes: "since 2019", PrimaryEmailAddr: { Address: "office@rata.example" } });
    expect(Number(sparse.SyncToken)).toBeGreaterThan(Number(customer.SyncToken));

    const stale = await fault(call("updateCustomer", { Id: customer.Id, SyncToken: customer.SyncToken, Notes: "lost" }));
    expect(stale).toMatchObject({ status: 400, error: { code: "5010", Message: "Stale Object Error", element: "SyncToken" } });
    expect((await call("getCustomer", customer.Id)).Notes).toBe("since 2019");

    now += 60_000;
    const full = await call("updateCustomer", { Id: customer.Id, SyncToken: sparse.SyncToken, sparse: false, DisplayName: "Rata Joinery Ltd" });
    expect(full.DisplayName).toBe("Rata Joinery Ltd");
    expect(full.Notes).toBeUndefined();
    expect(full.PrimaryEmailAddr).toBeUndefined();
  });

  it("refuses a name another customer or vendor holds (6240), a write without one (2020), and deleting a name", async () => {
    const vendor = await call("createVendor", { DisplayName: "Tui Freight" });
    expect(vendor).toMatchObject({ DisplayName: "Tui Freight", Active: true });
    const duplicate = await fault(call("createCustomer", { DisplayName: "tui freight" }));
    expect(duplicate).toMatchObject({ status: 400, error: { code: "6240", Message: "Duplicate Name Exists Error" } });
    const nameless = await fault(call("createCustomer", { Notes: "who?" }));
    expect(nameless).toMatchObject({ status: 400, error: { code: "2020", element: "DisplayName" } });
    // Made from the name parts when DisplayName is left out, as QBO does.
    expect((await call("createCustomer", { GivenName: "Aroha", FamilyName: "Ngata" })).DisplayName).toBe("Aroha Ngata");
    // node-quickbooks has no deleteVendor (QBO deletes no names): sent as its delete would be.
    const deleted = await fetch(`${sandbox.url}/quickbooks/v3/company/${REALM}/vendor?operation=delete&minorversion=75`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ Id: vendor.Id, SyncToken: vendor.SyncToken }),
    });
    expect(deleted.status).toBe(400);
    expect(((await deleted.json()) as Json).Fault.Error[0]).toMatchObject({ code: "500", Message: "Unsupported Operation" });
    const inactive = await call("updateVendor", { Id: vendor.Id, SyncToken: vendor.SyncToken, Active: false });
    expect(inactive.Active).toBe(false);
  });

  it("creates an invoice with its lines, subtotal, totals and the customer's name, and refuses a bad one naming the element", async () => {
    const customer = await call("createCustomer", { DisplayName: "Matai Dental" });
    now += 60_000;
    const invoice = await call("createInvoice", {
      CustomerRef: { value: customer.Id },
      TxnDate: "2026-11-01",
      Line: [
        { Amount: 150, DetailType: "SalesItemLineDetail", Description: "Check-up", SalesItemLineDetail: { Qty: 2, UnitPrice: 75 } },
        { Amount: 42.5, DetailType: "SalesItemLineDetail", SalesItemLineDetail: { ItemRef: { value: "5" } } },
      ],
    });
    expect(invoice).toMatchObject({
      CustomerRef: { value: customer.Id, name: "Matai Dental" },
      TxnDate: "2026-11-01",
      DueDate: "2026-12-01",
      TotalAmt: 192.5,
      Balance: 192.5,
      SyncToken: "0",
    });
    expect(invoice.DocNumber).toMatch(/^\d+$/);
    expect(invoice.Line.map((line: Json) => [line.DetailType, line.Amount])).toEqual([
      ["SalesItemLineDetail", 150],
      ["SalesItemLineDetail", 42.5],
      ["SubTotalLineDetail", 192.5],
    ]);
    expect(invoice.Line[1].SalesItemLineDetail.ItemRef).toEqual({ value: "5" });
    expect(invoice.Line[0].SalesItemLineDetail.ItemRef).toEqual({ value: "1", name: "Services" });
    expect(await call("getInvoice", invoice.Id)).toEqual(invoice);

    const cases: [Json, string, string][] = [
      [{ Line: invoice.Line }, "2020", "CustomerRef"],
      [{ CustomerRef: { value: customer.Id } }, "2020", "Line"],
      [{ CustomerRef: { value: "99999" }, Line: invoice.Line }, "2500", "CustomerRef"],
      [
        { CustomerRef: { value: customer.Id }, Line: [{ Amount: 10, DetailType: "SalesItemLineDetail", SalesItemLineDetail: { Qty: 3, UnitPrice: 4 } }] },
        "6070",
        "Line.Amount",
      ],
    ];
    for (const [body, code, element] of cases) {
      expect(await fault(call("createInvoice", body)), JSON.stringify(body)).toMatchObject({ status: 400, error: { code, element } });
    }
  });

  it("updates an invoice's lines (totals follow, what was paid stays paid) and deletes it: gone from reads, Deleted in CDC and the ground truth", async () => {
    const customer = await call("createCustomer", { DisplayName: "Pohutukawa Events" });
    const invoice = await call("createInvoice", { CustomerRef: { value: customer.Id }, Line: [{ Amount: 100, DetailType: "SalesItemLineDetail" }] });
    now += 60_000;
    const changed = await call("updateInvoice", {
      Id: invoice.Id,
      SyncToken: invoice.SyncToken,
      DueDate: "2027-01-15",
      Line: [
        { Amount: 100, DetailType: "SalesItemLineDetail" },
        { Amount: 20, DetailType: "SalesItemLineDetail", Description: "Setup" },
      ],
    });
    expect(changed).toMatchObject({ DueDate: "2027-01-15", TotalAmt: 120, Balance: 120, CustomerRef: { value: customer.Id } });

    now += 60_000;
    const since = new Date(now - 1000).toISOString();
    const deleted = await call("deleteInvoice", { Id: invoice.Id, SyncToken: changed.SyncToken });
    expect(deleted.Invoice).toEqual({ domain: "QBO", status: "Deleted", Id: invoice.Id });
    expect((await fault(call("getInvoice", invoice.Id))).error.code).toBe("610");
    const cdc = await call("changeDataCapture", ["Invoice"], since);
    expect(cdc.CDCResponse[0].QueryResponse[0].Invoice).toContainEqual(expect.objectContaining({ Id: invoice.Id, status: "Deleted" }));
    expect(await groundTruth("Invoice")).toContainEqual(expect.objectContaining({ id: Number(invoice.Id), deleted: true }));
    expect((await fault(call("deleteInvoice", { Id: invoice.Id, SyncToken: changed.SyncToken }))).error.code).toBe("610");
  });

  /** An account of the sandbox's chart whose type is `type` (Expense, Bank…). */
  const accountOf = async (type: string) => {
    const found = await call("findAccounts", { fetchAll: true });
    const accounts = found.QueryResponse.Account as Json[];
    // A small company's chart may lack the kind: then its last account, which QBO would take as well.
    return accounts.find((account) => account.AccountType === type) ?? accounts[accounts.length - 1];
  };

  it("creates, updates and deletes a bill of expense lines (each booked to an account), and refuses a bad one naming the element", async () => {
    const vendor = await call("createVendor", { DisplayName: "Kauri Timber Supplies" });
    const expense = await accountOf("Expense");
    const bill = await call("createBill", {
      VendorRef: { value: vendor.Id },
      TxnDate: "2026-11-02",
      Line: [
        {
          Amount: 310.25,
          DetailType: "AccountBasedExpenseLineDetail",
          Description: "Decking",
          AccountBasedExpenseLineDetail: { AccountRef: { value: expense.Id } },
        },
      ],
    });
    expect(bill).toMatchObject({ VendorRef: { value: vendor.Id, name: "Kauri Timber Supplies" }, DueDate: "2026-12-02", TotalAmt: 310.25, Balance: 310.25 });
    expect(bill.Line[0].AccountBasedExpenseLineDetail.AccountRef).toEqual({ value: expense.Id, name: expense.Name });
    expect(await call("getBill", bill.Id)).toEqual(bill);
    now += 60_000;
    const changed = await call("updateBill", { Id: bill.Id, SyncToken: bill.SyncToken, sparse: true, DocNumber: "KT-77" });
    expect(changed).toMatchObject({ DocNumber: "KT-77", TotalAmt: 310.25, VendorRef: { value: vendor.Id } });
    const line = (amount: number, account: string) => ({
      Amount: amount,
      DetailType: "AccountBasedExpenseLineDetail",
      AccountBasedExpenseLineDetail: { AccountRef: { value: account } },
    });
    const cases: [Json, string, string][] = [
      [{ Line: [line(1, expense.Id)] }, "2020", "VendorRef"],
      [{ VendorRef: { value: "1" }, Line: [line(1, expense.Id)] }, "2500", "VendorRef"],
      [{ VendorRef: { value: vendor.Id } }, "2020", "Line"],
      [
        { VendorRef: { value: vendor.Id }, Line: [{ Amount: 1, DetailType: "AccountBasedExpenseLineDetail" }] },
        "2020",
        "Line.AccountBasedExpenseLineDetail.AccountRef",
      ],
      [{ VendorRef: { value: vendor.Id }, Line: [line(1, "99999")] }, "2500", "Line.AccountBasedExpenseLineDetail.AccountRef"],
    ];
    for (const [body, code, element] of cases) {
      expect(await fault(call("createBill", body)), JSON.stringify(body)).toMatchObject({ status: 400, error: { code, element } });
    }
    now += 60_000;
    expect((await call("deleteBill", { Id: bill.Id, SyncToken: changed.SyncToken })).Bill).toMatchObject({ status: "Deleted", Id: bill.Id });
    expect(await groundTruth("Bill")).toContainEqual(expect.objectContaining({ id: Number(bill.Id), deleted: true }));
  });

  it("creates a purchase paid from a bank account to a vendor, and refuses one without a payment type or account", async () => {
    const vendor = await call("createVendor", { DisplayName: "Tui Stationers" });
    const bank = await accountOf("Bank");
    const expense = await accountOf("Expense");
    const body = {
      PaymentType: "Check",
      AccountRef: { value: bank.Id },
      EntityRef: { value: vendor.Id, type: "Vendor" },
      Line: [{ Amount: 18.4, DetailType: "AccountBasedExpenseLineDetail", AccountBasedExpenseLineDetail: { AccountRef: { value: expense.Id } } }],
    };
    const purchase = await call("createPurchase", body);
    expect(purchase).toMatchObject({
      PaymentType: "Check",
      AccountRef: { value: bank.Id, name: bank.Name },
      EntityRef: { value: vendor.Id, name: "Tui Stationers", type: "Vendor" },
      TotalAmt: 18.4,
    });
    expect(await call("getPurchase", purchase.Id)).toEqual(purchase);
    expect((await fault(call("createPurchase", { ...body, PaymentType: undefined }))).error).toMatchObject({ code: "2020", element: "PaymentType" });
    expect((await fault(call("createPurchase", { ...body, PaymentType: "Barter" }))).error).toMatchObject({ code: "2010", element: "PaymentType" });
    expect((await fault(call("createPurchase", { ...body, AccountRef: undefined }))).error).toMatchObject({ code: "2020", element: "AccountRef" });
  });

  it("applies a payment to its customer's invoice (the balance drops), moves it back on update and delete, and refuses more than is open", async () => {
    const customer = await call("createCustomer", { DisplayName: "Rimu Physio" });
    const other = await call("createCustomer", { DisplayName: "Totara Vets" });
    const invoice = await call("createInvoice", { CustomerRef: { value: customer.Id }, Line: [{ Amount: 200, DetailType: "SalesItemLineDetail" }] });
    const applied = (amount: number) => [{ Amount: amount, LinkedTxn: [{ TxnId: invoice.Id, TxnType: "Invoice" }] }];
    now += 60_000;
    const payment = await call("createPayment", { CustomerRef: { value: customer.Id }, TotalAmt: 150, Line: applied(120) });
    expect(payment).toMatchObject({ TotalAmt: 150, UnappliedAmt: 30, Line: [{ Amount: 120, LinkedTxn: [{ TxnId: invoice.Id, TxnType: "Invoice" }] }] });
    expect((await call("getInvoice", invoice.Id)).Balance).toBe(80);
    now += 60_000;
    const changed = await call("updatePayment", { Id: payment.Id, SyncToken: payment.SyncToken, sparse: true, Line: applied(150) });
    expect(changed).toMatchObject({ TotalAmt: 150, UnappliedAmt: 0 });
    expect((await call("getInvoice", invoice.Id)).Balance).toBe(50);

    const cases: [Json, string, string][] = [
      [{ CustomerRef: { value: customer.Id }, TotalAmt: 100, Line: applied(60) }, "6000", "Line.Amount"],
      [{ CustomerRef: { value: customer.Id }, TotalAmt: 10, Line: applied(-5) }, "6000", "Line.Amount"],
      [
        {
          CustomerRef: { value: customer.Id },
          TotalAmt: 10,
          Line: applied(10)
            .map((l) => ({ ...l, Amount: 10 }))
            .concat(applied(5)),
        },
        "6000",
        "TotalAmt",
      ],
      [{ CustomerRef: { value: other.Id }, TotalAmt: 10, Line: applied(10) }, "6000", "Line.LinkedTxn.TxnId"],
      [{ CustomerRef: { value: customer.Id }, Line: applied(10) }, "2020", "TotalAmt"],
      [{ TotalAmt: 10 }, "2020", "CustomerRef"],
    ];
    for (const [body, code, element] of cases) {
      expect(await fault(call("createPayment", body)), JSON.stringify(body)).toMatchObject({ status: 400, error: { code, element } });
    }
    expect((await call("getInvoice", invoice.Id)).Balance).toBe(50);

    now += 60_000;
    expect((await call("deletePayment", { Id: payment.Id, SyncToken: changed.SyncToken })).Payment).toMatchObject({ status: "Deleted" });
    expect((await call("getInvoice", invoice.Id)).Balance).toBe(200);
  });

  it("answers a repeated requestid with the first answer and writes nothing again, even with another body", async () => {
    const customer = await call("createCustomer", { DisplayName: "Harakeke Weaving" });
    const before = (await groundTruth("Invoice")).length;
    const body = () => ({ requestId: "retry-4957", CustomerRef: { value: customer.Id }, Line: [{ Amount: 80, DetailType: "SalesItemLineDetail" }] });
    const first = await call("createInvoice", body());
    now += 60_000;
    const again = await call("createInvoice", body());
    expect(again).toEqual(first);
    expect(await call("createInvoice", { ...body(), Line: [{ Amount: 1, DetailType: "SalesItemLineDetail" }] })).toEqual(first);
    expect((await groundTruth("Invoice")).length).toBe(before + 1);
    // Another id writes again.
    expect((await call("createInvoice", { ...body(), requestId: "retry-4958" })).Id).not.toBe(first.Id);
    const tooLong = await fault(call("createInvoice", { ...body(), requestId: "x".repeat(51) }));
    expect(tooLong.error).toMatchObject({ code: "2010", element: "requestid" });
  });
});
