// The platform limits across processes: three processes on one database send requests to the sandbox
// through their own RequestLimiter on the shared buckets, as the platform session does (acquire, send,
// block on a 429). Together they stay within one connection's allowance when all three fetch for that
// connection (an Inngest sync's pages can land on any app process), within the platform budget of
// TRIBUTARY_PLATFORM_BUDGETS when each fetches for its own connection, and Shopify's emulated REST
// bucket (40, leaking 2 a second) answers them no 429. With a bucket per process each of these fails
// (99 requests for one QuickBooks connection where 35 fit, 69 under a budget of 25, 429s from Shopify).
// QuickBooks' emulated limit is a window of a minute, which a test of seconds cannot overflow: there
// the requests are counted as sent, by instant, against the allowance. Within one process, a budget
// on the shared buckets goes round-robin between connections, and a request under it costs one statement.
import { spawnTsx } from "@/lib/child-process.testing";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, rawPool, rawQuery } from "@/lib/db/client";
import { testDatabaseKinds } from "@/lib/db/testing";
import { sharedBuckets } from "@/lib/db/shared-bucket";
import { Prisma } from "@/lib/generated/prisma/client";
import { SANDBOX_OAUTH_CLIENT } from "./credentials";
import { RequestLimiter } from "./limiter";
import { createSyncHarness, type SyncHarness } from "./testing";

const CHILD = path.join(import.meta.dirname, "limiter.child.ts");
const SECONDS = 3;

interface Sent {
  sent: number[];
  statuses: Record<string, number>;
}

const QUICKBOOKS = { PLATFORM: "quickbooks", REQUEST_PATH: `/query?minorversion=75&query=${encodeURIComponent("SELECT * FROM Customer MAXRESULTS 1")}` };
const answered = (results: Sent[], status: number) => results.reduce((sum, r) => sum + (r.statuses[status] ?? 0), 0);

/** The most instants within any `ms` window. */
function busiest(instants: number[], ms: number): number {
  const sorted = [...instants].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe.each(testDatabaseKinds())("platform limits across three processes (%s)", (kind) => {
  let h: SyncHarness;

  beforeAll(async () => {
    h = await createSyncHarness({ kind });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  /** A QuickBooks account and connection, and a token of its own for the children. */
  async function account(id: string, rateLimited: boolean, platform = "quickbooks"): Promise<string> {
    const connectionId = await h.connect(platform, { id, size: 5, rate_limited: rateLimited });
    const token = (await (await h.control(`/${platform}/${id}/tokens`, "POST", { client_secret: SANDBOX_OAUTH_CLIENT.clientSecret })).json()) as {
      access_token: string;
    };
    return `${connectionId}=${id}=${token.access_token}`;
  }

  /** Three children, each fetching for its connections for SECONDS, started at one instant. */
  async function run(connections: string[][], env: Record<string, string>): Promise<Sent[]> {
    const children = connections.map((own) =>
      spawnTsx(
        CHILD,
        { DATABASE_URL: h.database.url, SANDBOX_URL: h.sandbox.url, CONNECTIONS: own.join(","), SECONDS: String(SECONDS), ...env },
        { stdin: true },
      ),
    );
    await Promise.all(children.map((child) => child.waitFor(/ready/)));
    for (const { child } of children) child.stdin!.end("go\n");
    return Promise.all(
      children.map(async (child) => {
        const code = await child.exited;
        if (code !== 0) throw new Error(`child exited (${code}): ${child.stderr()}`);
        return JSON.parse(child.stdout().split("\n").at(-2)!) as Sent;
      }),
    );
  }

  it("shares a budget on the shared buckets round-robin between connections that each acquire one request at a time", async () => {
    const platform = `fair-${kind}`;
    const limiter = new RequestLimiter({
      scale: 100,
      platformBudgets: { [platform]: { requestsPerSecond: 200, burst: 1 } },
      buckets: sharedBuckets(h.database.db),
    });
    const granted: Record<string, number> = { big: 0, "small-1": 0, "small-2": 0 };
    const end = Date.now() + 1000;
    const loop = async (key: string, delayStart = 0) => {
      await new Promise((resolve) => setTimeout(resolve, delayStart));
      while (Date.now() < end) {
        await limiter.acquire(platform, { requestsPerSecond: 1000, burst: 10 }, `${platform}-${key}`);
        granted[key]++;
      }
    };
    // A busy connection that starts first cannot crowd out the ones that join later: the budget's row
    // serves reservations in the order made, and each connection makes its next after its last is due.
    await Promise.all([loop("big"), loop("small-1", 200), loop("small-2", 200)]);
    const { big, "small-1": small1, "small-2": small2 } = granted;
    expect(big + small1 + small2).toBeLessThanOrEqual(205);
    // After the first 200 ms the three alternate: each gets about a third of the remaining 800 ms.
    for (const count of [small1, small2]) expect(count).toBeGreaterThanOrEqual(Math.floor((big - 40) * 0.6));
    // Alike within a quarter (on PGlite, one session for all, they came 4 and 8 apart at about 55 each).
    expect(Math.abs(small1 - small2)).toBeLessThanOrEqual(Math.max(3, Math.ceil(0.25 * ((small1 + small2) / 2))));
    console.log(`${kind}: budget 200/s shared by three connections of one process: ${big} + ${small1} + ${small2}`);
  });

  it("reserves a request's connection bucket and platform budget in one statement", async () => {
    // A client of its own, whose shared buckets have just started (and so prune nothing yet).
    const db = createDb(h.database.url, { max: 2 });
    try {
      const platform = `one-statement-${kind}`;
      // Slow refills, so that the levels read after show the takes: the connection's bucket holds 4 (97% of 5).
      const limiter = new RequestLimiter({ platformBudgets: { [platform]: { requestsPerSecond: 1, burst: 10 } }, buckets: sharedBuckets(db) });
      const allowance = { requestsPerSecond: 1, burst: 5 };
      await limiter.acquire(platform, allowance, "warm");
      const query = vi.spyOn(rawPool(db), "query");
      for (let i = 0; i < 3; i++) await limiter.acquire(platform, allowance, "conn");
      expect(query).toHaveBeenCalledTimes(3);
      const { rows } = await rawQuery<{ key: string; tokens: number }>(
        db,
        Prisma.sql`select key, tokens from rate_limit_buckets where key in (${"connection:conn"}, ${`platform:${platform}`}) order by key`,
      );
      // Both buckets took the three requests, and the platform's the warm-up's too.
      expect(rows.map((r) => [r.key, Math.floor(r.tokens)])).toEqual([
        ["connection:conn", 1],
        [`platform:${platform}`, 6],
      ]);
    } finally {
      await rawPool(db).end();
    }
  });

  it("keeps one connection within its platform allowance when three processes fetch for it", async () => {
    const connection = await account(`qb-shared-${kind}`, true);
    const results = await run([[connection], [connection], [connection]], { ...QUICKBOOKS, SCALE: "1" });
    const sent = results.flatMap((r) => r.sent);
    // QuickBooks' 500 a minute with the 0.97 margin: 8.08 per second, bursts of 9 — for the three together.
    const [rate, burst] = [(500 / 60) * 0.97, 9];
    expect(sent.length).toBeLessThanOrEqual(burst + Math.ceil(rate * SECONDS) + 1);
    expect(busiest(sent, 1000)).toBeLessThanOrEqual(burst + Math.ceil(rate) + 1);
    // Each process got a share, and the platform refused none.
    for (const result of results) expect(result.sent.length).toBeGreaterThan(3);
    expect(answered(results, 200)).toBe(sent.length);
    console.log(`${kind}: one connection, ${sent.length} requests in ${SECONDS} s from three processes (${results.map((r) => r.sent.length).join(" + ")})`);
  }, 60_000);

  it("keeps a platform's connections within TRIBUTARY_PLATFORM_BUDGETS when three processes fetch for them", async () => {
    const connections = [await account(`qb-budget-a-${kind}`, false), await account(`qb-budget-b-${kind}`, false), await account(`qb-budget-c-${kind}`, false)];
    // Each connection's own allowance 100 times QuickBooks' (808 per second): only the budget limits.
    const results = await run(
      connections.map((c) => [c]),
      { ...QUICKBOOKS, SCALE: "100", TRIBUTARY_PLATFORM_BUDGETS: "quickbooks=6" },
    );
    const sent = results.flatMap((r) => r.sent);
    expect(sent.length).toBeLessThanOrEqual(6 + 6 * SECONDS + 1);
    expect(busiest(sent, 1000)).toBeLessThanOrEqual(6 + 6 + 1);
    // Shared about evenly: the budget serves reservations in the order made, and each connection holds
    // at most two (its two requests in flight).
    for (const result of results) expect(result.sent.length).toBeGreaterThanOrEqual(4);
    console.log(`${kind}: budget 6/s, ${sent.length} requests in ${SECONDS} s from three processes (${results.map((r) => r.sent.length).join(" + ")})`);
  }, 60_000);

  it("sends the platform no request beyond its bucket: Shopify's REST leaky bucket answers three processes no 429", async () => {
    // The emulator's REST bucket: 40 requests, leaking 2 a second. Three processes spending one
    // connection's allowance of that shape (97% of it: 38, 1.94 a second) empty it together and never
    // overflow it; with a bucket each, they would send three bursts of 38 into it.
    const connection = await account(`rest-shop-${kind}`, true, "shopify");
    const results = await run([[connection], [connection], [connection]], {
      PLATFORM: "shopify",
      REQUEST_PATH: "/admin/api/2026-10/products/count.json",
      ALLOWANCE: JSON.stringify({ requestsPerSecond: 2, burst: 40 }),
    });
    const sent = results.flatMap((r) => r.sent);
    expect(answered(results, 429)).toBe(0);
    expect(answered(results, 200)).toBe(sent.length);
    expect(sent.length).toBeGreaterThanOrEqual(38);
    expect(sent.length).toBeLessThanOrEqual(38 + Math.ceil(1.94 * SECONDS) + 1);
    console.log(
      `${kind}: Shopify REST, ${sent.length} requests in ${SECONDS} s from three processes, statuses ${JSON.stringify(results.map((r) => r.statuses))}`,
    );
  }, 60_000);
});
