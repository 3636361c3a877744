// The process the write crash test kills: one POST through the API's write route, exactly as the app
// serves it (the route module, its auth, its Idempotency-Key claim, the platform session), then exits 0.
// Run with tsx; configured by environment variables so the parent can point it at its database, sandbox
// and clock.
import { POST } from "@/app/api/v1/[category]/[object]/route";
import { createDb } from "@/lib/db/client";
import { createSyncEngine, provideEngine } from "@/lib/sync/engine";
import { RequestLimiter } from "@/lib/sync/limiter";
import { ApiRateLimiter, provideApiRateLimiter } from "./rate-limit";

const { DATABASE_URL, SANDBOX_URL, CLOCK_OFFSET_MS, WRITE_URL, WRITE_BODY, WRITE_KEY, WRITE_AUTHORIZATION } = process.env;
if (!DATABASE_URL || !SANDBOX_URL || !WRITE_URL || !WRITE_BODY || !WRITE_KEY || !WRITE_AUTHORIZATION) {
  throw new Error("DATABASE_URL, SANDBOX_URL, WRITE_URL, WRITE_BODY, WRITE_KEY and WRITE_AUTHORIZATION are required");
}
const offset = Number(CLOCK_OFFSET_MS ?? 0);
const db = createDb(DATABASE_URL, { max: 2 });
provideEngine(createSyncEngine({ db, sandboxUrl: SANDBOX_URL, clock: () => Date.now() + offset, limiter: new RequestLimiter({ scale: 1000 }) }));
provideApiRateLimiter(new ApiRateLimiter({ requestsPerSecond: 1e6, burst: 1e6 }));
const [category, object] = new URL(WRITE_URL).pathname.split("/").slice(-2);
const response = await POST(
  new Request(WRITE_URL, {
    method: "POST",
    headers: { authorization: WRITE_AUTHORIZATION, "content-type": "application/json", "idempotency-key": WRITE_KEY },
    body: WRITE_BODY,
  }),
  { params: Promise.resolve({ category, object }) },
);
process.stdout.write(`answered ${response.status}\n`);
await db.$disconnect();
process.exit(0);
