// An app process for the tests that kill one: Tributary's /api/inngest on 127.0.0.1:APP_PORT, in dev
// mode towards the test executor at INNGEST_BASE_URL, its sync engine on DATABASE_URL and
// SANDBOX_URL (the sandbox's clock offset in CLOCK_OFFSET_MS). Prints "serving" once it answers.
import { createDb } from "@/lib/db/client";
import { createSyncEngine, provideEngine } from "@/lib/sync/engine";
import { RequestLimiter } from "@/lib/sync/limiter";
import { serveRoute, type RouteHandler } from "./app-server";
import { loadTributaryRoute } from "./executor";

const { DATABASE_URL, SANDBOX_URL, APP_PORT, CLOCK_OFFSET_MS, INNGEST_BASE_URL } = process.env;
if (!DATABASE_URL || !SANDBOX_URL || !APP_PORT || !INNGEST_BASE_URL) throw new Error("DATABASE_URL, SANDBOX_URL, APP_PORT and INNGEST_BASE_URL are required");
process.env.INNGEST_DEV = "1";
const offset = Number(CLOCK_OFFSET_MS ?? 0);
const db = createDb(DATABASE_URL, { max: 3 });
provideEngine(createSyncEngine({ db, sandboxUrl: SANDBOX_URL, clock: () => Date.now() + offset, limiter: new RequestLimiter({ scale: 1000 }) }));
const route = await loadTributaryRoute();
await serveRoute(route as Partial<Record<"GET" | "POST" | "PUT", RouteHandler>>, "/api/inngest", Number(APP_PORT));
process.stdout.write("serving\n");
