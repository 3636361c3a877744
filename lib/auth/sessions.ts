// Dashboard sessions, stored server-side. next-auth's JWT (encrypted, in an http-only cookie) carries
// the session's id (`sid`); lib/auth/context.ts reads the row by primary key on every request, so a
// session ends for good when it is revoked (sign-out, a password change) or expires, whatever the
// cookie says and wherever it was copied to. The row's expiry is fixed at sign-in: next-auth renews
// the JWT's own expiry when /api/auth/session is read, which must not keep a copied cookie alive.
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** A new session for a user who just signed in; their ended sessions are deleted on the way. */
export async function startSession(db: Db | Tx, userId: string, now: Date = new Date()): Promise<string> {
  const id = newId("ses");
  await db.userSession.deleteMany({ where: { userId, expiresAt: { lt: now } } });
  await db.userSession.create({ data: { id, userId, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000) } });
  return id;
}

/** Whether a session row still stands. */
export function isLive(session: { revokedAt: Date | null; expiresAt: Date }, now: Date = new Date()): boolean {
  return session.revokedAt === null && session.expiresAt > now;
}

/** Whether the session with this id still stands: one primary-key read. */
export async function isSessionLive(db: Db, id: string, now: Date = new Date()): Promise<boolean> {
  const session = await db.userSession.findUnique({ where: { id }, select: { revokedAt: true, expiresAt: true } });
  return session !== null && isLive(session, now);
}

/** Sign-out: this session ends. */
export async function endSession(db: Db, id: string, now: Date = new Date()): Promise<void> {
  await db.userSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
}

/**
 * A password change: every session of the user ends, the one that made the change too (a copy of its
 * cookie must stop working as well), and that browser gets a new session in its place. Returns the
 * new session's id and how many other sessions ended.
 */
export async function replaceSessions(tx: Tx, userId: string, currentId: string, now: Date = new Date()): Promise<{ sessionId: string; endedOthers: number }> {
  const others = await tx.userSession.updateMany({ where: { userId, id: { not: currentId }, revokedAt: null }, data: { revokedAt: now } });
  await tx.userSession.updateMany({ where: { id: currentId, userId, revokedAt: null }, data: { revokedAt: now } });
  return { sessionId: await startSession(tx, userId, now), endedOthers: others.count };
}
