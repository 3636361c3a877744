import { serve } from "inngest/next";
import { devModeCallRefusal, inngest, inngestMode, serveInDevMode } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { ApiError, errorResponse } from "@/lib/api/errors";

const handlers = serve({ client: inngest, functions });

// Production without Inngest keys: the embedded worker does the work, and an unsigned endpoint
// that runs functions must not be exposed.
const enabled = inngestMode() !== "embedded" || serveInDevMode();
// Dev mode checks no signatures: only calls from this machine get through.
const unsigned = serveInDevMode();

type Handler = (typeof handlers)["GET"];

function onlyFromThisMachine(handler: Handler): Handler {
  return (request, context) => {
    const refusal = devModeCallRefusal(request);
    if (!refusal) return handler(request, context);
    const message = `Inngest dev mode runs functions without checking signatures, so it answers only calls from this machine: ${refusal}. Run the Inngest dev server on this machine, or use signed calls (INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY, without INNGEST_DEV)`;
    return Promise.resolve(errorResponse(new ApiError(403, "AUTHENTICATION_ERROR", "INNGEST_CALL_REFUSED", message)));
  };
}

async function notConfigured() {
  return Response.json(
    {
      error_type: "NOT_CONFIGURED",
      error_code: "INNGEST_NOT_CONFIGURED",
      error_message: "Inngest is not configured (set INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY): the embedded worker runs Tributary's work",
    },
    { status: 503 },
  );
}

const served = (handler: Handler): Handler => (!enabled ? notConfigured : unsigned ? onlyFromThisMachine(handler) : handler);

export const GET = served(handlers.GET);
export const POST = served(handlers.POST);
export const PUT = served(handlers.PUT);
