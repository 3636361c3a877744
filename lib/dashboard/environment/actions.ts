"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { requireContext } from "@/lib/auth/context";
import { ENVIRONMENT_COOKIE, ENVIRONMENTS } from "@/lib/auth/environment";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";

const COOKIE_OPTIONS = { httpOnly: true, sameSite: "lax", path: "/", maxAge: 365 * 24 * 3600 } as const;

export async function switchEnvironment(environment: EnvironmentKind): Promise<void> {
  await requireContext();
  if (!ENVIRONMENTS.includes(environment)) throw new Error("Unknown environment");
  (await cookies()).set(ENVIRONMENT_COOKIE, environment, COOKIE_OPTIONS);
  revalidatePath("/", "layout");
}
