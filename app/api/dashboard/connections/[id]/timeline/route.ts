// The connection timeline for the dashboard (components/timeline). A connection outside the member's
// organization and environment is a 404, exactly like one that does not exist.
import { notFound } from "@/lib/api/errors";
import { dashboardRoute, fresh, queryProblem, requireId } from "@/lib/dashboard/route";
import { getSyncTimeline, timelineQuerySchema } from "@/lib/presenters/timeline";

export const dynamic = "force-dynamic";

export const GET = dashboardRoute<{ id: string }>(async ({ context, request, params }) => {
  const id = requireId("id", "conn", params.id, "a connection");
  const search = request.nextUrl.searchParams;
  const parsed = timelineQuerySchema.safeParse({ from: search.get("from") ?? undefined, to: search.get("to") ?? undefined });
  if (!parsed.success) throw queryProblem(parsed.error);
  const timeline = await getSyncTimeline(context.db, id, parsed.data);
  if (!timeline) throw notFound("such connection");
  return fresh(timeline);
});
