// The Inngest client. Which engine runs Tributary's work:
// - "dev": INNGEST_DEV=1, a local Inngest dev server (`npx inngest-cli@latest dev -u http://localhost:3000/api/inngest`);
// - "cloud": INNGEST_EVENT_KEY + INNGEST_SIGNING_KEY, Inngest cloud or a self-hosted Inngest;
// - "embedded": neither; the embedded worker runs the same lib/ work from the database.
import { Inngest } from "inngest";

export type InngestMode = "dev" | "cloud" | "embedded";

export function inngestMode(env: Record<string, string | undefined> = process.env): InngestMode {
  if (env.INNGEST_DEV === "1" || env.INNGEST_DEV === "true") return "dev";
  if (env.INNGEST_EVENT_KEY && env.INNGEST_SIGNING_KEY) return "cloud";
  return "embedded";
}

/**
 * In development the serve endpoint answers in dev mode even without a dev server, so its function
 * list can be read. In production without keys it must not: dev mode skips request signatures.
 */
export function serveInDevMode(env: Record<string, string | undefined> = process.env): boolean {
  const mode = inngestMode(env);
  return mode === "dev" || (mode === "embedded" && env.NODE_ENV !== "production");
}

export const inngest = new Inngest({ id: "tributary", isDev: serveInDevMode() });
