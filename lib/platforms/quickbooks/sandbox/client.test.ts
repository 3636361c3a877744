// The QuickBooks emulator judged by Intuit's widely used Node client, node-quickbooks (2.0.50), over
// real HTTP: every query, filter, paging and error path the connector (../connector.ts) relies on —
// SELECT with WHERE on MetaData.LastUpdatedTime and MetaData.CreateTime, ORDERBY Id, STARTPOSITION /
// MAXRESULTS, change data capture for deletions, 401, 403 and 429.
//
// Pointing the client at the emulator: node-quickbooks sends every request to
// `QuickBooks.V3_ENDPOINT_BASE_URL + realmId` when constructed with useSandbox = true (the setting that
// normally selects Intuit's sandbox host), so that base is set to the emulator's /quickbooks/v3/company/.
// OAuth 2.0 is chosen per client (oauthversion "2.0": a bearer token), never with
// QuickBooks.setOauthVersion, which downloads Intuit's discovery document.
import QuickBooks from "node-quickbooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";

// The client's answers are QBO's JSON, read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The connector's objects and the node-quickbooks finder for each entity. */
const FINDERS = {
  Account: "findAccounts",
  Vendor: "findVendors",
  Customer: "findCustomers",
  Bill: "findBills",
  Invoice: "findInvoices",
  Purchase: "findPurchases",
  Payment: "findPayments",
} as const;
type Entity = keyof typeof FINDERS;

describe("QuickBooks emulator with node-quickbooks", () => {
  let now = Date.UTC(2026, 10, 1, 12);
  let sandbox: SandboxServer;
  const realm = "4620816365";

  const control = async (path: string, method: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/control/accounts${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as Json;
  };

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: SANDBOX_PLATFORMS, clock: () => now });
    QuickBooks.V3_ENDPOINT_BASE_URL = `${sandbox.url}/quickbooks/v3/company/`;
    await control("", "POST", { platform: "quickbooks", id: realm, size: 1500, seed: 11, rate_limited: false });
    now += 60_000;
  });
  afterAll(() => sandbox?.stop());

  async function client(company = realm): Promise<QuickBooks> {
    const { access_token } = await control(`/quickbooks/${company}/tokens`, "POST", {});
    return clientWith(access_token, company);
  }
  function clientWith(token: string, company = realm): QuickBooks {
    // consumerKey, consumerSecret, token, tokenSecret, realmId, useSandbox, debug, minorversion, oauthversion, refreshToken
    return new QuickBooks("client-id", "client-secret", token, false, company, true, false, "75", "2.0", null);
  }

  /** A node-quickbooks finder as a promise: it calls back (err, data). */
  function find(qbo: QuickBooks, entity: Entity, criteria: Json): Promise<Json> {
    return new Promise((resolve, reject) => qbo[FINDERS[entity]](criteria, (err: unknown, data: unknown) => (err ? reject(err) : resolve(data))));
  }

  async function liveIds(entity: Entity): Promise<string[]> {
    const { records } = await control(`/quickbooks/${realm}/ground-truth/${entity}`, "GET");
    return (records as { id: number; deleted: boolean }[]).filter((r) => !r.deleted).map((r) => String(r.id));
  }

  it("pages every entity with STARTPOSITION/MAXRESULTS, ordered by Id, through the client's lower-case queries", async () => {
    const qbo = await client();
    for (const entity of Object.keys(FINDERS) as Entity[]) {
      // fetchAll: the client asks again from STARTPOSITION + limit while a page comes back full.
      const data = await find(qbo, entity, [
        { field: "asc", value: "Id" },
        { field: "limit", value: 100 },
        { field: "fetchAll", value: true },
      ]);
      const ids = ((data.QueryResponse[entity] ?? []) as Json[]).map((item) => item.Id as string);
      expect(ids.length, entity).toBeGreaterThan(0);
      expect(ids, entity).toEqual([...ids].sort((a, b) => Number(a) - Number(b)));
      expect(ids, entity).toEqual(await liveIds(entity));
    }
  });

  it("filters by MetaData.LastUpdatedTime and MetaData.CreateTime with the connector's operators, as the unfiltered listing says", async () => {
    const qbo = await client();
    const all = (
      (
        await find(qbo, "Invoice", [
          { field: "limit", value: 1000 },
          { field: "fetchAll", value: true },
        ])
      ).QueryResponse.Invoice as Json[]
    ).map((item) => ({
      id: item.Id as string,
      updated: Date.parse(item.MetaData.LastUpdatedTime),
      created: Date.parse(item.MetaData.CreateTime),
    }));
    const sorted = (times: number[]) => [...times].sort((a, b) => a - b);
    const updatedSince = sorted(all.map((r) => r.updated))[Math.floor(all.length * 0.8)];
    const [windowStart, windowEnd] = [
      sorted(all.map((r) => r.created))[Math.floor(all.length * 0.3)],
      sorted(all.map((r) => r.created))[Math.floor(all.length * 0.6)],
    ];
    const qboTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
    const cases = [
      {
        criteria: [{ field: "MetaData.LastUpdatedTime", value: qboTime(updatedSince), operator: ">=" }],
        keep: (r: (typeof all)[number]) => r.updated >= updatedSince,
      },
      {
        criteria: [
          { field: "Metadata.CreateTime", value: qboTime(windowStart), operator: ">=" },
          { field: "Metadata.CreateTime", value: qboTime(windowEnd), operator: "<" },
        ],
        keep: (r: (typeof all)[number]) => r.created >= windowStart && r.created < windowEnd,
      },
    ];
    for (const { criteria, keep } of cases) {
      const data = await find(qbo, "Invoice", [...criteria, { field: "asc", value: "Id" }, { field: "limit", value: 50 }, { field: "fetchAll", value: true }]);
      const expected = all.filter(keep).map((r) => r.id);
      expect(expected.length).toBeGreaterThan(50);
      expect(((data.QueryResponse.Invoice ?? []) as Json[]).map((item) => item.Id)).toEqual(expected);
    }
  });

  it("counts with the client's count criterion (select count(*)), the whole entity and a creation window, answering totalCount", async () => {
    const qbo = await client();
    const all = (
      await find(qbo, "Invoice", [
        { field: "limit", value: 1000 },
        { field: "fetchAll", value: true },
      ])
    ).QueryResponse.Invoice as Json[];
    const counted = await find(qbo, "Invoice", { count: true });
    expect(counted.QueryResponse).toEqual({ totalCount: all.length });
    expect(all.map((item) => item.Id).sort()).toEqual((await liveIds("Invoice")).sort());
    const created = all.map((item) => Date.parse(item.MetaData.CreateTime)).sort((a, b) => a - b);
    const [start, end] = [created[Math.floor(created.length * 0.25)], created[Math.floor(created.length * 0.75)]];
    const qboTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
    const windowed = await find(qbo, "Invoice", [
      { count: true },
      { field: "Metadata.CreateTime", value: qboTime(start), operator: ">=" },
      { field: "Metadata.CreateTime", value: qboTime(end), operator: "<" },
    ]);
    expect(windowed.QueryResponse.totalCount).toBe(created.filter((time) => time >= start && time < end).length);
  });

  it("reports deletions through change data capture, which queries never return", async () => {
    const qbo = await client();
    const since = new Date(now);
    now += 5_000;
    const [first, second, third] = (await liveIds("Bill")).slice(10, 13).map(Number);
    await control(`/quickbooks/${realm}/changes`, "POST", {
      operations: [
        { op: "update", object: "Bill", id: first, data: { PrivateNote: "changed" } },
        { op: "delete", object: "Bill", id: second },
        { op: "delete", object: "Bill", id: third },
      ],
    });
    now += 5_000;
    const data: Json = await new Promise((resolve, reject) => qbo.changeDataCapture(["Bill"], since, (err, body) => (err ? reject(err) : resolve(body))));
    const changed = data.CDCResponse[0].QueryResponse[0].Bill as Json[];
    expect(changed.map((item) => [item.Id, item.status ?? null]).sort()).toEqual([
      [String(first), null],
      [String(second), "Deleted"],
      [String(third), "Deleted"],
    ]);
    const listed = await find(qbo, "Bill", [{ field: "Id", value: [String(first), String(second)], operator: "IN" }]);
    expect((listed.QueryResponse.Bill as Json[]).map((item) => item.Id)).toEqual([String(first)]);
  });

  it("answers a forged or revoked token with QBO's 401 AuthenticationFailed fault", async () => {
    const refused = async (qbo: QuickBooks) => {
      const error: Json = await find(qbo, "Vendor", { limit: 5 }).catch((e: unknown) => e);
      expect(error.response.status).toBe(401);
      expect(error.response.data.fault).toMatchObject({
        type: "AUTHENTICATION",
        error: [{ code: "3200", message: expect.stringContaining("AuthenticationFailed") }],
      });
    };
    await refused(clientWith("forged"));
    const revoked = await client();
    await control(`/quickbooks/${realm}/faults`, "PUT", { revoke_tokens: true });
    await refused(revoked);
  });

  it("answers 429 ThrottlingFault with Retry-After when throttled, then serves again", async () => {
    const qbo = await client();
    await control(`/quickbooks/${realm}/faults`, "PUT", { burst_429: 1 });
    const error: Json = await find(qbo, "Customer", { limit: 5 }).catch((e: unknown) => e);
    expect(error.response.status).toBe(429);
    expect(error.response.headers["retry-after"]).toBe("1");
    expect(error.response.data.Fault).toMatchObject({ type: "ThrottlingFault", Error: [{ code: "3001" }] });
    expect((await find(qbo, "Customer", { limit: 5 })).QueryResponse.Customer).toHaveLength(5);
  });

  it("answers 403 for a company whose subscription ended", async () => {
    await control("", "POST", { platform: "quickbooks", id: "9130354", size: 20, seed: 2, rate_limited: false });
    const qbo = await client("9130354");
    await control("/quickbooks/9130354/faults", "PUT", { closed: true });
    const error: Json = await find(qbo, "Account", { limit: 5 }).catch((e: unknown) => e);
    expect(error.response.status).toBe(403);
    expect(error.response.data.Fault.type).toBe("AuthorizationFault");
  });
});
