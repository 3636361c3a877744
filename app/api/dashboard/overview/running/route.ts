// The syncs running now, for the Overview's live panel (React Query polls it); the session is checked
// here and the read stays in the member's organization and environment.
import { NextResponse } from "next/server";
import { getRequestContext } from "@/lib/auth/context";
import { runningSyncs } from "@/lib/presenters/overview";

export const dynamic = "force-dynamic";

export async function GET() {
  const context = await getRequestContext();
  if (!context) return NextResponse.json({ error: "Sign in again." }, { status: 401 });
  const running = await runningSyncs(context.db, { organizationId: context.organization.id, environment: context.environment });
  return NextResponse.json(running, { headers: { "cache-control": "no-store" } });
}
