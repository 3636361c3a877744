// A page of a connection's event log (?type=&cursor=), for its page's log; session-checked and scoped
// like the status route.
import { NextResponse } from "next/server";
import { getRequestContext } from "@/lib/auth/context";
import { isId } from "@/lib/db/ids";
import { getConnectionEvents, parseEventQuery } from "@/lib/presenters/connections-events";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const context = await getRequestContext();
  if (!context) return NextResponse.json({ error: "Sign in again." }, { status: 401 });
  const { id } = await params;
  if (!isId("conn", id)) return NextResponse.json({ error: "id: not a connection id (conn_…)", field: "id" }, { status: 400 });
  const connection = await context.db.connection.findFirst({ where: { id }, select: { id: true, platform: true } });
  if (!connection) return NextResponse.json({ error: "No such connection here." }, { status: 404 });
  const query = parseEventQuery(connection.platform, new URL(request.url).searchParams);
  if (!query.ok) return NextResponse.json({ error: query.message, field: query.field }, { status: 400 });
  const page = await getConnectionEvents(context.db, { organizationId: context.organization.id, environment: context.environment }, connection.id, query);
  return NextResponse.json(page, { headers: { "cache-control": "no-store" } });
}
