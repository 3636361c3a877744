import { z } from "zod";
import { linkEndpoint } from "@/lib/link/http";
import { connectWithApiKey } from "@/lib/link/sessions";
import { getEngine } from "@/lib/sync/engine";

export const dynamic = "force-dynamic";

// An API key is printable ASCII: anything else could not be sent in a header to the platform's check.
const schema = z.object({
  token: z.string().min(1),
  platform: z.string().min(1),
  account: z.string().max(255),
  api_key: z
    .string()
    .max(1000)
    .regex(/^[\x20-\x7e]*$/, "must be printable ASCII characters"),
});

/** POST /link/api/api-key — connects with an API key, checked against the platform first. */
export const POST = (request: Request) =>
  linkEndpoint(request, schema, async (body) => {
    const success = await connectWithApiKey(getEngine(), body.token, { platform: body.platform, account: body.account, apiKey: body.api_key });
    return { public_token: success.publicToken, metadata: success.metadata };
  });
