// The Inngest client. Which engine runs Tributary's work:
// - "dev": INNGEST_DEV=1, a local Inngest dev server (`npx inngest-cli@latest dev -u http://localhost:3000/api/inngest`);
// - "cloud": INNGEST_EVENT_KEY + INNGEST_SIGNING_KEY, Inngest cloud or a self-hosted Inngest;
// - "embedded": neither; the embedded worker runs the same lib/ work from the database.
import { Inngest } from "inngest";
import { isLoopbackAddress, peerAddress } from "@/lib/http/peer-address";

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

/**
 * Why a call to the served endpoint is refused while it serves in dev mode, or null. Dev mode runs
 * functions without checking signatures (the SDK checks them only in cloud mode, even with
 * INNGEST_SIGNING_KEY set), so only a dev server on this machine may call: the socket's address must
 * be loopback, and the call must not come through a proxy on this machine (a forwarding header the
 * socket's address does not match) nor from a web page (an Origin header: a site open in the
 * developer's browser reaches localhost too).
 */
export function devModeCallRefusal(request: Request): string | null {
  const peer = peerAddress(request);
  if (!peer) return "the caller's address is unknown (the app was not started with `npm run dev` or `npm start`)";
  if (!isLoopbackAddress(peer)) return `the call came from ${peer}, not from this machine`;
  const forwardedFor = request.headers.get("x-forwarded-for");
  if (request.headers.has("forwarded") || request.headers.has("x-real-ip") || (forwardedFor !== null && forwardedFor !== peer))
    return "the call was forwarded by a proxy";
  if (request.headers.has("origin")) return "the call came from a web page";
  return null;
}

export const inngest = new Inngest({ id: "tributary", isDev: serveInDevMode() });
