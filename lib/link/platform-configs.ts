// A team's settings for one platform in one environment: whether Link offers it, the developer app's
// OAuth credentials (the secret sealed with AES-256-GCM, never read back except to call the platform)
// and the OAuth scopes asked for. Written by the dashboard's Platforms page; read by Link.
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { linkPlatform } from "./platforms";

export interface PlatformScope {
  organizationId: string;
  environment: EnvironmentKind;
  platform: string;
}

/** What makes a platform available in Link: see availablePlatforms (lib/link/sessions.ts). */
export function isOfferedInLink(
  environment: EnvironmentKind,
  config: { enabled: boolean; clientId: string | null; clientSecretEncrypted: string | null } | null | undefined,
): boolean {
  // Sandbox: every platform is on (the sandbox's own OAuth app) unless the team switched it off.
  if (environment === "sandbox") return config?.enabled ?? true;
  return Boolean(config?.enabled && config.clientId && config.clientSecretEncrypted);
}

/** The scopes Tributary asks for when the team has not chosen its own. */
export function defaultScopes(platform: string): string[] {
  return [...(linkPlatform(platform)?.scopes ?? [])];
}

/** The scopes a platform's OAuth consent asks for in this environment: the team's, or the defaults. */
export async function oauthScopes(db: Pick<Db, "platformConfig">, scope: PlatformScope): Promise<string[]> {
  const config = await db.platformConfig.findUnique({ where: { organizationId_environment_platform: scope }, select: { scopes: true } });
  return config?.scopes.length ? config.scopes : defaultScopes(scope.platform);
}

export interface PlatformConfigChange {
  enabled?: boolean;
  /** undefined keeps the stored one; null removes it. */
  clientId?: string | null;
  /** undefined keeps the stored one; null removes it. Stored encrypted. */
  clientSecret?: string | null;
  /** Empty = the defaults (defaultScopes). */
  scopes?: string[];
}

/**
 * Applies a change to the platform's configuration, creating it on first use. A new configuration
 * starts as Link treats a platform without one (on in the sandbox, off in production), so saving
 * credentials alone never switches a platform on or off.
 */
export async function updatePlatformConfig(db: Pick<Db, "platformConfig">, scope: PlatformScope, change: PlatformConfigChange): Promise<void> {
  const data = {
    ...(change.enabled !== undefined ? { enabled: change.enabled } : {}),
    ...(change.clientId !== undefined ? { clientId: change.clientId } : {}),
    ...(change.clientSecret !== undefined ? { clientSecretEncrypted: change.clientSecret === null ? null : encryptSecret(change.clientSecret) } : {}),
    ...(change.scopes !== undefined ? { scopes: change.scopes } : {}),
  };
  await db.platformConfig.upsert({
    where: { organizationId_environment_platform: scope },
    update: data,
    create: { id: newId("pfc"), ...scope, enabled: scope.environment === "sandbox", ...data },
  });
}

/**
 * The last four characters of a stored value, so a team can tell which credential is set without the
 * value leaving the server. Null when the secret cannot be opened (the secret key changed).
 */
export function secretHint(sealed: string): string | null {
  try {
    return lastFour(decryptSecret(sealed));
  } catch {
    return null;
  }
}

export function lastFour(value: string): string {
  // A short value would be given away whole: show at most a third of it.
  return value.slice(-Math.min(4, Math.floor(value.length / 3)));
}
