// Zendesk's rate limits on the sandbox server over HTTP: the account's per-minute limit and, on top of
// it, the incremental exports' own limit (10 requests a minute), both scaled by the account's
// rate_limit_scale, with Zendesk's 429 body and Retry-After.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_PLATFORMS } from "@/lib/sandbox/platforms";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";

describe("Zendesk rate limits", () => {
  let now = Date.UTC(2026, 10, 1, 12);
  let sandbox: SandboxServer;
  const control = (path: string, body: unknown) =>
    fetch(`${sandbox.url}/control/accounts${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: SANDBOX_PLATFORMS, clock: () => now });
  });
  afterAll(() => sandbox?.stop());

  async function desk(id: string, scale: number) {
    expect((await control("", { platform: "zendesk", id, size: 200, seed: 4, rate_limit_scale: scale })).status).toBe(201);
    now += 120_000; // the history is older than the exports' last minute
    const { access_token } = (await (await control(`/zendesk/${id}/tokens`, {})).json()) as { access_token: string };
    const get = (path: string) => fetch(`${sandbox.url}/zendesk/${id}${path}`, { headers: { Authorization: `Bearer ${access_token}` } });
    const exportPage = () => get(`/api/v2/incremental/tickets/cursor.json?start_time=${Math.floor((now - 86_400_000) / 1000)}`);
    return { get, exportPage };
  }

  it("allows 10 incremental export requests a minute, then answers 429 with Zendesk's body and Retry-After while other endpoints still answer", async () => {
    const { get, exportPage } = await desk("exports", 1);
    for (let i = 0; i < 10; i++) expect((await exportPage()).status).toBe(200);
    now += 20_000;
    const refused = await exportPage();
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({
      error: "APIRateLimitExceeded",
      description: "Number of allowed incremental export API requests per minute exceeded",
    });
    expect(refused.headers.get("retry-after")).toBe("40");
    expect(refused.headers.get("x-rate-limit")).toBe("700");
    // The time-based exports share the limit; list endpoints only count against the account's.
    expect((await get("/api/v2/incremental/organizations.json?start_time=0")).status).toBe(429);
    expect((await get("/api/v2/tickets.json")).status).toBe(200);
    now += 40_000;
    expect((await exportPage()).status).toBe(200);
  });

  it("scales the export limit with the account's rate_limit_scale, as the account's own limit", async () => {
    const { get, exportPage } = await desk("scaled", 3);
    for (let i = 0; i < 30; i++) expect((await exportPage()).status).toBe(200);
    expect((await exportPage()).status).toBe(429);
    const list = await get("/api/v2/users.json");
    expect(list.headers.get("x-rate-limit")).toBe("2100");
    now += 60_000;
    const small = await desk("small", 0.01);
    expect((await small.exportPage()).status).toBe(200); // never below one request a minute
    expect((await small.exportPage()).status).toBe(429);
  });

  it("answers the account's own 429 when the account's limit is reached first", async () => {
    const { get } = await desk("account", 0.01); // 7 requests a minute
    for (let i = 0; i < 7; i++) expect((await get("/api/v2/users.json")).status).toBe(200);
    const refused = await get("/api/v2/incremental/users/cursor.json?start_time=0");
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: "APIRateLimitExceeded", description: "Number of allowed API requests per minute exceeded" });
  });
});
