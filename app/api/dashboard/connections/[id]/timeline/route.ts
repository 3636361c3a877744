// The connection timeline for the dashboard (components/timeline): the signed-in member's session,
// never an API key. A connection outside the member's organization and environment is a 404, exactly
// like one that does not exist.
import type { NextRequest } from "next/server";
import { getRequestContext } from "@/lib/auth/context";
import { isId } from "@/lib/db/ids";
import { ApiError, errorResponse, invalid, notFound } from "@/lib/api/errors";
import { getSyncTimeline, timelineQuerySchema } from "@/lib/presenters/timeline";
import { issueField, issueMessage } from "@/lib/input/issues";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    // requireContext redirects to the sign-in page, which a fetch cannot follow usefully: answer 401.
    const context = await getRequestContext();
    if (!context) throw new ApiError("NOT_SIGNED_IN", "Sign in to see this connection");
    const { id } = await params;
    if (!isId("conn", id)) throw invalid("id", "is not a connection id (conn_…)");
    const search = request.nextUrl.searchParams;
    const parsed = timelineQuerySchema.safeParse({ from: search.get("from") ?? undefined, to: search.get("to") ?? undefined });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issueField(issue, "query");
      throw invalid(field, issueMessage(issue).replace(new RegExp(`^${field}: `), ""));
    }
    const timeline = await getSyncTimeline(context.db, id, parsed.data);
    if (!timeline) throw notFound("such connection");
    return Response.json(timeline, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
