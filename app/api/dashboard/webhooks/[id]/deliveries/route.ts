// The deliveries of one endpoint for the dashboard's live table (React Query polls it): the session
// is checked here, and the endpoint is looked up within the member's organization and environment.
import { NextResponse } from "next/server";
import { getRequestContext } from "@/lib/auth/context";
import { isId } from "@/lib/db/ids";
import { decodeCursor, listDeliveries, parseDeliveryStatus } from "@/lib/presenters/webhooks";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const context = await getRequestContext();
  if (!context) return NextResponse.json({ error: "Sign in again." }, { status: 401 });
  const { id } = await params;
  if (!isId("whk", id)) return NextResponse.json({ error: "id: not a webhook endpoint id (whk_…)", field: "id" }, { status: 400 });
  const endpoint = await context.db.webhookEndpoint.findFirst({ where: { id }, select: { id: true } });
  if (!endpoint) return NextResponse.json({ error: "No such endpoint." }, { status: 404 });
  const search = new URL(request.url).searchParams;
  const raw = search.get("cursor");
  const cursor = decodeCursor(raw);
  if (raw && !cursor) return NextResponse.json({ error: "cursor: not one this list returned", field: "cursor" }, { status: 400 });
  const page = await listDeliveries(context.db, id, { status: parseDeliveryStatus(search.get("status")), cursor });
  return NextResponse.json(page, { headers: { "cache-control": "no-store" } });
}
