import { z } from "zod";
import { linkEndpoint } from "@/lib/link/http";
import { startRelinkSession } from "@/lib/link/sessions";
import { getEngine } from "@/lib/sync/engine";

export const dynamic = "force-dynamic";

const schema = z.object({ relink: z.string().min(1).max(200) });

/** POST /link/api/relink — the end user starts re-linking from a re-link URL: its session, made now. */
export const POST = (request: Request) =>
  linkEndpoint(request, schema, async (body) => {
    const session = await startRelinkSession(getEngine(), body.relink);
    return { token: session.token, expires_at: session.expiresAt.toISOString() };
  });
