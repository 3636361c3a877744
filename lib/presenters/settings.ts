// Reads for the Settings page: members (with the user fields a teammate may see; never the password
// hash) and the organization's environments.
import type { Db } from "@/lib/db/client";
import type { TenantDb } from "@/lib/db/tenant";
import { retentionOf, type RetentionPolicy } from "@/lib/retention/policy";

export async function getSettings(db: TenantDb) {
  const [members, environments] = await Promise.all([
    db.member.findMany({
      orderBy: { createdAt: "asc" },
      select: { id: true, userId: true, role: true, createdAt: true, user: { select: { name: true, email: true, lastSignInAt: true } } },
    }),
    db.environment.findMany({
      orderBy: { kind: "asc" },
      select: { id: true, kind: true, emitDataEventsOnInitial: true, keepPlatformData: true, deleteConnectionsRequestedAt: true, createdAt: true },
    }),
  ]);
  // Each environment's connections not deleted (what deleting its data would delete, or has left to).
  const live = await db.connection.groupBy({ by: ["environment"], where: { deletedAt: null }, _count: { _all: true } });
  const connections = Object.fromEntries(live.map((row) => [row.environment, row._count._all]));
  return { members, environments: environments.map((environment) => ({ ...environment, connections: connections[environment.kind] ?? 0 })) };
}

export type SettingsView = Awaited<ReturnType<typeof getSettings>>;

/** The organization's retention policy (the organizations row is not read through a tenant scope). */
export async function getRetention(db: Db, organizationId: string): Promise<RetentionPolicy> {
  return retentionOf(
    await db.organization.findUniqueOrThrow({
      where: { id: organizationId },
      select: { eventRetentionDays: true, runRetentionDays: true, tombstoneRetentionDays: true },
    }),
  );
}
