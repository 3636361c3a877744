// Every five minutes, proves the Inngest → Tributary path works end to end: Inngest calls the serve
// endpoint, which reaches the database. Its output is visible in the Inngest dashboard.
import { inngest } from "../client";
import { getDb } from "@/lib/db/client";
import { checkHealth } from "@/lib/health";

export const heartbeat = inngest.createFunction({ id: "heartbeat", name: "Heartbeat", triggers: [{ cron: "*/5 * * * *" }], retries: 0 }, async ({ step }) =>
  step.run("check-health", () => checkHealth(getDb())),
);
