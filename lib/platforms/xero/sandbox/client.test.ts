// The Xero emulator judged by Xero's own Node SDK, xero-node 20 (XeroClient), over real HTTP: the
// client's requests (xero-tenant-id and Bearer headers, If-Modified-Since as ISO 8601, where/order/
// page/pageSize query parameters) and its parsing of the answers (MS-JSON /Date()/ values into Dates,
// enums, numbers), plus the 429 it rejects with.
//
// The SDK is pointed at the emulator by client.testing.ts (xeroNodeClient).
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XeroClient } from "xero-node";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { sdkRejection, xeroNodeClient } from "./client.testing";
import { xero } from "./platform";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const TENANT = "7a1c2e3f-4b5d-4e6f-8a7b-9c0d1e2f3a4b";
const LIMITED = "7a1c2e3f-4b5d-4e6f-8a7b-000000000429";

describe("Xero emulator with xero-node", () => {
  let now = Date.UTC(2026, 10, 1, 12);
  let sandbox: SandboxServer;
  let client: XeroClient;

  const control = async (path: string, method: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/control/accounts${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json().catch(() => null)) as Json;
  };

  const clientFor = (tenant: string) => xeroNodeClient(sandbox.url, [tenant]);

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: [xero], clock: () => now });
    await control("", "POST", { platform: "xero", id: TENANT, name: "Demo Company (Global)", size: 3000, seed: 21, rate_limited: false });
    await control("", "POST", { platform: "xero", id: LIMITED, size: 200, seed: 22, rate_limit_scale: 0.05 });
    now += 60_000;
    client = await clientFor(TENANT);
  });
  afterAll(() => sandbox?.stop());

  it("the SDK's own refresh and tenant calls: refreshWithRefreshToken rotates the token set, updateTenants lists the grant's organisations", async () => {
    // XeroClient sends these to fixed hosts (identity.xero.com, api.xero.com/connections) through the
    // axios it bundles; one interceptor on that very axios points those hosts at the emulator, as a
    // hosts-file entry would, and leaves the SDK's requests and its parsing of the answers as they are.
    const axios = createRequire(require.resolve("xero-node"))("axios") as Json;
    const redirect = axios.interceptors.request.use((config: Json) => ({
      ...config,
      url: String(config.url).replace("https://identity.xero.com/", `${sandbox.url}/xero/identity/`).replace("https://api.xero.com/", `${sandbox.url}/xero/`),
    }));
    try {
      const grant = (await (
        await fetch(`${sandbox.url}/xero/sandbox/grants`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ tenants: [TENANT, LIMITED] }),
        })
      ).json()) as Json;
      const sdk = new XeroClient({
        clientId: grant.client_id,
        clientSecret: grant.client_secret,
        redirectUris: ["https://app.example.com/callback"],
        scopes: grant.scope.split(" "),
      });
      sdk.accountingApi.basePath = `${sandbox.url}/xero/api.xro/2.0`;
      sdk.setTokenSet({ access_token: grant.access_token, refresh_token: grant.refresh_token, token_type: "Bearer", expires_in: grant.expires_in });

      const tenants = await sdk.updateTenants(false);
      expect(tenants.map((t: Json) => t.tenantId).sort()).toEqual([TENANT, LIMITED].sort());
      expect(tenants.every((t: Json) => t.tenantType === "ORGANISATION" && t.authEventId === grant.auth_event_id)).toBe(true);

      const refreshed = await sdk.refreshWithRefreshToken(grant.client_id, grant.client_secret, grant.refresh_token);
      expect(refreshed.refresh_token).toBeTruthy();
      expect(refreshed.refresh_token).not.toBe(grant.refresh_token);
      expect(refreshed.access_token).not.toBe(grant.access_token);
      expect(sdk.readTokenSet().access_token).toBe(refreshed.access_token);
      // The SDK now calls with the new token; the old one is refused.
      const { body } = await sdk.accountingApi.getAccounts(TENANT);
      expect(body.accounts?.length).toBeGreaterThan(0);
      const old = await fetch(`${sandbox.url}/xero/api.xro/2.0/Accounts`, {
        headers: { authorization: `Bearer ${grant.access_token}`, "xero-tenant-id": TENANT, accept: "application/json" },
      });
      expect(old.status).toBe(401);
      // A wrong client secret is refused by the token endpoint, and the SDK rejects.
      await expect(sdk.refreshWithRefreshToken(grant.client_id, "wrong-secret", refreshed.refresh_token!)).rejects.toBeDefined();
    } finally {
      axios.interceptors.request.eject(redirect);
    }
  });

  it("getAccounts: the whole chart, unpaged, each with its GUID, code and type", async () => {
    const { response, body } = await client.accountingApi.getAccounts(TENANT);
    expect(response.status).toBe(200);
    const accounts = body.accounts ?? [];
    expect(accounts.length).toBeGreaterThan(0);
    expect(accounts[0].accountID).toMatch(/^[0-9a-f-]{36}$/);
    expect(accounts[0].code).toBe("090");
    expect(String(accounts[0].type)).toBe("BANK");
    expect(accounts[0].updatedDateUTC).toBeInstanceOf(Date);
  });

  it("getContacts pages with page/pageSize; IsSupplier and IsCustomer partition them like the ground truth", async () => {
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      const { body } = await client.accountingApi.getContacts(TENANT, undefined, undefined, undefined, undefined, page, undefined, undefined, undefined, 200);
      const contacts = body.contacts ?? [];
      seen.push(...contacts.map((c) => c.contactID!));
      expect(body.pagination?.pageSize).toBe(200);
      if (page >= (body.pagination?.pageCount ?? 0)) break;
    }
    const truth = (await control(`/xero/${TENANT}/ground-truth`, "GET")).records as Json[];
    const contactGuids = truth.filter((r) => r.object === "Supplier" || r.object === "Customer").map((r) => r.guid);
    expect(seen.sort()).toEqual(contactGuids.sort());
    const suppliers = await client.accountingApi.getContacts(
      TENANT,
      undefined,
      "IsSupplier==true",
      undefined,
      undefined,
      1,
      undefined,
      undefined,
      undefined,
      1000,
    );
    expect((suppliers.body.contacts ?? []).every((c) => c.isSupplier && !c.isCustomer)).toBe(true);
    expect(suppliers.body.contacts?.length).toBe(truth.filter((r) => r.object === "Supplier").length);
  });

  it("getInvoices with where, order and page; the SDK parses /Date()/ values into Dates", async () => {
    const where = 'Type=="ACCREC" AND Status!="DELETED" AND Date>=DateTime(2025,01,01)';
    const { body } = await client.accountingApi.getInvoices(
      TENANT,
      undefined,
      where,
      "Date ASC",
      undefined,
      undefined,
      undefined,
      undefined,
      1,
      undefined,
      undefined,
      undefined,
      undefined,
      100,
    );
    const invoices = body.invoices ?? [];
    expect(invoices.length).toBeGreaterThan(0);
    for (const invoice of invoices) {
      expect(String(invoice.type)).toBe("ACCREC");
      expect(String(invoice.status)).not.toBe("DELETED");
      // Invoice.date is typed string in the SDK but deserialised from /Date(ms+0000)/ into a Date.
      const date = invoice.date as unknown as Date;
      expect(date).toBeInstanceOf(Date);
      expect(date.getTime()).toBeGreaterThanOrEqual(Date.UTC(2025, 0, 1));
      expect(invoice.updatedDateUTC).toBeInstanceOf(Date);
      expect(invoice.lineItems?.length).toBeGreaterThan(0);
      expect(invoice.lineItems?.[0].lineItemID).toMatch(/^[0-9a-f-]{36}$/);
    }
    const dates = invoices.map((i) => (i.date as unknown as Date).getTime());
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
  });

  it("getInvoices with ifModifiedSince (a Date) returns what changed after it, deleted and voided ones included", async () => {
    const since = new Date(now);
    now += 60_000;
    const truth = (await control(`/xero/${TENANT}/ground-truth/Invoice`, "GET")).records as Json[];
    const live = truth.filter((r) => !r.deleted && r.status === "AUTHORISED").slice(0, 3);
    await control(`/xero/${TENANT}/changes`, "POST", {
      operations: [
        { op: "update", object: "Invoice", id: live[0].id, data: { Status: "VOIDED", AmountDue: 0 } },
        { op: "delete", object: "Invoice", id: live[1].id },
        { op: "update", object: "Invoice", id: live[2].id, data: { Reference: "changed" } },
      ],
    });
    now += 60_000;
    const { body } = await client.accountingApi.getInvoices(TENANT, since, undefined, "UpdatedDateUTC ASC", undefined, undefined, undefined, undefined, 1);
    const byId = new Map((body.invoices ?? []).map((i) => [i.invoiceID, i]));
    expect(byId.size).toBe(3);
    expect(String(byId.get(live[0].guid)?.status)).toBe("VOIDED");
    expect(String(byId.get(live[1].guid)?.status)).toBe("DELETED");
    expect(byId.get(live[2].guid)?.reference).toBe("changed");
    for (const invoice of byId.values()) expect(invoice.updatedDateUTC!.getTime()).toBeGreaterThan(since.getTime());
  });

  it("getInvoice reads one invoice by its GUID; an unknown GUID rejects with 404", async () => {
    const { body } = await client.accountingApi.getInvoices(
      TENANT,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      1,
      undefined,
      undefined,
      undefined,
      undefined,
      1,
    );
    const first = body.invoices![0];
    const single = await client.accountingApi.getInvoice(TENANT, first.invoiceID!);
    expect(single.body.invoices?.[0].invoiceID).toBe(first.invoiceID);
    expect(single.body.invoices?.[0].total).toBe(first.total);
    const missing = await client.accountingApi.getInvoice(TENANT, "00000000-0000-4000-8000-000000000000").catch((error: unknown) => sdkRejection(error));
    expect(missing).toMatchObject({ statusCode: 404 });
  });

  it("getBankTransactions: SPEND expenses and RECEIVE money, each from a bank account", async () => {
    const { body } = await client.accountingApi.getBankTransactions(TENANT, undefined, 'Type=="SPEND"', undefined, 1, undefined, 100);
    const spends = body.bankTransactions ?? [];
    expect(spends.length).toBeGreaterThan(0);
    for (const t of spends) {
      expect(String(t.type)).toBe("SPEND");
      expect(t.bankAccount?.accountID).toMatch(/^[0-9a-f-]{36}$/);
      expect(t.contact?.contactID).toMatch(/^[0-9a-f-]{36}$/);
      expect(t.total).toBeCloseTo(
        (t.lineItems ?? []).reduce((sum, l) => sum + (l.lineAmount ?? 0), 0),
        2,
      );
    }
    const all = await client.accountingApi.getBankTransactions(TENANT, undefined, undefined, undefined, 1, undefined, 1000);
    expect(new Set((all.body.bankTransactions ?? []).map((t) => String(t.type)))).toEqual(new Set(["SPEND", "RECEIVE"]));
  });

  it("getPayments: each names its invoice and account", async () => {
    const { body } = await client.accountingApi.getPayments(TENANT, undefined, 'Status=="AUTHORISED"', undefined, 1, 50);
    const payments = body.payments ?? [];
    expect(payments).toHaveLength(50);
    for (const p of payments) {
      expect(p.invoice?.invoiceID).toMatch(/^[0-9a-f-]{36}$/);
      expect(p.account?.accountID).toMatch(/^[0-9a-f-]{36}$/);
      expect(p.date).toBeInstanceOf(Date);
      expect(typeof p.amount).toBe("number");
      expect(["ACCRECPAYMENT", "ACCPAYPAYMENT"]).toContain(String(p.paymentType));
    }
  });

  it("rejects with a 429 carrying Retry-After and X-Rate-Limit-Problem once the minute limit is spent", async () => {
    const limited = await clientFor(LIMITED);
    // rate_limit_scale 0.05: 3 calls a minute.
    for (let i = 0; i < 3; i++) {
      const { response } = await limited.accountingApi.getContacts(LIMITED, undefined, undefined, undefined, undefined, 1);
      expect(Number(response.headers["x-minlimit-remaining"])).toBe(2 - i);
      expect(response.headers["x-daylimit-remaining"]).toBeDefined();
      expect(response.headers["x-appminlimit-remaining"]).toBeDefined();
    }
    const refused = await limited.accountingApi.getContacts(LIMITED, undefined, undefined, undefined, undefined, 1).then(
      () => null,
      (error: unknown) => sdkRejection(error),
    );
    expect(refused?.statusCode).toBe(429);
    expect(refused?.headers["x-rate-limit-problem"]).toBe("minute");
    expect(Number(refused?.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  });
});
