// The Inngest client. With INNGEST_DEV=1 it talks to a local Inngest dev server; with
// INNGEST_EVENT_KEY + INNGEST_SIGNING_KEY to Inngest cloud or a self-hosted Inngest. Without either,
// the embedded worker runs the same lib/ work and these functions are only served, not triggered.
import { Inngest } from "inngest";

export const inngest = new Inngest({
  id: "tributary",
  isDev: process.env.INNGEST_DEV === "1" || process.env.INNGEST_DEV === "true",
});

/** Whether work is routed through Inngest instead of the embedded worker. */
export function inngestConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.INNGEST_DEV === "1" || env.INNGEST_DEV === "true" || Boolean(env.INNGEST_EVENT_KEY && env.INNGEST_SIGNING_KEY);
}
