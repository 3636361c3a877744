// Who is asking, for which organization and environment: resolved from the session on every server
// read and write (pages, route handlers, server actions), never trusted from the proxy alone.
//
// The session cookie is a JWT naming a server-side session (lib/auth/sessions.ts). Each request reads
// that session row by primary key, with its user and memberships: a revoked or expired session is no
// session, whatever the JWT says. A user whose password is temporary has a session but no context:
// pages and actions send them to /change-password, route handlers answer 401.
import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { encode, getToken } from "next-auth/jwt";
import { getDb } from "@/lib/db/client";
import { tenantDb, type TenantDb } from "@/lib/db/tenant";
import type { EnvironmentKind, MemberRole } from "@/lib/generated/prisma/enums";
import { sessionSecret } from "./options";
import { isLive, SESSION_MAX_AGE_SECONDS } from "./sessions";
import { ENVIRONMENT_COOKIE, ORGANIZATION_COOKIE, parseEnvironment } from "./environment";

export interface RequestContext {
  user: { id: string; email: string; name: string };
  organization: { id: string; name: string; slug: string };
  organizations: { id: string; name: string }[];
  role: MemberRole;
  environment: EnvironmentKind;
  db: TenantDb;
}

async function loadSession(sessionId: string) {
  return getDb().userSession.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      revokedAt: true,
      expiresAt: true,
      user: {
        select: {
          id: true,
          email: true,
          name: true,
          passwordChangeRequired: true,
          memberships: { include: { organization: true }, orderBy: { createdAt: "asc" } },
        },
      },
    },
  });
}

export type SignedInSession = NonNullable<Awaited<ReturnType<typeof loadSession>>>;

/** The live session of this request and its user, temporary password or not; null without one. */
export const getSignedInSession = cache(async (): Promise<SignedInSession | null> => {
  // Reading cookies first makes every caller dynamic, so `next build` never prerenders a page
  // that needs a session (and the secret key the session is signed with).
  const jar = await cookies();
  // The cookie only: no `Authorization: Bearer` fallback, which getToken would take from headers.
  const token = await getToken({ req: { cookies: jar, headers: {} } as unknown as NextRequest, secret: sessionSecret() });
  if (typeof token?.sid !== "string") return null;
  const session = await loadSession(token.sid);
  if (!session || !isLive(session) || session.user.id !== token.sub) return null;
  return session;
});

/** The context of a signed-in member, or null when there is no valid session, membership, or the password is temporary. */
export const getRequestContext = cache(async (): Promise<RequestContext | null> => {
  const session = await getSignedInSession();
  if (!session || session.user.passwordChangeRequired) return null;
  const { user } = session;
  if (user.memberships.length === 0) return null;
  const jar = await cookies();
  const chosen = jar.get(ORGANIZATION_COOKIE)?.value;
  const membership = user.memberships.find((m) => m.organizationId === chosen) ?? user.memberships[0];
  const environment = parseEnvironment(jar.get(ENVIRONMENT_COOKIE)?.value);
  return {
    user: { id: user.id, email: user.email, name: user.name },
    organization: { id: membership.organization.id, name: membership.organization.name, slug: membership.organization.slug },
    organizations: user.memberships.map((m) => ({ id: m.organization.id, name: m.organization.name })),
    role: membership.role,
    environment,
    db: tenantDb(getDb(), { organizationId: membership.organizationId, environment }),
  };
});

/** For dashboard pages and actions: the context, or a redirect to sign-in (or to choose a password). */
export async function requireContext(): Promise<RequestContext> {
  const session = await getSignedInSession();
  if (session?.user.passwordChangeRequired) redirect("/change-password");
  const context = await getRequestContext();
  if (!context) redirect("/sign-in");
  return context;
}

/** For the password change: any live session, temporary password or not. */
export async function requireSignedInSession(): Promise<SignedInSession> {
  const session = await getSignedInSession();
  if (!session) redirect("/sign-in");
  return session;
}

/**
 * Hands this browser a session started outside next-auth (after a password change), in the cookie
 * next-auth itself sets: same name (`__Secure-` prefixed when NEXTAUTH_URL is https), same flags.
 */
export async function setSessionCookie(user: { id: string; email: string; name: string }, sessionId: string): Promise<void> {
  const secure = (process.env.NEXTAUTH_URL ?? "").startsWith("https://");
  const token = await encode({
    token: { sub: user.id, name: user.name, email: user.email, sid: sessionId },
    secret: sessionSecret(),
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
  (await cookies()).set(`${secure ? "__Secure-" : ""}next-auth.session-token`, token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure,
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
}

const RANK: Record<MemberRole, number> = { viewer: 0, admin: 1, owner: 2 };

export function hasRole(context: RequestContext, role: MemberRole): boolean {
  return RANK[context.role] >= RANK[role];
}
