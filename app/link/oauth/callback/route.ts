// The platforms' OAuth redirect: finishes the sign-in, then hands the result to the Link window that
// opened this one (same origin only) and closes. Opened without Link (no opener), it says what happened.
// A sign-in that covered several accounts hands Link their ids and names to pick from, nothing more.
import { textProblem } from "@/lib/input";
import { completeSignIn, LinkError } from "@/lib/link/sessions";
import { getEngine } from "@/lib/sync/engine";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const query = new URL(request.url).searchParams;
  let result: Record<string, unknown>;
  try {
    // A value no state, code or realm id can be (a NUL character) names no sign-in of ours.
    if ([...query.values()].some((value) => textProblem(value)))
      throw new LinkError("LINK_SESSION_NOT_FOUND", "This sign-in answer is malformed. Close this window and try again.");
    const outcome = await completeSignIn(getEngine(), query);
    result = "choice" in outcome ? { ok: true, choice: outcome.choice } : { ok: true, public_token: outcome.publicToken, metadata: outcome.metadata };
  } catch (error) {
    if (!(error instanceof LinkError)) console.error(error);
    const failure =
      error instanceof LinkError
        ? { error_code: error.code, error_message: error.message }
        : { error_code: "INTERNAL_ERROR", error_message: "Something went wrong on our side. Try again." };
    result = { ok: false, error: failure };
  }
  const payload = JSON.stringify({ source: "tributary-link-oauth", ...result }).replace(/</g, "\\u003c");
  const message = !result.ok
    ? String((result.error as { error_message: string }).error_message)
    : result.choice
      ? "Signed in. Choose the account to connect in the Link window."
      : "Connected. You can close this window.";
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Tributary</title>
<style>body{font-family:system-ui,sans-serif;display:flex;min-height:100vh;align-items:center;justify-content:center;margin:0;color:#334155;background:#f8fafc}p{max-width:22rem;text-align:center}</style></head>
<body><p id="message">${message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p>
<script>(function(){var result=${payload};if(window.opener&&!window.opener.closed){window.opener.postMessage(result,window.location.origin);setTimeout(function(){window.close();},50);}})();</script></body></html>`;
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "referrer-policy": "no-referrer" } });
}
