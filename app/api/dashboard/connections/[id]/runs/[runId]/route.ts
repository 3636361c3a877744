// One sync run of a connection, as its run page polls it while the run is active; session-checked
// and scoped like the connection's other routes.
import { NextResponse } from "next/server";
import { getRequestContext } from "@/lib/auth/context";
import { isId } from "@/lib/db/ids";
import { getRunPage } from "@/lib/runs/run-page";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string; runId: string }> }) {
  const context = await getRequestContext();
  if (!context) return NextResponse.json({ error: "Sign in again." }, { status: 401 });
  const { id, runId } = await params;
  if (!isId("conn", id)) return NextResponse.json({ error: "id: not a connection id (conn_…)", field: "id" }, { status: 400 });
  if (!isId("run", runId)) return NextResponse.json({ error: "runId: not a sync run id (run_…)", field: "runId" }, { status: 400 });
  const page = await getRunPage(context.db, id, runId);
  if (!page) return NextResponse.json({ error: "No such sync run here." }, { status: 404 });
  return NextResponse.json(page, { headers: { "cache-control": "no-store" } });
}
