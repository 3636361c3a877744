// A sign-in waiting for the end user to pick an account (its grant covers several: Xero's
// organisations), as a link session holds it: the platform, the choices (ids and names, which Link
// may show) and the exchanged credentials, sealed as a connection's are and never shown. Cleared
// when the session completes, expires or signs in again, and swept from sessions nobody came back to.
import type { Db } from "@/lib/db/client";
import { Prisma, type LinkSession } from "@/lib/generated/prisma/client";
import type { Credentials, OAuthAccountChoice } from "@/lib/platforms/types";
import { sealCredentials } from "@/lib/sync/credentials";

/** A sign-in that covered several accounts: the end user picks one (chooseAccount). */
export interface LinkChoice {
  platform: string;
  choices: OAuthAccountChoice[];
}

/** No sign-in waiting for a pick: what completing, expiring or restarting a session writes. */
export const NO_PENDING_SIGN_IN = { pendingPlatform: null, pendingChoices: Prisma.DbNull, pendingCredentialsEncrypted: null };

/** The session's sign-in waiting for a pick, without its credentials. */
export function pendingChoice(session: LinkSession): LinkChoice | null {
  if (!session.pendingPlatform || !session.pendingCredentialsEncrypted || !Array.isArray(session.pendingChoices)) return null;
  const choices = (session.pendingChoices as unknown[]).filter(
    (c): c is OAuthAccountChoice =>
      typeof c === "object" && c !== null && typeof (c as OAuthAccountChoice).id === "string" && typeof (c as OAuthAccountChoice).name === "string",
  );
  return { platform: session.pendingPlatform, choices };
}

/**
 * Holds a sign-in on the session whose OAuth round trip it finishes (`oauthState`, which it spends);
 * false when that round trip is no longer the session's (completed or restarted meanwhile).
 */
export async function holdSignIn(db: Db, session: { id: string; oauthState: string }, choice: LinkChoice, credentials: Credentials): Promise<boolean> {
  const { count } = await db.linkSession.updateMany({
    where: { id: session.id, status: "pending", oauthState: session.oauthState },
    data: {
      oauthState: null,
      error: null,
      pendingPlatform: choice.platform,
      pendingChoices: choice.choices.map((c) => ({ id: c.id, name: c.name })),
      pendingCredentialsEncrypted: sealCredentials(credentials),
    },
  });
  return count === 1;
}

/**
 * Drops the held credentials of sessions that ended without anyone coming back to them (the end user
 * closed Link before picking): run whenever a session is made, so none outlives its session by long.
 */
export async function clearAbandonedSignIns(db: Db, now = new Date()): Promise<number> {
  const { count } = await db.linkSession.updateMany({
    where: { pendingCredentialsEncrypted: { not: null }, expiresAt: { lte: now } },
    data: NO_PENDING_SIGN_IN,
  });
  return count;
}
