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
  // The current environment's connections that deleting its data would delete, or has still to: those
  // not deleted, made before the request when there is one (the tenant scope sees no other environment).
  const counted = await Promise.all(
    environments.map((environment) =>
      db.connection.count({
        where: {
          environment: environment.kind,
          deletedAt: null,
          ...(environment.deleteConnectionsRequestedAt ? { createdAt: { lte: environment.deleteConnectionsRequestedAt } } : {}),
        },
      }),
    ),
  );
  return { members, environments: environments.map((environment, i) => ({ ...environment, connections: counted[i] })) };
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
