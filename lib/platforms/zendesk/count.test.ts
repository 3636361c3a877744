// Zendesk's count endpoints (Support API v2, "Count Tickets", "Count Users", "Count Organizations":
// GET /api/v2/{object}/count.json → { count: { value, refreshed_at } }) in the emulator, and the
// connector's count capability reading them for a run's progress.
import { describe, expect, it } from "vitest";
import { Dataset } from "@/lib/sandbox/dataset";
import { handleZendesk } from "./sandbox/api";
import { ZENDESK_OBJECTS } from "./sandbox/objects";
import { zendeskConnector } from "./connector";
import type { ConnectorContext } from "../types";

const ANCHOR = Date.UTC(2026, 10, 1);
const BASE = "https://sandbox.test/zendesk/acct_1";

function account() {
  const clock = () => ANCHOR + 3_600_000;
  const dataset = new Dataset({ seed: 3, size: 600, historyMonths: 12, anchor: ANCHOR }, ZENDESK_OBJECTS, clock);
  const requests: string[] = [];
  // The emulator answers over the Fetch API, as it does behind the sandbox's HTTP server.
  const fetch: typeof globalThis.fetch = async (input) => {
    const url = new URL(String(input));
    requests.push(url.pathname);
    const response = handleZendesk(
      { method: "GET", path: url.pathname.slice(new URL(BASE).pathname.length), query: url.searchParams, headers: {}, body: undefined, baseUrl: BASE },
      dataset,
      clock,
    );
    return new Response(JSON.stringify(response.body), { status: response.status, headers: { "content-type": "application/json" } });
  };
  const context: ConnectorContext = { baseUrl: BASE, credentials: { kind: "oauth", accessToken: "t", refreshToken: null, expiresAt: null, scopes: [] }, fetch };
  return { dataset, fetch, context, requests };
}

describe("Zendesk's count endpoints", () => {
  it("answer { count: { value, refreshed_at } } with the live records of each object", async () => {
    const { dataset, fetch } = account();
    for (const object of ["tickets", "users", "organizations"]) {
      const response = await fetch(`${BASE}/api/v2/${object}/count.json`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { count: { value: number; refreshed_at: string } };
      expect(Object.keys(body)).toEqual(["count"]);
      expect(body.count.value).toBe([...dataset.groundTruth(object)].filter((row) => !row.deleted).length);
      expect(body.count.value).toBeGreaterThan(0);
      expect(body.count.refreshed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    // Deleting a ticket lowers the count.
    const before = ((await (await fetch(`${BASE}/api/v2/tickets/count.json`)).json()) as { count: { value: number } }).count.value;
    const victim = [...dataset.groundTruth("tickets")].find((row) => !row.deleted)!;
    dataset.delete("tickets", victim.id);
    expect(((await (await fetch(`${BASE}/api/v2/tickets/count.json`)).json()) as { count: { value: number } }).count.value).toBe(before - 1);
  });

  it("back the connector's count, which has none for comments", async () => {
    const { dataset, context, requests } = account();
    expect(await zendeskConnector.count!(context, { object: "tickets" })).toBe([...dataset.groundTruth("tickets")].filter((row) => !row.deleted).length);
    expect(requests).toEqual(["/zendesk/acct_1/api/v2/tickets/count.json"]);
    expect(await zendeskConnector.count!(context, { object: "comments" })).toBeNull();
    expect(requests).toHaveLength(1);
  });
});
