// A page of a sync run's request log (?after=<seq>&failures=1), for its run page.
import { NextResponse } from "next/server";
import { getRequestContext } from "@/lib/auth/context";
import { isId } from "@/lib/db/ids";
import { getRunRequests, parseRequestQuery } from "@/lib/runs/run-page";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string; runId: string }> }) {
  const context = await getRequestContext();
  if (!context) return NextResponse.json({ error: "Sign in again." }, { status: 401 });
  const { id, runId } = await params;
  if (!isId("conn", id)) return NextResponse.json({ error: "id: not a connection id (conn_…)", field: "id" }, { status: 400 });
  if (!isId("run", runId)) return NextResponse.json({ error: "runId: not a sync run id (run_…)", field: "runId" }, { status: 400 });
  const query = parseRequestQuery(new URL(request.url).searchParams);
  if (!query.ok) return NextResponse.json({ error: query.message, field: query.field }, { status: 400 });
  // The run is looked up through the tenant database first: its requests are read by run id alone.
  const run = await context.db.syncRun.findFirst({ where: { id: runId, connectionId: id }, select: { id: true } });
  if (!run) return NextResponse.json({ error: "No such sync run here." }, { status: 404 });
  const page = await getRunRequests(context.db, run.id, query);
  return NextResponse.json(page, { headers: { "cache-control": "no-store" } });
}
