// The API's rate limit across processes: three API server processes on one database, a burst from one
// organization fired at all three at once. The organization gets the configured rate in total (its
// burst plus the refill over the burst's duration), not three times it, and every refusal is the
// API's 429 with Retry-After.
import type { ChildProcess } from "node:child_process";
import { spawnTsx } from "@/lib/child-process.testing";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganizationWithOwner } from "@/lib/db/seed";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "@/lib/db/testing";
import { createApiKey } from "./keys";

const CHILD = path.join(import.meta.dirname, "rate-limit.child.ts");
const PROCESSES = 3;
// 5 requests per second, bursts of 10: a burst of 30 per process would get 30 through with a bucket
// per process, and 10 plus the refill with the shared one.
const RATE = 5;
const BURST = 10;
const PER_PROCESS = 30;

describe.each(testDatabaseKinds())("the API's rate limit across three processes (%s)", (kind) => {
  let database: TestDatabase;
  let authorization: string;
  const children: ChildProcess[] = [];
  const ports: number[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const { organization } = await createOrganizationWithOwner(database.db, {
      name: "Burst",
      slug: "burst",
      owner: { email: "b@example.com", name: "B", passwordHash: "x" },
    });
    const key = await createApiKey(database.db, { organizationId: organization.id, environment: "sandbox", name: "Burst" });
    authorization = `Basic ${Buffer.from(`${key.clientId}:${key.secret}`).toString("base64")}`;
    for (let i = 0; i < PROCESSES; i++) {
      const api = spawnTsx(CHILD, { DATABASE_URL: database.url, TRIBUTARY_API_RATE_LIMIT: String(RATE) });
      children.push(api.child);
      ports.push(Number((await api.waitFor(/listening (\d+)/))[1]));
    }
    // One request to each, from another organization's point of view (none): the processes have
    // compiled their routes and opened their pools before the burst is timed.
    await Promise.all(ports.map((port) => fetch(`http://127.0.0.1:${port}/api/v1/connections`).then((r) => r.arrayBuffer())));
  }, 120_000);
  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    await database?.close();
  });

  it("lets a burst from one organization through at the configured rate in total, not once per process", async () => {
    const started = performance.now();
    const answers = await Promise.all(
      ports.flatMap((port) =>
        Array.from({ length: PER_PROCESS }, async () => {
          const response = await fetch(`http://127.0.0.1:${port}/api/v1/connections`, { headers: { authorization } });
          const body = (await response.json()) as { error_code?: string };
          return { port, status: response.status, retryAfter: response.headers.get("retry-after"), limit: response.headers.get("x-ratelimit-limit"), body };
        }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const allowed = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(allowed.length + refused.length).toBe(PROCESSES * PER_PROCESS);
    // The burst, and what refilled while the requests were served; a bucket per process would have let
    // each process's whole burst through (3 × 10 at least).
    expect(allowed.length).toBeGreaterThanOrEqual(BURST);
    expect(allowed.length).toBeLessThanOrEqual(BURST + Math.ceil(RATE * seconds) + 1);
    expect(allowed.length).toBeLessThan(PROCESSES * BURST);
    // Every process refused some: the bucket they spend is one.
    for (const port of ports) expect(refused.some((a) => a.port === port)).toBe(true);
    for (const answer of refused) {
      expect(answer.body.error_code).toBe("RATE_LIMIT_EXCEEDED");
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(answer.limit).toBe(String(BURST));
    }
    console.log(`${kind}: ${allowed.length} of ${answers.length} allowed in ${seconds.toFixed(2)} s (rate ${RATE}/s, burst ${BURST})`);
  });
});
