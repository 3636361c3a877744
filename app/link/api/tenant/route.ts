import { z } from "zod";
import { linkEndpoint } from "@/lib/link/http";
import { chooseAccount } from "@/lib/link/sessions";
import { getEngine } from "@/lib/sync/engine";

export const dynamic = "force-dynamic";

// Xero's tenant ids are UUIDs; 255 leaves room for any platform that offers a choice.
const schema = z.object({ token: z.string().min(1), tenant_id: z.string().min(1, "choose one of the accounts").max(255) });

/** POST /link/api/tenant — the end user picked one of the accounts (Xero organisations) their sign-in covers. */
export const POST = (request: Request) =>
  linkEndpoint(request, schema, async (body) => {
    const success = await chooseAccount(getEngine(), body.token, body.tenant_id, "tenant_id");
    return { public_token: success.publicToken, metadata: success.metadata };
  });
