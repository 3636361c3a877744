// First-start data: a demo organization with both environments and an admin user. Runs on every
// `npm run dev`/`npm start` and does nothing once any user exists, so restarts keep the data as it is.
import { randomBytes } from "node:crypto";
import type { Db } from "./client";
import { newId } from "./ids";
import { hashPassword, passwordProblem } from "@/lib/auth/password";
import { ConfigError } from "@/lib/config";

export interface CreatedAdmin {
  email: string;
  /**
   * Present only when it was generated (not given by TRIBUTARY_ADMIN_PASSWORD): the one time it is
   * shown. It is temporary: the first sign-in must replace it, so the copy left in the server log
   * stops working. A password the operator chose is theirs to keep.
   */
  password: string | null;
  organizationName: string;
}

export const DEMO_ORGANIZATION = { name: "Demo Company", slug: "demo" };

/** Creates the demo organization and admin on an empty database; returns the credentials, or null. */
export async function ensureDemoData(db: Db, env: Record<string, string | undefined> = process.env): Promise<CreatedAdmin | null> {
  if ((await db.user.count()) > 0) return null;
  const email = (env.TRIBUTARY_ADMIN_EMAIL || "admin@tributary.local").trim().toLowerCase();
  const generated = !env.TRIBUTARY_ADMIN_PASSWORD;
  const password = env.TRIBUTARY_ADMIN_PASSWORD || randomBytes(12).toString("base64url");
  const problem = passwordProblem(password);
  if (problem) throw new ConfigError(`TRIBUTARY_ADMIN_PASSWORD: ${problem}`);
  const passwordHash = await hashPassword(password);
  await createOrganizationWithOwner(db, { ...DEMO_ORGANIZATION, owner: { email, name: "Admin", passwordHash, passwordChangeRequired: generated } });
  return { email, password: generated ? password : null, organizationName: DEMO_ORGANIZATION.name };
}

export interface NewOrganization {
  name: string;
  slug: string;
  /** `passwordChangeRequired`: the password is temporary (default: not), for a user created here. */
  owner: { email: string; name: string; passwordHash: string; passwordChangeRequired?: boolean };
}

/** An organization, its two environments, its default sync configuration and its first member. */
export async function createOrganizationWithOwner(db: Db, input: NewOrganization) {
  return db.$transaction(async (tx) => {
    const organization = await tx.organization.create({ data: { id: newId("org"), name: input.name, slug: input.slug } });
    const user = await tx.user.upsert({
      where: { email: input.owner.email },
      update: {},
      create: {
        id: newId("usr"),
        email: input.owner.email,
        name: input.owner.name,
        passwordHash: input.owner.passwordHash,
        passwordChangeRequired: input.owner.passwordChangeRequired ?? false,
      },
    });
    await tx.member.create({ data: { id: newId("mem"), organizationId: organization.id, userId: user.id, role: "owner" } });
    for (const kind of ["sandbox", "production"] as const) {
      await tx.environment.create({ data: { id: newId("env"), organizationId: organization.id, kind } });
      await tx.syncConfiguration.create({
        data: {
          id: newId("scf"),
          organizationId: organization.id,
          environment: kind,
          scope: "organization",
          scopeKey: "organization",
          historyMonths: 24,
          incrementalFrequencyMinutes: 60,
        },
      });
    }
    return { organization, user };
  });
}
