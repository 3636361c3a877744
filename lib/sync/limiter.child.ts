// A process that sends platform requests through the shared limiter, for the test that runs three on
// one database: for SECONDS it sends GET REQUEST_PATH to PLATFORM's sandbox API for each of CONNECTIONS
// (`<connection id>=<account id>=<access token>`, comma separated), two requests in flight per
// connection as a sync's prefetch does, each after limiter.acquire (with the platform's allowance, or
// ALLOWANCE's) and a 429 answered with limiter.block — what the platform session does. Prints one JSON
// line: the instants it sent at and the answers' statuses.
import { createDb } from "@/lib/db/client";
import { sharedBuckets } from "@/lib/db/shared-bucket";
import { retryAfterMs } from "@/lib/platforms/http";
import { getConnector } from "@/lib/platforms";
import type { RequestRate } from "@/lib/platforms/definition";
import { parsePlatformBudgets } from "./engine";
import { RequestLimiter } from "./limiter";

const { DATABASE_URL, SANDBOX_URL, CONNECTIONS, SECONDS, SCALE, PLATFORM, REQUEST_PATH, ALLOWANCE } = process.env;
if (!DATABASE_URL || !SANDBOX_URL || !CONNECTIONS || !PLATFORM || !REQUEST_PATH) {
  throw new Error("DATABASE_URL, SANDBOX_URL, CONNECTIONS, PLATFORM and REQUEST_PATH are required");
}
const db = createDb(DATABASE_URL, { max: 4 });
const limiter = new RequestLimiter({
  scale: Number(SCALE ?? 1),
  platformBudgets: parsePlatformBudgets(process.env.TRIBUTARY_PLATFORM_BUDGETS),
  buckets: sharedBuckets(db),
});
const connector = getConnector(PLATFORM);
const allowance = ALLOWANCE ? (JSON.parse(ALLOWANCE) as RequestRate) : connector.rateLimit;
const sent: number[] = [];
const statuses: Record<number, number> = {};

process.stdout.write("ready\n");
// Every process starts at the same instant, given by the parent.
await new Promise((resolve) => process.stdin.once("data", resolve));
const end = Date.now() + Number(SECONDS ?? 3) * 1000;
await Promise.all(
  CONNECTIONS.split(",").flatMap((entry) => {
    const [connectionId, accountId, token] = entry.split("=");
    const url = `${connector.endpoints(accountId, SANDBOX_URL).apiBaseUrl}${REQUEST_PATH}`;
    return [0, 1].map(async () => {
      while (Date.now() < end) {
        await limiter.acquire(PLATFORM, allowance, connectionId);
        if (Date.now() >= end) break;
        sent.push(Date.now());
        const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, "x-shopify-access-token": token, accept: "application/json" } });
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.status === 429) await limiter.block(connectionId, retryAfterMs(response.headers.get("retry-after")));
      }
    });
  }),
);
process.stdout.write(`${JSON.stringify({ sent, statuses })}\n`);
process.exit(0);
