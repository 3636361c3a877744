import { getDb } from "@/lib/db/client";
import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

/** For load balancers and uptime checks: 200 when the database answers, 503 otherwise. */
export async function GET() {
  const health = await checkHealth(getDb());
  return Response.json(health, { status: health.database === "ok" ? 200 : 503 });
}
