// The Xero emulator over real HTTP, for what xero-node does not exercise: tenant routing, where
// parsing and its errors, page sizes, ordering stable across pages, deleted, voided and archived
// records. Limits and the million-record account are limits.test.ts, webhooks webhooks.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { xero } from "./platform";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const TENANT = "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c";

describe("Xero Accounting API emulator", () => {
  let now = Date.UTC(2026, 10, 1, 12);
  let sandbox: SandboxServer;
  let token = "";

  const control = async (path: string, method: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/control/accounts${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => null)) as Json };
  };
  const tokenFor = async (tenant: string) => (await control(`/xero/${tenant}/tokens`, "POST", {})).body.access_token as string;
  const get = (path: string, options: { tenant?: string; token?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${sandbox.url}/xero/api.xro/2.0${path}`, {
      headers: {
        Accept: "application/json",
        "xero-tenant-id": options.tenant ?? TENANT,
        Authorization: `Bearer ${options.token ?? token}`,
        ...options.headers,
      },
    });
  const getJson = async (path: string, options?: Parameters<typeof get>[1]) => {
    const response = await get(path, options);
    expect(response.status, `${path}: ${response.status}`).toBe(200);
    return (await response.json()) as Json;
  };

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: [xero], clock: () => now });
    expect((await control("", "POST", { platform: "xero", id: TENANT, size: 2000, seed: 7, rate_limited: false })).status).toBe(201);
    token = await tokenFor(TENANT);
    now += 60_000;
  });
  afterAll(() => sandbox?.stop());

  it("lists invoices and bills in pages of pageSize, with Xero's envelope and pagination", async () => {
    const first = await getJson("/Invoices?page=1&pageSize=50");
    expect(first).toMatchObject({ Status: "OK", pagination: { page: 1, pageSize: 50 } });
    expect(first.Invoices).toHaveLength(50);
    expect(first.DateTimeUTC).toMatch(/^\/Date\(\d+\)\/$/);
    const invoice = first.Invoices[0];
    expect(invoice.InvoiceID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(invoice.Date).toMatch(/^\/Date\(\d+\+0000\)\/$/);
    expect(invoice.DateString).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00$/);
    expect(invoice.UpdatedDateUTC).toMatch(/^\/Date\(\d+\+0000\)\/$/);
    expect(typeof invoice.Total).toBe("number");
    const all: string[] = [];
    for (let page = 1; page <= first.pagination.pageCount; page++) {
      const body = await getJson(`/Invoices?page=${page}&pageSize=50`);
      all.push(...body.Invoices.map((i: Json) => i.InvoiceID));
    }
    expect(all).toHaveLength(first.pagination.itemCount);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual([...all].sort());
  });

  it("a missing or unknown tenant is Xero's 403 AuthenticationUnsuccessful; a bad token its 401", async () => {
    for (const headers of [{ "xero-tenant-id": "" }, { "xero-tenant-id": "00000000-0000-4000-8000-000000000000" }, { "xero-tenant-id": "not-a-guid" }]) {
      const response = await fetch(`${sandbox.url}/xero/api.xro/2.0/Invoices`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ Title: "Forbidden", Status: 403, Detail: "AuthenticationUnsuccessful" });
    }
    const forged = await get("/Invoices?page=1", { token: "forged" });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ Title: "Unauthorized", Status: 401 });
    const missing = await get("/Nothing");
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("The resource you're looking for cannot be found");
  });

  it("where: conditions joined by AND or && select by type, status, dates and flags; what it cannot read is a 400", async () => {
    const sales = await getJson(
      `/Invoices?page=1&pageSize=1000&where=${encodeURIComponent('Type=="ACCREC" && Date>=DateTime(2025,06,01) AND Date<DateTime(2026,01,01)')}`,
    );
    expect(sales.Invoices.length).toBeGreaterThan(0);
    for (const invoice of sales.Invoices) {
      expect(invoice.Type).toBe("ACCREC");
      expect(invoice.DateString >= "2025-06-01" && invoice.DateString < "2026-01-01").toBe(true);
    }
    const authorised = await getJson(`/Invoices?page=1&where=${encodeURIComponent('Status=="AUTHORISED" AND AmountDue>0')}`);
    expect(authorised.Invoices.every((i: Json) => i.Status === "AUTHORISED" && i.AmountDue > 0)).toBe(true);
    const customers = await getJson(`/Contacts?page=1&where=${encodeURIComponent("IsCustomer==true")}`);
    expect(customers.Contacts.every((c: Json) => c.IsCustomer === true)).toBe(true);
    const one = customers.Contacts[0];
    const byGuid = await getJson(`/Contacts?page=1&where=${encodeURIComponent(`ContactID==Guid("${one.ContactID.toUpperCase()}")`)}`);
    expect(byGuid.Contacts.map((c: Json) => c.ContactID)).toEqual([one.ContactID]);
    const recent = await getJson(`/Invoices?page=1&where=${encodeURIComponent("UpdatedDateUTC>=DateTime(2026,10,20)")}`);
    expect(recent.Invoices.every((i: Json) => Number(/\d+/.exec(i.UpdatedDateUTC)![0]) >= Date.UTC(2026, 9, 20))).toBe(true);

    const refusals: [string, string][] = [
      ['Type=="ACCREC" OR Type=="ACCPAY"', "ValidationException"],
      ['Name.Contains("Ltd")', "ValidationException"],
      ['Nonsense=="x"', "QueryParseException"],
      ["Date>=DateTime(2024,13,01)", "QueryParseException"],
      ['Type=="ACCREC" Status=="PAID"', "QueryParseException"],
      ['Type=="ACCREC', "QueryParseException"],
    ];
    for (const [where, type] of refusals) {
      const response = await get(`/Invoices?page=1&where=${encodeURIComponent(where)}`);
      expect(response.status, where).toBe(400);
      expect(await response.json(), where).toMatchObject({ Type: type, ErrorNumber: type === "ValidationException" ? 10 : 16 });
    }
    const badPage = await get("/Invoices?page=0");
    expect(badPage.status).toBe(400);
    expect(await badPage.json()).toMatchObject({ ErrorNumber: 10, Type: "ValidationException", Message: "A validation exception occurred" });
  });

  it("Statuses and ContactIDs select like OR conditions; summaryOnly leaves out line items", async () => {
    const open = await getJson("/Invoices?page=1&pageSize=1000&Statuses=DRAFT,SUBMITTED");
    expect(open.Invoices.length).toBeGreaterThan(0);
    expect(new Set(open.Invoices.map((i: Json) => i.Status))).toEqual(new Set(["DRAFT", "SUBMITTED"]));
    const contact = open.Invoices[0].Contact.ContactID as string;
    const theirs = await getJson(`/Invoices?page=1&ContactIDs=${contact.toUpperCase()}`);
    expect(theirs.Invoices.length).toBeGreaterThan(0);
    expect(theirs.Invoices.every((i: Json) => i.Contact.ContactID === contact)).toBe(true);
    const summary = await getJson("/Invoices?page=1&summaryOnly=true");
    expect(summary.Invoices[0].LineItems).toBeUndefined();
    expect(summary.Invoices[0].Total).toEqual(expect.any(Number));
  });

  it("pageSize is 100 when only page is given and at most 1000; Accounts are unpaged", async () => {
    expect((await getJson("/Invoices?page=2")).Invoices).toHaveLength(100);
    expect((await getJson("/Invoices?page=1&pageSize=5000")).pagination.pageSize).toBe(1000);
    const accounts = await getJson("/Accounts?page=1");
    expect(accounts.pagination).toBeUndefined();
    expect(accounts.Accounts.length).toBe((await control(`/xero/${TENANT}`, "GET")).body.counts.Account);
  });

  it("orders by UpdatedDateUTC then id, Date then id, or the id field; pages in id order neither skip nor repeat while invoices change", async () => {
    const byUpdate = await getJson("/Invoices?page=1&pageSize=1000&order=UpdatedDateUTC%20ASC");
    const keys = byUpdate.Invoices.map((i: Json) => [Number(/\d+/.exec(i.UpdatedDateUTC)![0]), i.InvoiceID] as const);
    for (let k = 1; k < keys.length; k++) expect(keys[k][0] > keys[k - 1][0] || (keys[k][0] === keys[k - 1][0] && keys[k][1] > keys[k - 1][1])).toBe(true);
    const byDate = await getJson("/Invoices?page=1&pageSize=1000&order=Date");
    const dates = byDate.Invoices.map((i: Json) => i.DateString as string);
    expect(dates).toEqual([...dates].sort());

    const truth = ((await control(`/xero/${TENANT}/ground-truth/Bill`, "GET")).body.records as Json[]).filter((r) => !r.deleted);
    const seen: string[] = [];
    const first = await getJson("/Invoices?page=1&pageSize=100");
    seen.push(...first.Invoices.map((i: Json) => i.InvoiceID));
    for (let page = 2; page <= first.pagination.pageCount; page++) {
      // Between pages: an update and a deletion of records already read. Deleted invoices stay listed
      // (Status DELETED), updates do not move a record in id order: nothing shifts.
      const [updated, deleted] = [truth[page * 3], truth[page * 3 + 1]];
      await control(`/xero/${TENANT}/changes`, "POST", {
        operations: [
          { op: "update", object: "Bill", id: updated.id, data: { Reference: `p${page}` } },
          { op: "delete", object: "Bill", id: deleted.id },
        ],
      });
      now += 1000;
      seen.push(...(await getJson(`/Invoices?page=${page}&pageSize=100`)).Invoices.map((i: Json) => i.InvoiceID));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(first.pagination.itemCount);
  });

  it("keyset paging by If-Modified-Since and UpdatedDateUTC order sees every change once the pages are read, even as records change meanwhile", async () => {
    const since = now;
    now += 1000;
    // Changes of one control call share an instant: fewer than a page, or an inclusive cursor would
    // stand still on a full page of equal times (as it would on Xero).
    const expected = new Set<string>();
    for (let batch = 0; batch < 24; batch++) {
      const changed = await control(`/xero/${TENANT}/changes`, "POST", { random: 5, seed: 100 + batch });
      expect(changed.status).toBe(200);
      for (const c of changed.body.changes as Json[]) if (c.object === "Invoice" || c.object === "Bill") expected.add(`${c.object}:${c.id}`);
      now += 1000;
    }
    expect(expected.size).toBeGreaterThan(20);
    const seen = new Set<string>();
    let cursor = new Date(since).toISOString();
    for (let round = 0; round < 50; round++) {
      const body = await getJson(`/Invoices?page=1&pageSize=10&order=${encodeURIComponent("UpdatedDateUTC ASC")}`, {
        headers: { "If-Modified-Since": cursor },
      });
      const fresh = body.Invoices.filter((i: Json) => !seen.has(i.InvoiceID));
      for (const invoice of body.Invoices) seen.add(invoice.InvoiceID);
      if (round === 1) {
        // A change while paging: it moves to the end of the order and is read in a later round.
        await control(`/xero/${TENANT}/changes`, "POST", { random: 5, seed: 6 });
        now += 1000;
      }
      if (fresh.length === 0) break;
      cursor = new Date(Number(/\d+/.exec(body.Invoices.at(-1).UpdatedDateUTC)![0])).toISOString();
    }
    const truth = (await control(`/xero/${TENANT}/ground-truth`, "GET")).body.records as Json[];
    const guids = new Map(truth.map((r) => [`${r.object}:${r.id}`, r.guid]));
    for (const key of expected) expect(seen.has(guids.get(key)), key).toBe(true);
  });

  it("every ground-truth row carries the GUID and status the API serves for it", async () => {
    const endpoint: Record<string, [string, string]> = {
      Account: ["Accounts", "Status"],
      Supplier: ["Contacts", "ContactStatus"],
      Customer: ["Contacts", "ContactStatus"],
      Bill: ["Invoices", "Status"],
      Invoice: ["Invoices", "Status"],
      SpendMoney: ["BankTransactions", "Status"],
      ReceiveMoney: ["BankTransactions", "Status"],
      Payment: ["Payments", "Status"],
    };
    const truth = (await control(`/xero/${TENANT}/ground-truth`, "GET")).body.records as Json[];
    for (const [object, [name, field]] of Object.entries(endpoint)) {
      const rows = truth.filter((r) => r.object === object);
      expect(rows.length, object).toBeGreaterThan(0);
      for (const row of rows.slice(0, 8)) {
        const body = await getJson(`/${name}/${row.guid}`);
        expect(body[name][0][field], `${object} ${row.id}`).toBe(row.status);
      }
    }
  });

  it("deleted documents are served with Status DELETED and voided ones VOIDED, as the ground truth says; deleted contacts are ARCHIVED and listed only with includeArchived", async () => {
    await control(`/xero/${TENANT}/changes`, "POST", { random: 300, seed: 9 });
    now += 1000;
    const truth = (await control(`/xero/${TENANT}/ground-truth`, "GET")).body.records as Json[];
    const invoices = truth.filter((r) => r.object === "Invoice" || r.object === "Bill");
    const deleted = invoices.filter((r) => r.deleted);
    const voided = invoices.filter((r) => r.voided);
    expect(deleted.length).toBeGreaterThan(0);
    expect(voided.length).toBeGreaterThan(0);
    for (const row of [...deleted.slice(0, 5), ...voided.slice(0, 5)]) {
      const body = await getJson(`/Invoices/${row.guid}`);
      expect(body.Invoices[0].Status).toBe(row.status);
      expect(body.Invoices[0].Status).toBe(row.deleted ? "DELETED" : "VOIDED");
    }
    const notDeleted = await getJson(`/Invoices?page=1&pageSize=1000&where=${encodeURIComponent('Status!="DELETED"')}`);
    expect(notDeleted.pagination.itemCount).toBe(invoices.length - deleted.length);

    const supplier = truth.find((r) => r.object === "Supplier" && !r.deleted)!;
    await control(`/xero/${TENANT}/changes`, "POST", { operations: [{ op: "delete", object: "Supplier", id: supplier.id }] });
    const archived = await getJson(`/Contacts/${supplier.guid}`);
    expect(archived.Contacts[0].ContactStatus).toBe("ARCHIVED");
    const where = encodeURIComponent(`ContactID==Guid("${supplier.guid}")`);
    expect((await getJson(`/Contacts?page=1&where=${where}`)).Contacts).toHaveLength(0);
    expect((await getJson(`/Contacts?page=1&includeArchived=true&where=${where}`)).Contacts).toHaveLength(1);
    const row = ((await control(`/xero/${TENANT}/ground-truth/Supplier`, "GET")).body.records as Json[]).find((r) => r.id === supplier.id);
    expect(row).toMatchObject({ deleted: true, status: "ARCHIVED", guid: supplier.guid });
  });
});
