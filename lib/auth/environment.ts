// The environment and organization a member is looking at, kept in cookies set by the header's switch.
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";

export const ENVIRONMENT_COOKIE = "tributary_env";
export const ORGANIZATION_COOKIE = "tributary_org";
export const ENVIRONMENTS: readonly EnvironmentKind[] = ["sandbox", "production"];

export function parseEnvironment(value: string | undefined): EnvironmentKind {
  return value === "production" ? "production" : "sandbox";
}
