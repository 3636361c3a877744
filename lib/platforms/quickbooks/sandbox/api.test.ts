import { describe, expect, it } from "vitest";
import { DAY_MS, Dataset, type ObjectDefinition } from "@/lib/sandbox/dataset";
import type { SandboxRequest } from "@/lib/sandbox/http";
import { handleQuickBooks, quickBooksRecordJson } from "./api";
import { QUICKBOOKS_OBJECTS } from "./objects";
import { Rng } from "@/lib/sandbox/random";
import { parseQboDateTime } from "./time";

// Response bodies are read field by field, as a client of QBO's JSON would.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const ANCHOR = Date.UTC(2026, 10, 1);
const SHAPE = { seed: 1, size: 3000, historyMonths: 24, anchor: ANCHOR };

function account(definitions: ObjectDefinition[] = QUICKBOOKS_OBJECTS, shape = SHAPE) {
  const clock = { now: ANCHOR + DAY_MS };
  const dataset = new Dataset(shape, definitions, () => clock.now);
  const call = (path: string, query: Record<string, string> = {}, method = "GET", body?: unknown) => {
    const request: SandboxRequest = { method, path, query: new URLSearchParams(query), headers: {}, body, baseUrl: "http://sandbox.test/v3/company/1" };
    const response = handleQuickBooks(request, dataset, { now: () => clock.now });
    return { status: response.status, body: response.body as Json };
  };
  const run = (text: string) => call("/query", { query: text, minorversion: "75" });
  return { dataset, clock, call, run };
}

type Api = ReturnType<typeof account>;

/** Every record of `entity` matching `where`, paged with STARTPOSITION/MAXRESULTS as a QBO client does. */
function pageAll(api: Api, entity: string, where = "", pageSize = 1000): Record<string, unknown>[] {
  const all: Record<string, unknown>[] = [];
  for (let start = 1; ; start += pageSize) {
    const { status, body } = api.run(`SELECT * FROM ${entity}${where} STARTPOSITION ${start} MAXRESULTS ${pageSize}`);
    expect(status).toBe(200);
    const page = (body.QueryResponse[entity] ?? []) as Record<string, unknown>[];
    if (page.length > 0) expect(body.QueryResponse).toMatchObject({ startPosition: start, maxResults: page.length });
    all.push(...page);
    if (page.length < pageSize) return all;
  }
}

function liveIds(dataset: Dataset, entity: string, keep: (row: { updatedAt: number }) => boolean = () => true): string[] {
  return [...dataset.groundTruth(entity)].filter((row) => !row.deleted && keep(row)).map((row) => String(row.id));
}

function changeSome(api: Api, entity: string, ids: number[]) {
  const [toUpdate, toDelete] = [ids.filter((_, i) => i % 2 === 0), ids.filter((_, i) => i % 2 === 1)];
  for (const id of toUpdate) api.dataset.update(entity, id, { PrivateNote: "changed" });
  for (const id of toDelete) api.dataset.delete(entity, id);
  return { toUpdate, toDelete };
}

const ENTITIES = QUICKBOOKS_OBJECTS.map((d) => d.name);

describe("QuickBooks query paging", () => {
  it("returns every live record of every entity exactly once across STARTPOSITION pages, with changes before and after the first query", () => {
    const api = account();
    const firstIds = (entity: string, n: number) => [...api.dataset.groundTruth(entity)].slice(5, 5 + n).map((r) => r.id);
    for (const entity of ENTITIES) changeSome(api, entity, firstIds(entity, 6)); // before the handler has seen the dataset
    api.dataset.create("Bill", { TotalAmt: 12.5 });
    for (const entity of ENTITIES) {
      const ids = pageAll(api, entity, "", 97).map((r) => r.Id as string);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(liveIds(api.dataset, entity));
    }
    // Deletions seen by the handler's change listener, spread through the id range.
    const bills = [...api.dataset.groundTruth("Bill")].filter((r) => !r.deleted).map((r) => r.id);
    for (const id of bills.filter((_, i) => i % 37 === 3)) api.dataset.delete("Bill", id);
    const ids = pageAll(api, "Bill", "", 50).map((r) => r.Id as string);
    expect(ids).toEqual(liveIds(api.dataset, "Bill"));
    expect(api.run("SELECT COUNT(*) FROM Bill").body.QueryResponse).toEqual({ totalCount: ids.length });
  });

  it("pages correctly after deletions made with a clock inside the generated history (full deletion scan)", () => {
    const api = account();
    api.clock.now = ANCHOR - 200 * DAY_MS;
    const ids = [...api.dataset.groundTruth("Vendor")].map((r) => r.id);
    for (const id of ids.filter((_, i) => i % 9 === 4)) api.dataset.delete("Vendor", id);
    expect(pageAll(api, "Vendor", "", 7).map((r) => r.Id)).toEqual(liveIds(api.dataset, "Vendor"));
    expect(api.run("SELECT * FROM Vendor STARTPOSITION 30 MAXRESULTS 1").body.QueryResponse.Vendor[0].Id).toBe(liveIds(api.dataset, "Vendor")[29]);
  });

  it("filters by Metadata.LastUpdatedTime and CreateTime exactly as brute force over the ground truth", () => {
    const api = account();
    changeSome(
      api,
      "Invoice",
      [...api.dataset.groundTruth("Invoice")].slice(100, 140).map((r) => r.id),
    );
    const since = "2026-03-15T00:00:00-07:00";
    const until = "2026-06-01T00:00:00Z";
    const t0 = parseQboDateTime(since)!;
    const t1 = parseQboDateTime(until)!;
    const cases: [string, (row: { updatedAt: number }) => boolean][] = [
      [` WHERE Metadata.LastUpdatedTime >= '${since}'`, (r) => r.updatedAt >= t0],
      [` WHERE MetaData.LastUpdatedTime > '${since}' AND Metadata.LastUpdatedTime < '${until}'`, (r) => r.updatedAt >= t0 + 1000 && r.updatedAt < t1],
      [` WHERE Metadata.LastUpdatedTime <= '${until}'`, (r) => r.updatedAt < t1 + 1000],
    ];
    for (const [where, keep] of cases) {
      const expected = liveIds(api.dataset, "Invoice", keep);
      expect(expected.length).toBeGreaterThan(0);
      expect(pageAll(api, "Invoice", where, 200).map((r) => r.Id)).toEqual(expected);
      expect(api.run(`SELECT COUNT(*) FROM Invoice${where}`).body.QueryResponse.totalCount).toBe(expected.length);
    }
    const created = pageAll(api, "Bill", ` WHERE Metadata.CreateTime >= '${since}'`);
    const expectedCreated = [...api.dataset.groundTruth("Bill")]
      .filter((r) => !r.deleted && api.dataset.get("Bill", r.id)!.createdAt >= t0)
      .map((r) => String(r.id));
    expect(created.map((r) => r.Id)).toEqual(expectedCreated);
  });

  it("orders by Metadata.LastUpdatedTime and answers Id = / Id IN", () => {
    const api = account();
    const page = api.run("SELECT * FROM Customer ORDERBY Metadata.LastUpdatedTime STARTPOSITION 11 MAXRESULTS 20").body.QueryResponse.Customer;
    const all = [...api.dataset.groundTruth("Customer")].sort((a, b) => a.updatedAt - b.updatedAt || a.id - b.id);
    expect(page.map((r: { Id: string }) => r.Id)).toEqual(all.slice(10, 30).map((r) => String(r.id)));
    const [a, b] = all;
    expect(api.run(`select * from Customer where Id = '${a.id}'`).body.QueryResponse.Customer.map((r: { Id: string }) => r.Id)).toEqual([String(a.id)]);
    const both = api.run(`SELECT * FROM Customer WHERE Id IN ('${b.id}', '${a.id}', '999')`).body.QueryResponse;
    expect(both.Customer.map((r: { Id: string }) => r.Id)).toEqual([a.id, b.id].sort((x, y) => x - y).map(String));
    expect(api.run("SELECT * FROM Customer WHERE Id = '1'").body.QueryResponse).toEqual({});
  });

  it("reads entity names in any case, as node-quickbooks sends them (select * from account), and answers in the entity's own spelling", () => {
    const api = account();
    const canonical = api.run("SELECT * FROM Account STARTPOSITION 1 MAXRESULTS 5").body.QueryResponse.Account;
    for (const text of [
      "select * from account startposition 1 maxresults 5",
      "SELECT * FROM ACCOUNT STARTPOSITION 1 MAXRESULTS 5",
      "select * from aCcOuNt where MetaData.LastUpdatedTime >= '2000-01-01T00:00:00Z' orderby Id startposition 1 maxresults 5",
    ]) {
      const { status, body } = api.run(text);
      expect(status, text).toBe(200);
      expect(Object.keys(body.QueryResponse)).toEqual(["Account", "startPosition", "maxResults"]);
      expect(body.QueryResponse.Account).toEqual(canonical);
    }
    expect(api.run("select count(*) from invoice").body.QueryResponse.totalCount).toBe(api.run("SELECT COUNT(*) FROM Invoice").body.QueryResponse.totalCount);
  });

  it("caps MAXRESULTS at 1000, defaults to 100, and accepts the query as a text/plain POST body", () => {
    const api = account();
    expect(api.run("SELECT * FROM Invoice MAXRESULTS 5000").body.QueryResponse.maxResults).toBe(1000);
    expect(api.run("SELECT * FROM Invoice").body.QueryResponse.maxResults).toBe(100);
    const posted = api.call("/query", { minorversion: "75" }, "POST", "SELECT * FROM Vendor MAXRESULTS 3");
    expect(posted.body.QueryResponse.Vendor).toHaveLength(3);
  });
});

describe("QuickBooks entities", () => {
  it("bills reference existing vendors and expense accounts, invoices and payments existing customers and invoices; totals add up", () => {
    const api = account();
    const exists = (entity: string, ref: { value: string } | undefined) => ref !== undefined && api.dataset.get(entity, Number(ref.value)) !== undefined;
    for (const bill of pageAll(api, "Bill") as Json[]) {
      expect(exists("Vendor", bill.VendorRef)).toBe(true);
      expect(bill.VendorRef.name).toBe(api.dataset.get("Vendor", Number(bill.VendorRef.value))!.data.DisplayName);
      const cents = bill.Line.reduce((sum: number, l: { Amount: number }) => sum + Math.round(l.Amount * 100), 0);
      expect(Math.round(bill.TotalAmt * 100)).toBe(cents);
      expect(bill.Balance).toBeLessThanOrEqual(bill.TotalAmt);
      expect(bill.DueDate >= bill.TxnDate).toBe(true);
      expect(bill.CurrencyRef).toEqual(api.dataset.get("Vendor", Number(bill.VendorRef.value))!.data.CurrencyRef);
      for (const line of bill.Line) {
        const accountId = Number(line.AccountBasedExpenseLineDetail.AccountRef.value);
        expect(["Expense", "Cost of Goods Sold"]).toContain(api.dataset.get("Account", accountId)!.data.AccountType);
      }
    }
    for (const invoice of pageAll(api, "Invoice") as Json[]) {
      expect(exists("Customer", invoice.CustomerRef)).toBe(true);
      const items = invoice.Line.filter((l: { DetailType: string }) => l.DetailType === "SalesItemLineDetail");
      expect(Math.round(invoice.TotalAmt * 100)).toBe(items.reduce((s: number, l: { Amount: number }) => s + Math.round(l.Amount * 100), 0));
      expect(invoice.DocNumber).toMatch(/^\d+$/);
    }
    for (const purchase of pageAll(api, "Purchase") as Json[]) {
      expect(["Cash", "Check", "CreditCard"]).toContain(purchase.PaymentType);
      expect(exists("Vendor", purchase.EntityRef)).toBe(true);
      expect(exists("Account", purchase.AccountRef)).toBe(true);
    }
    for (const payment of pageAll(api, "Payment") as Json[]) {
      expect(exists("Customer", payment.CustomerRef)).toBe(true);
      expect(payment.Line[0].LinkedTxn[0].TxnType).toBe("Invoice");
      expect(exists("Invoice", { value: payment.Line[0].LinkedTxn[0].TxnId })).toBe(true);
    }
    const currencies = new Set((pageAll(api, "Invoice") as { CurrencyRef: { value: string } }[]).map((i) => i.CurrencyRef.value));
    expect([...currencies].sort()).toEqual(["CAD", "EUR", "GBP", "USD"]);
  });

  it("reads one entity by id, with QBO's metadata, and answers Object Not Found (610) for missing and deleted ones", () => {
    const api = account();
    const { status, body } = api.call("/bill/300000007");
    expect(status).toBe(200);
    expect(body.Bill).toMatchObject({ Id: "300000007", SyncToken: expect.stringMatching(/^\d+$/), domain: "QBO", sparse: false });
    expect(body.Bill.MetaData.CreateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[78]:00$/);
    expect(body.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-0[78]:00$/);
    const stored = api.dataset.get("Bill", 300000007)!;
    expect(parseQboDateTime(body.Bill.MetaData.LastUpdatedTime)).toBe(Math.floor(stored.updatedAt / 1000) * 1000);
    const updated = api.dataset.update("Bill", 300000007, { PrivateNote: "x" })!;
    const again = api.call("/bill/300000007").body.Bill;
    expect(Number(again.SyncToken)).toBeGreaterThan(Number(body.Bill.SyncToken));
    expect(again).toEqual(quickBooksRecordJson(updated));
    api.dataset.delete("Bill", 300000007);
    for (const path of ["/bill/300000007", "/bill/999", "/bill/abc"]) {
      const missing = api.call(path);
      expect(missing.status).toBe(400);
      expect(missing.body.Fault).toMatchObject({ type: "ValidationFault", Error: [{ Message: "Object Not Found", code: "610" }] });
    }
  });

  it("gives a 10-record company one of every entity, and its bills reference a vendor that exists", () => {
    const api = account(QUICKBOOKS_OBJECTS, { ...SHAPE, size: 10 });
    for (const entity of ENTITIES) expect(api.run(`SELECT COUNT(*) FROM ${entity}`).body.QueryResponse.totalCount).toBeGreaterThan(0);
    const vendorIds = new Set((pageAll(api, "Vendor") as Json[]).map((vendor) => vendor.Id));
    const bills = pageAll(api, "Bill") as Json[];
    expect(bills.length).toBeGreaterThan(0);
    for (const bill of bills) expect(vendorIds.has((bill.VendorRef as Json).value)).toBe(true);
  });

  it("synthesizes data for records created through the control API, with the names of the entity", () => {
    const api = account();
    for (const entity of ENTITIES) {
      const record = api.dataset.create(entity, api.dataset.synthesize(entity, new Rng(7, entity)));
      const json = api.call(`/${entity.toLowerCase()}/${record.id}`).body[entity];
      expect(json).toMatchObject({ Id: String(record.id), SyncToken: "0" });
      for (const value of Object.values(json)) expect(JSON.stringify(value)).not.toContain("undefined");
    }
  });

  it("is deterministic by seed", () => {
    const a = account().run("SELECT * FROM Invoice STARTPOSITION 501 MAXRESULTS 50").body.QueryResponse;
    const b = account().run("SELECT * FROM Invoice STARTPOSITION 501 MAXRESULTS 50").body.QueryResponse;
    const c = account(QUICKBOOKS_OBJECTS, { ...SHAPE, seed: 2 }).run("SELECT * FROM Invoice STARTPOSITION 501 MAXRESULTS 50").body.QueryResponse;
    expect(a).toEqual(b);
    expect(a.Invoice).toHaveLength(50);
    expect(c).not.toEqual(a);
  });
});

describe("QuickBooks change data capture", () => {
  it("returns exactly the records changed since the time, deletions as status Deleted", () => {
    const api = account();
    api.clock.now = ANCHOR + 10 * DAY_MS;
    const changedSince = "2026-11-05T00:00:00Z";
    const bills = [...api.dataset.groundTruth("Bill")].slice(20, 30).map((r) => r.id);
    const { toUpdate, toDelete } = changeSome(api, "Bill", bills);
    const invoice = [...api.dataset.groundTruth("Invoice")][3].id;
    api.dataset.update("Invoice", invoice, { PrivateNote: "late fee" });
    const { status, body } = api.call("/cdc", { entities: "Bill,Invoice,Vendor", changedSince, minorversion: "75" });
    expect(status).toBe(200);
    const [billPart, invoicePart, vendorPart] = body.CDCResponse[0].QueryResponse;
    const bySet = (records: { Id: string }[]) => records.map((r) => r.Id).sort();
    expect(bySet(billPart.Bill)).toEqual([...toUpdate, ...toDelete].map(String).sort());
    expect(billPart).toMatchObject({ startPosition: 1, maxResults: bills.length, totalCount: bills.length });
    for (const record of billPart.Bill) {
      if (toDelete.includes(Number(record.Id))) {
        expect(record).toEqual({ domain: "QBO", status: "Deleted", Id: record.Id, MetaData: { LastUpdatedTime: expect.any(String) } });
      } else {
        expect(record.PrivateNote).toBe("changed");
      }
    }
    expect(bySet(invoicePart.Invoice)).toEqual([String(invoice)]);
    expect(vendorPart).toEqual({});
  });

  it("refuses a changedSince more than 30 days back, unknown entities and missing parameters", () => {
    const api = account();
    const old = api.call("/cdc", { entities: "Bill", changedSince: "2026-09-01T00:00:00Z" });
    expect(old.status).toBe(400);
    expect(old.body.Fault.Error[0]).toMatchObject({ element: "changedSince", Detail: expect.stringContaining("30 days") });
    expect(api.call("/cdc", { entities: "Bill,Estimate", changedSince: "2026-10-20" }).body.Fault.Error[0].Detail).toContain("Estimate");
    expect(api.call("/cdc", { changedSince: "2026-10-20" }).body.Fault.Error[0].element).toBe("entities");
    expect(api.call("/cdc", { entities: "Bill" }).body.Fault.Error[0].element).toBe("changedSince");
    expect(api.call("/cdc", { entities: "Bill", changedSince: "yesterday" }).body.Fault.Error[0].Detail).toContain("yesterday");
  });
});

describe("QuickBooks errors", () => {
  const cases: [string, string][] = [
    ["SELEC * FROM Bill", "SELEC"],
    ["SELECT Id FROM Bill", "Id"],
    ["SELECT * FORM Bill", "FORM"],
    ["SELECT * FROM Bills", "Bills"],
    ["SELECT * FROM Estimate", "Estimate"],
    ["SELECT * FROM Bill WHERE TotalAmt > '5'", "TotalAmt"],
    ["SELECT * FROM Bill WHERE Metadata.LastUpdatedTime >= 'soon'", "soon"],
    ["SELECT * FROM Bill WHERE Metadata.LastUpdatedTime ~ '2026-01-01'", "~"],
    ["SELECT * FROM Bill WHERE Id = '1' OR Id = '2'", "OR"],
    ["SELECT * FROM Bill ORDERBY TotalAmt", "TotalAmt"],
    ["SELECT * FROM Bill ORDERBY Id DESC", "DESC"],
    ["SELECT * FROM Bill STARTPOSITION 0", "0"],
    ["SELECT * FROM Bill MAXRESULTS ten", "ten"],
    ["SELECT * FROM Bill WHERE Id = 'unterminated", "unterminated"],
    ["SELECT COUNT(Id) FROM Bill", "Id"],
  ];
  it.each(cases)("answers %s with a 400 ValidationFault naming %s", (text, token) => {
    const { status, body } = account().run(text);
    expect(status).toBe(400);
    expect(body.Fault.type).toBe("ValidationFault");
    expect(body.Fault.Error[0].code).toBe("4000");
    expect(body.Fault.Error[0].Detail).toContain(token);
  });

  it("answers unknown paths and entities with a fault naming them", () => {
    const api = account();
    expect(api.call("/item/1")).toMatchObject({ status: 400, body: { Fault: { Error: [{ Detail: expect.stringContaining("item") }] } } });
    expect(api.call("/reports/ProfitAndLoss/x/y")).toMatchObject({
      status: 404,
      body: { Fault: { Error: [{ Detail: expect.stringContaining("/reports/ProfitAndLoss/x/y") }] } },
    });
    expect(api.call("/query").status).toBe(400);
    expect(api.call("/bill/1", {}, "POST").status).toBe(400);
  });
});

describe("QuickBooks paging cost", () => {
  it("answers STARTPOSITION 150001 MAXRESULTS 1000 on a 200k-record company without walking the offset", () => {
    // Invoice-heavy weights so that one entity holds more than 150k records.
    const definitions = QUICKBOOKS_OBJECTS.map((d) => ({ ...d, weight: d.name === "Invoice" ? 94 : 1 }));
    const api = account(definitions, { ...SHAPE, size: 200_000 });
    expect(api.dataset.baseCount("Invoice")).toBeGreaterThan(151_000);
    const deleted = [10, 5_000, 120_000, 150_500].map((i) => 400_000_000 + i);
    for (const id of deleted) api.dataset.delete("Invoice", id);
    const timings: Record<string, number> = {};
    const measure = (label: string, text: string) => {
      const started = performance.now();
      const { body } = api.run(text);
      timings[label] = Math.round((performance.now() - started) * 10) / 10;
      return body.QueryResponse;
    };
    const first = measure("first query (deletion index scan)", "SELECT * FROM Invoice STARTPOSITION 150001 MAXRESULTS 1000");
    const page = measure("unfiltered", "SELECT * FROM Invoice STARTPOSITION 150001 MAXRESULTS 1000");
    const filtered = measure(
      "LastUpdatedTime >=",
      "SELECT * FROM Invoice WHERE Metadata.LastUpdatedTime >= '2025-03-01T00:00:00Z' STARTPOSITION 50001 MAXRESULTS 1000",
    );
    const counted = measure("COUNT(*)", "SELECT COUNT(*) FROM Invoice");
    console.log("QuickBooks 200k paging (ms):", timings);
    expect(page).toEqual(first);
    expect(page.Invoice).toHaveLength(1000);
    // Position k is id idBase + k with no deletions; three deleted ids precede it, so it moves three ids on.
    expect(page.Invoice[0].Id).toBe(String(400_000_000 + 150_001 + 3));
    expect(page.Invoice.map((r: { Id: string }) => Number(r.Id))).not.toContain(400_150_500);
    expect(filtered.Invoice).toHaveLength(1000);
    expect(counted.totalCount).toBe(api.dataset.liveCount("Invoice"));
    expect(timings.unfiltered).toBeLessThan(500);
    expect(timings["LastUpdatedTime >="]).toBeLessThan(500);
    // The filtered page equals a walk from the start.
    const t = parseQboDateTime("2025-03-01T00:00:00Z")!;
    const walked = api.dataset
      .list("Invoice", { updatedMin: t, limit: 51_000 })
      .slice(50_000)
      .map((r) => String(r.id));
    expect(filtered.Invoice.map((r: { Id: string }) => r.Id)).toEqual(walked);

    // A creation window with both bounds (a historical batch) pages by arithmetic too, deletions and
    // records created since included, and equals a walk.
    api.dataset.create("Invoice", {});
    const window = "Metadata.CreateTime >= '2025-01-01T00:00:00Z' AND Metadata.CreateTime < '2025-09-01T00:00:00Z'";
    const windowed = measure("CreateTime window", `SELECT * FROM Invoice WHERE ${window} STARTPOSITION 40001 MAXRESULTS 1000`);
    const [from, to] = [parseQboDateTime("2025-01-01T00:00:00Z")!, parseQboDateTime("2025-09-01T00:00:00Z")!];
    const inWindow = api.dataset
      .list("Invoice", { createdMin: from, createdMax: to - 1, limit: 41_000 })
      .slice(40_000)
      .map((r) => String(r.id));
    expect(inWindow).toHaveLength(1000);
    expect(windowed.Invoice.map((r: { Id: string }) => r.Id)).toEqual(inWindow);
    expect(timings["CreateTime window"]).toBeLessThan(500);
    const counts = api.run(`SELECT COUNT(*) FROM Invoice WHERE ${window}`).body.QueryResponse;
    expect(counts.totalCount).toBe(api.dataset.list("Invoice", { createdMin: from, createdMax: to - 1, limit: Infinity }).length);
  });
});
