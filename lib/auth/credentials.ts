// Email + password sign-in, independent of next-auth so it can be tested against a real database.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { hashPassword, verifyPassword } from "./password";

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password").max(256),
});

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
}

// Compared against when the email is unknown, so a wrong email costs the same time as a wrong password
// and response times do not reveal which accounts exist.
let decoyHash: Promise<string> | undefined;

/** The user for these credentials, or null for any wrong or malformed input (never says which). */
export async function authenticate(db: Db, input: unknown): Promise<SignedInUser | null> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const user = await db.user.findUnique({ where: { email } });
  if (!user) {
    decoyHash ??= hashPassword("decoy password for timing");
    await verifyPassword(password, await decoyHash);
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  return { id: user.id, email: user.email, name: user.name };
}
