// Who is asking, for which organization and environment: resolved from the session on every server
// read and write (pages, route handlers, server actions), never trusted from the proxy alone.
import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { getDb } from "@/lib/db/client";
import { tenantDb, type TenantDb } from "@/lib/db/tenant";
import type { EnvironmentKind, MemberRole } from "@/lib/generated/prisma/enums";
import { authOptions } from "./options";
import { ENVIRONMENT_COOKIE, ORGANIZATION_COOKIE, parseEnvironment } from "./environment";

export interface RequestContext {
  user: { id: string; email: string; name: string };
  organization: { id: string; name: string; slug: string };
  organizations: { id: string; name: string }[];
  role: MemberRole;
  environment: EnvironmentKind;
  db: TenantDb;
}

/** The context of a signed-in member, or null when there is no valid session or membership. */
export const getRequestContext = cache(async (): Promise<RequestContext | null> => {
  // Reading cookies first makes every caller dynamic, so `next build` never prerenders a page
  // that needs a session (and the secret key the session is signed with).
  const jar = await cookies();
  const session = await getServerSession(authOptions());
  const userId = session?.user?.id;
  if (!userId) return null;
  const db = getDb();
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, memberships: { include: { organization: true }, orderBy: { createdAt: "asc" } } },
  });
  if (!user || user.memberships.length === 0) return null;
  const chosen = jar.get(ORGANIZATION_COOKIE)?.value;
  const membership = user.memberships.find((m) => m.organizationId === chosen) ?? user.memberships[0];
  const environment = parseEnvironment(jar.get(ENVIRONMENT_COOKIE)?.value);
  return {
    user: { id: user.id, email: user.email, name: user.name },
    organization: { id: membership.organization.id, name: membership.organization.name, slug: membership.organization.slug },
    organizations: user.memberships.map((m) => ({ id: m.organization.id, name: m.organization.name })),
    role: membership.role,
    environment,
    db: tenantDb(db, { organizationId: membership.organizationId, environment }),
  };
});

/** For dashboard pages: the context, or a redirect to sign-in. */
export async function requireContext(): Promise<RequestContext> {
  const context = await getRequestContext();
  if (!context) redirect("/sign-in");
  return context;
}

const RANK: Record<MemberRole, number> = { viewer: 0, admin: 1, owner: 2 };

export function hasRole(context: RequestContext, role: MemberRole): boolean {
  return RANK[context.role] >= RANK[role];
}
