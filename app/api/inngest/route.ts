import { serve } from "inngest/next";
import { devModeCallRefusal, inngest, inngestMode, serveInDevMode } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { ApiError, errorResponse } from "@/lib/api/errors";
import { BodyTooLargeError, bodyTooLargeResponse, readBodyText } from "@/lib/input";

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
    return Promise.resolve(errorResponse(new ApiError("INNGEST_CALL_REFUSED", message)));
  };
}

/**
 * Inngest's largest call: a function's whole run state (its events and every step's output), which
 * Inngest caps at 32 MB (inngest.com/docs/usage-limits/inngest), plus the envelope around it. The
 * SDK would read any body whole before checking its signature, so it is bounded here first.
 */
export const INNGEST_BODY_LIMIT = 34 * 1024 * 1024;

function bounded(handler: Handler): Handler {
  return async (request, context) => {
    let body: string;
    try {
      body = await readBodyText(request, INNGEST_BODY_LIMIT);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return bodyTooLargeResponse(error);
      throw error;
    }
    return handler(new Request(request.url, { method: request.method, headers: request.headers, body: body || undefined }) as typeof request, context);
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
export const POST = served(bounded(handlers.POST));
export const PUT = served(bounded(handlers.PUT));
