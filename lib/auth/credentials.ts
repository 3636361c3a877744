// Email + password: sign-in and password change, independent of next-auth so they can be tested
// against a real database. Both verify a password only after the throttle (lib/auth/throttle.ts) has
// admitted the attempt.
//
// Timing: a refused attempt of any kind costs one scrypt verification, so response times reveal
// neither which accounts exist nor which keys are locked: an unknown email and a throttled attempt
// each verify the password against a decoy hash and throw the answer away.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { hashPassword, passwordProblem, verifyPassword } from "./password";
import { replaceSessions } from "./sessions";
import { admitAttempt, forgiveAttempt, type Admission } from "./throttle";
import { formFieldErrors } from "@/lib/input/issues";

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password").max(256),
});

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
}

export type SignInResult = { status: "signed_in"; user: SignedInUser } | { status: "refused" } | { status: "throttled"; retryAfterSeconds: number };

export interface AttemptOptions {
  /** The client's address key (lib/auth/client-ip.ts). */
  address: string;
  now?: Date;
  /** Where the operator's log lines go. */
  log?: (line: string) => void;
}

const defaultLog = (line: string) => console.warn(`[tributary] ${line}`);

let decoyHash: Promise<string> | undefined;

/** Spends what verifying a password costs, without verifying anything. */
async function decoyVerification(password: string): Promise<void> {
  decoyHash ??= hashPassword("decoy password for timing");
  await verifyPassword(password, await decoyHash);
}

/** The line operators alert on; the password never appears in it. */
function throttledLine(email: string, address: string, refusal: Admission & { admitted: false }): string {
  return `auth.sign_in_throttled email=${email} ip=${address} lock=${refusal.scope} failures=${refusal.failures} locked_until=${refusal.lockedUntil.toISOString()}`;
}

/**
 * Checks `password` for the account `email` under the throttle. `hash` is the account's password hash,
 * or null when there is no such account (the attempt then costs and counts the same).
 */
async function throttledVerification(
  db: Db,
  email: string,
  password: string,
  hash: string | null,
  options: AttemptOptions,
): Promise<"ok" | "wrong" | { retryAfterSeconds: number }> {
  const admission = await admitAttempt(db, { email, address: options.address }, options.now);
  if (!admission.admitted) {
    await decoyVerification(password);
    (options.log ?? defaultLog)(throttledLine(email, options.address, admission));
    return { retryAfterSeconds: admission.retryAfterSeconds };
  }
  if (hash === null) {
    await decoyVerification(password);
    return "wrong";
  }
  if (!(await verifyPassword(password, hash))) return "wrong";
  await forgiveAttempt(db, admission);
  return "ok";
}

/** Signs in with email and password; never says whether the email or the password was wrong. */
export async function authenticate(db: Db, input: unknown, options: AttemptOptions): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return { status: "refused" };
  const { email, password } = parsed.data;
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
  const outcome = await throttledVerification(db, email, password, user?.passwordHash ?? null, options);
  if (typeof outcome === "object") return { status: "throttled", retryAfterSeconds: outcome.retryAfterSeconds };
  if (outcome === "wrong" || !user) return { status: "refused" };
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: options.now ?? new Date() } });
  return { status: "signed_in", user: { id: user.id, email: user.email, name: user.name } };
}

export const passwordChangeSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password.").max(256, "Enter your current password."),
    newPassword: z.string().superRefine((value, context) => {
      const problem = passwordProblem(value);
      if (problem) context.addIssue({ code: "custom", message: `${problem}.` });
    }),
    confirmPassword: z.string(),
  })
  .superRefine(
    (value, context) => {
      if (value.confirmPassword !== value.newPassword)
        context.addIssue({ code: "custom", path: ["confirmPassword"], message: "The two new passwords differ: type the same one twice." });
      else if (value.currentPassword && value.newPassword === value.currentPassword) {
        context.addIssue({ code: "custom", path: ["newPassword"], message: "Choose a password different from the current one." });
      }
    },
    // Also when a field already failed, so the form shows every problem at once, not one per submit.
    { when: ({ value }) => typeof value === "object" && value !== null },
  );

export type PasswordChangeField = "currentPassword" | "newPassword" | "confirmPassword";

export type PasswordChangeResult =
  /** `sessionId`: the asking browser's new session (its old one ended with the rest); `endedSessions`: the others. */
  | { status: "changed"; sessionId: string; endedSessions: number }
  | { status: "invalid"; fieldErrors: Partial<Record<PasswordChangeField, string>> }
  | { status: "throttled"; retryAfterSeconds: number };

/**
 * Changes a signed-in user's password: the current one must be right (counted by the throttle like a
 * sign-in, so a stolen session cannot guess it quickly), the new one must pass the password rules.
 * Every session of the user ends, `sessionId` (the one asking) included, and a new one is started for
 * the caller to hand to that browser. A temporary password stops being temporary.
 */
export async function changePassword(
  db: Db,
  who: { userId: string; sessionId: string },
  input: unknown,
  options: AttemptOptions,
): Promise<PasswordChangeResult> {
  const parsed = passwordChangeSchema.safeParse(input);
  if (!parsed.success) {
    return { status: "invalid", fieldErrors: formFieldErrors<PasswordChangeField>(parsed.error) };
  }
  const user = await db.user.findUniqueOrThrow({ where: { id: who.userId }, select: { email: true, passwordHash: true } });
  const outcome = await throttledVerification(db, user.email, parsed.data.currentPassword, user.passwordHash, options);
  if (outcome === "wrong") return { status: "invalid", fieldErrors: { currentPassword: "That is not your current password." } };
  if (outcome !== "ok") return { status: "throttled", retryAfterSeconds: outcome.retryAfterSeconds };
  const passwordHash = await hashPassword(parsed.data.newPassword);
  const now = options.now ?? new Date();
  const replaced = await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: who.userId }, data: { passwordHash, passwordChangeRequired: false } });
    return replaceSessions(tx, who.userId, who.sessionId, now);
  });
  return { status: "changed", sessionId: replaced.sessionId, endedSessions: replaced.endedOthers };
}
