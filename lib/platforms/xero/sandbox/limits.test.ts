// Xero's limits on the emulator over HTTP, scaled per account so tests reach them in a few calls: the
// headers on every answer, 5 calls in progress (the slot freed when the answer is written), the
// rolling day, and a page of a million-record organisation answered by arithmetic.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxServer, type SandboxServer } from "@/lib/sandbox/server";
import { xero } from "./platform";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const IDS = { busy: "11111111-2222-4333-8444-000000000001", daily: "11111111-2222-4333-8444-000000000002", big: "11111111-2222-4333-8444-000000000003" };

describe("Xero limits and scale on the emulator", () => {
  let now = Date.UTC(2026, 10, 1, 12);
  let sandbox: SandboxServer;
  const tokens: Record<string, string> = {};

  const control = async (path: string, method: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/control/accounts${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json().catch(() => null)) as Json;
  };
  const get = (tenant: string, path: string) =>
    fetch(`${sandbox.url}/xero/api.xro/2.0${path}`, {
      headers: { Accept: "application/json", "xero-tenant-id": tenant, Authorization: `Bearer ${tokens[tenant]}` },
    });

  beforeAll(async () => {
    sandbox = await startSandboxServer({ platforms: [xero], clock: () => now });
    await control("", "POST", { platform: "xero", id: IDS.busy, size: 100, seed: 1 });
    // 0.002 of Xero's allowance: 10 calls a day, 1 a minute, 1 in progress.
    await control("", "POST", { platform: "xero", id: IDS.daily, size: 100, seed: 2, rate_limit_scale: 0.002 });
    await control("", "POST", { platform: "xero", id: IDS.big, size: 1_000_000, seed: 3, rate_limited: false });
    for (const id of Object.values(IDS)) await issueToken(id);
  });
  /** Tokens live an hour: tests that move the clock by a day take a new one. */
  const issueToken = async (tenant: string) => (tokens[tenant] = (await control(`/xero/${tenant}/tokens`, "POST", {})).access_token);
  afterAll(() => sandbox?.stop());

  it("every answer reports the day, minute and app-minute allowance left", async () => {
    const first = await get(IDS.busy, "/Contacts?page=1");
    expect(first.status).toBe(200);
    expect(first.headers.get("x-daylimit-remaining")).toBe("4999");
    expect(first.headers.get("x-minlimit-remaining")).toBe("59");
    expect(Number(first.headers.get("x-appminlimit-remaining"))).toBeLessThan(10_000);
  });

  it("a sixth call in progress is refused as concurrent; the slots come back when the answers are written", async () => {
    now += 120_000;
    await control(`/xero/${IDS.busy}/faults`, "PUT", { latency_ms: 400 });
    const answers = await Promise.all(Array.from({ length: 7 }, () => get(IDS.busy, "/Invoices?page=1&pageSize=1")));
    const refused = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    expect(refused).toHaveLength(2);
    for (const answer of refused) {
      expect(answer.headers.get("x-rate-limit-problem")).toBe("concurrent");
      expect(answer.headers.get("retry-after")).toBe("1");
    }
    await control(`/xero/${IDS.busy}/faults`, "PUT", { latency_ms: 0 });
    expect((await get(IDS.busy, "/Invoices?page=1&pageSize=1")).status).toBe(200);
  });

  it("the minute and the rolling day: scaled to 1 and 10, the 11th call of the day is refused until the first is 24 hours old", async () => {
    const start = now;
    for (let call = 1; call <= 10; call++) {
      const answer = await get(IDS.daily, "/Accounts");
      expect(answer.status, `call ${call}`).toBe(200);
      expect(answer.headers.get("x-daylimit-remaining")).toBe(String(10 - call));
      if (call === 1) {
        const sameMinute = await get(IDS.daily, "/Accounts");
        expect(sameMinute.status).toBe(429);
        expect(sameMinute.headers.get("x-rate-limit-problem")).toBe("minute");
      }
      now += 61_000;
    }
    const refused = await get(IDS.daily, "/Accounts");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("x-rate-limit-problem")).toBe("day");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(23 * 3600);
    expect(retryAfter).toBeLessThanOrEqual(24 * 3600 - (now - start) / 1000 + 1);
    now = start + 24 * 3600_000 + 1;
    await issueToken(IDS.daily);
    expect((await get(IDS.daily, "/Accounts")).status).toBe(200);
  });

  it("a million-record organisation answers a deep page, filtered or not, in well under a second", async () => {
    await issueToken(IDS.big);
    const description = await control(`/xero/${IDS.big}`, "GET");
    expect(description.counts.Invoice).toBeGreaterThan(300_000);
    for (const query of [
      "/Invoices?page=3000&pageSize=100",
      `/Invoices?page=1500&pageSize=100&where=${encodeURIComponent('Type=="ACCREC" && Status!="DELETED" && Date>=DateTime(2025,06,01)')}`,
      `/Invoices?page=2000&pageSize=100&order=Date&where=${encodeURIComponent('Type=="ACCPAY"')}`,
      "/Contacts?page=500&pageSize=100",
      "/Payments?page=1000&pageSize=100",
    ]) {
      const started = performance.now();
      const answer = await get(IDS.big, query);
      const elapsed = performance.now() - started;
      expect(answer.status, query).toBe(200);
      const body = (await answer.json()) as Json;
      const list = body.Invoices ?? body.Contacts ?? body.Payments;
      expect(list, query).toHaveLength(100);
      expect(body.pagination.itemCount, query).toBeGreaterThan(100_000);
      // Measured 12-67 ms a page here (Invoices page 3000 the slowest: two objects counted by arithmetic).
      expect(elapsed, query).toBeLessThan(1500);
    }
  });
});
