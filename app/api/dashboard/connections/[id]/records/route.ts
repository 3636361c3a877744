// The data browser's pages: one object's stored records through lib/sync/reads.ts listRecords (the
// REST API's own read, keyset on last modification), for a signed-in member's connection.
import { NextResponse } from "next/server";
import { getRequestContext } from "@/lib/auth/context";
import { isId } from "@/lib/db/ids";
import { getEngine } from "@/lib/sync/engine";
import { listRecords, ReadError } from "@/lib/sync/reads";

export const dynamic = "force-dynamic";

/** Records per page in the browser: each shows its JSON, so fewer than the API's default. */
const BROWSER_PAGE_SIZE = 20;

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const context = await getRequestContext();
  if (!context) return NextResponse.json({ error: "Sign in again." }, { status: 401 });
  const { id } = await params;
  if (!isId("conn", id)) return NextResponse.json({ error: "id: not a connection id (conn_…)", code: "INVALID_REQUEST", field: "id" }, { status: 400 });
  const search = new URL(request.url).searchParams;
  try {
    const page = await listRecords(getEngine(), {
      organizationId: context.organization.id,
      environment: context.environment,
      connectionId: id,
      object: search.get("object") ?? "",
      cursor: search.get("cursor") || null,
      limit: BROWSER_PAGE_SIZE,
    });
    return NextResponse.json(page, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof ReadError) {
      const status = error.code === "CONNECTION_NOT_FOUND" ? 404 : error.code === "PRODUCT_NOT_READY" ? 409 : 400;
      return NextResponse.json({ error: error.message, code: error.code, field: error.field }, { status });
    }
    throw error;
  }
}
