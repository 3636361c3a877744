import { serve } from "inngest/next";
import { inngest, inngestMode, serveInDevMode } from "@/inngest/client";
import { functions } from "@/inngest/functions";

const handlers = serve({ client: inngest, functions });

// Production without Inngest keys: the embedded worker does the work, and an unsigned endpoint
// that runs functions must not be exposed.
const enabled = inngestMode() !== "embedded" || serveInDevMode();

function notConfigured() {
  return Response.json(
    {
      error_type: "NOT_CONFIGURED",
      error_code: "INNGEST_NOT_CONFIGURED",
      error_message: "Inngest is not configured (set INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY): the embedded worker runs Tributary's work",
    },
    { status: 503 },
  );
}

export const GET = enabled ? handlers.GET : notConfigured;
export const POST = enabled ? handlers.POST : notConfigured;
export const PUT = enabled ? handlers.PUT : notConfigured;
