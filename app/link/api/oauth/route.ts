import { z } from "zod";
import { linkEndpoint } from "@/lib/link/http";
import { startOAuth } from "@/lib/link/sessions";
import { getEngine } from "@/lib/sync/engine";

export const dynamic = "force-dynamic";

const schema = z.object({ token: z.string().min(1), platform: z.string().min(1), account: z.string().max(255).optional() });

/** POST /link/api/oauth — where the sign-in window goes: the platform's consent page. */
export const POST = (request: Request) =>
  linkEndpoint(request, schema, async (body) => ({
    authorize_url: await startOAuth(getEngine(), body.token, { platform: body.platform, account: body.account }),
  }));
