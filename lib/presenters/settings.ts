// Reads for the Settings page: members (with the user fields a teammate may see; never the password
// hash) and the organization's environments.
import type { TenantDb } from "@/lib/db/tenant";

export async function getSettings(db: TenantDb) {
  const [members, environments] = await Promise.all([
    db.member.findMany({
      orderBy: { createdAt: "asc" },
      select: { id: true, userId: true, role: true, createdAt: true, user: { select: { name: true, email: true, lastSignInAt: true } } },
    }),
    db.environment.findMany({
      orderBy: { kind: "asc" },
      select: { id: true, kind: true, emitDataEventsOnInitial: true, keepPlatformData: true, createdAt: true },
    }),
  ]);
  return { members, environments };
}

export type SettingsView = Awaited<ReturnType<typeof getSettings>>;
