// The syncs running now, for the Overview's live panel (React Query polls it); the session is checked
// by dashboardRoute and the read stays in the member's organization and environment.
import { dashboardRoute, fresh } from "@/lib/dashboard/route";
import { runningSyncs } from "@/lib/presenters/overview";

export const dynamic = "force-dynamic";

export const GET = dashboardRoute(async ({ context }) =>
  fresh(await runningSyncs(context.db, { organizationId: context.organization.id, environment: context.environment })),
);
