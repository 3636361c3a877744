// QuickBooks Online's count query (Accounting API v3, "Data queries": SELECT COUNT(*) FROM <Entity>
// [WHERE …] → { QueryResponse: { totalCount }, time }) in the emulator, and the connector's count
// capability reading it for a run's progress.
import { describe, expect, it } from "vitest";
import { DAY_MS, Dataset } from "@/lib/sandbox/dataset";
import type { ConnectorContext, UnifiedRecord } from "../types";
import { quickbooksConnector } from "./connector";
import { handleQuickBooks } from "./sandbox/api";
import { QUICKBOOKS_OBJECTS } from "./sandbox/objects";

// Response bodies are QBO's JSON, read field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const ANCHOR = Date.UTC(2026, 10, 1);
const BASE = "https://sandbox.test/quickbooks/v3/company/4620816365";
const ENTITIES = {
  accounts: "Account",
  vendors: "Vendor",
  customers: "Customer",
  bills: "Bill",
  invoices: "Invoice",
  expenses: "Purchase",
  payments: "Payment",
} as const;
// Whole seconds, so the window's WHERE clause (to the second) is the window itself.
const WINDOW = { start: new Date(ANCHOR - 300 * DAY_MS), end: new Date(ANCHOR - 120 * DAY_MS) };

function company() {
  const clock = () => ANCHOR + 3_600_000;
  const dataset = new Dataset({ seed: 3, size: 2500, historyMonths: 18, anchor: ANCHOR }, QUICKBOOKS_OBJECTS, clock);
  const queries: string[] = [];
  // The emulator answers over the Fetch API, as it does behind the sandbox's HTTP server.
  const fetch: typeof globalThis.fetch = async (input) => {
    const url = new URL(String(input));
    if (url.pathname.endsWith("/query")) queries.push(url.searchParams.get("query") ?? "");
    const response = handleQuickBooks(
      { method: "GET", path: url.pathname.slice(new URL(BASE).pathname.length), query: url.searchParams, headers: {}, body: undefined, baseUrl: BASE },
      dataset,
      { now: clock },
    );
    return new Response(JSON.stringify(response.body), { status: response.status, headers: { "content-type": "application/json" } });
  };
  const run = async (query: string) => {
    const response = await fetch(`${BASE}/query?minorversion=75&query=${encodeURIComponent(query)}`);
    return { status: response.status, body: (await response.json()) as Json };
  };
  const context: ConnectorContext = { baseUrl: BASE, credentials: { kind: "oauth", accessToken: "t", refreshToken: null, expiresAt: null, scopes: [] }, fetch };
  /** The live entities, optionally only those created in [start, end). */
  const truth = (entity: string, window?: { start: Date; end: Date }) =>
    [...dataset.groundTruth(entity)]
      .filter((row) => !row.deleted)
      .filter((row) => {
        if (!window) return true;
        const createdAt = dataset.get(entity, row.id)!.createdAt;
        return createdAt >= window.start.getTime() && createdAt < window.end.getTime();
      }).length;
  return { dataset, run, context, queries, truth };
}

const qboTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");
const WHERE = ` WHERE Metadata.CreateTime >= '${qboTime(WINDOW.start)}' AND Metadata.CreateTime < '${qboTime(WINDOW.end)}'`;

describe("QuickBooks' COUNT(*) query", () => {
  it("answers { QueryResponse: { totalCount }, time } with the live entities, deletions lowering it", async () => {
    const { dataset, run, truth } = company();
    for (const entity of Object.values(ENTITIES)) {
      const { status, body } = await run(`SELECT COUNT(*) FROM ${entity}`);
      expect(status).toBe(200);
      expect(Object.keys(body)).toEqual(["QueryResponse", "time"]);
      expect(body.QueryResponse).toEqual({ totalCount: truth(entity) });
      expect(truth(entity)).toBeGreaterThan(0);
      expect(body.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[-+]\d\d:\d\d$/);
    }
    const before = (await run("SELECT COUNT(*) FROM Invoice")).body.QueryResponse.totalCount;
    const victim = [...dataset.groundTruth("Invoice")].find((row) => !row.deleted)!;
    dataset.delete("Invoice", victim.id);
    expect((await run("SELECT COUNT(*) FROM Invoice")).body.QueryResponse.totalCount).toBe(before - 1);
    expect(before - 1).toBe(truth("Invoice"));
  });

  it("counts only the entities created in a window named by Metadata.CreateTime", async () => {
    const { run, truth } = company();
    for (const entity of ["Invoice", "Bill", "Customer"]) {
      const windowed = truth(entity, WINDOW);
      expect(windowed).toBeGreaterThan(0);
      expect(windowed).toBeLessThan(truth(entity));
      expect((await run(`SELECT COUNT(*) FROM ${entity}${WHERE}`)).body.QueryResponse).toEqual({ totalCount: windowed });
    }
  });

  it("backs the connector's count, with the listing's WHERE clause, for every object it lists", async () => {
    const { context, queries, truth } = company();
    for (const [object, entity] of Object.entries(ENTITIES)) {
      queries.length = 0;
      expect(await quickbooksConnector.count!(context, { object })).toBe(truth(entity));
      expect(queries).toEqual([`SELECT COUNT(*) FROM ${entity}`]);
      queries.length = 0;
      expect(await quickbooksConnector.count!(context, { object, window: WINDOW })).toBe(truth(entity, WINDOW));
      expect(queries).toEqual([`SELECT COUNT(*) FROM ${entity}${WHERE}`]);
    }
    queries.length = 0;
    expect(await quickbooksConnector.count!(context, { object: "journal_entries" })).toBeNull();
    expect(queries).toHaveLength(0);
  });

  it("matches what the connector then lists in the same window", async () => {
    const { context } = company();
    const records: UnifiedRecord[] = [];
    for (let cursor: string | null = null; ;) {
      const page = await quickbooksConnector.list(context, { object: "invoices", cursor, window: WINDOW });
      records.push(...page.records);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(records.length).toBeGreaterThan(0);
    expect(await quickbooksConnector.count!(context, { object: "invoices", window: WINDOW })).toBe(records.length);
  });
});
