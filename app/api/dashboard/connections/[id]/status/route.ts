// A connection's status for its page's live card (React Query polls it every 2 s while a run is queued
// or running): the session is checked here, and the read stays in the member's organization and
// environment (another organization's connection is a 404 like a missing one).
import { NextResponse } from "next/server";
import { getRequestContext } from "@/lib/auth/context";
import { isId } from "@/lib/db/ids";
import { getConnectionStatus } from "@/lib/presenters/connections-detail";
import { getEngine } from "@/lib/sync/engine";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const context = await getRequestContext();
  if (!context) return NextResponse.json({ error: "Sign in again." }, { status: 401 });
  const { id } = await params;
  if (!isId("conn", id)) return NextResponse.json({ error: "id: not a connection id (conn_…)", field: "id" }, { status: 400 });
  const status = await getConnectionStatus(context.db, id, getEngine().appUrl);
  if (!status) return NextResponse.json({ error: "No such connection here." }, { status: 404 });
  return NextResponse.json(status, { headers: { "cache-control": "no-store" } });
}
