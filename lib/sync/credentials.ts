// A connection's platform credentials: sealed with AES-256-GCM in connections.credentials_encrypted,
// opened only to make requests, refreshed before they expire. A refresh happens under a row lock, so
// two processes syncing (or a sync and a read) never both spend the same refresh token.
import { decryptSecret, encryptSecret } from "@/lib/crypto";
import type { Db } from "@/lib/db/client";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { refreshAccessToken, type OAuthClient } from "@/lib/platforms/oauth";
import { ConnectorError, type Connector, type Credentials } from "@/lib/platforms/types";

/** Refresh when the access token has less than this left. */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * The OAuth app the sandbox platforms accept when a team has not entered its own: the sandbox's
 * token endpoints check that a client id and secret are present, not which.
 */
export const SANDBOX_OAUTH_CLIENT: OAuthClient = { clientId: "tributary-sandbox", clientSecret: "tributary-sandbox-secret" };

export function sealCredentials(credentials: Credentials): string {
  return encryptSecret(JSON.stringify(credentials));
}

export function openCredentials(sealed: string | null): Credentials {
  if (!sealed) throw new ConnectorError("auth_revoked", "The connection has no credentials; link it again");
  return JSON.parse(decryptSecret(sealed)) as Credentials;
}

/** The team's OAuth app for a platform in an environment (platform config), or the sandbox's default app. */
export async function oauthClient(
  db: Pick<Db, "platformConfig">,
  scope: { organizationId: string; environment: EnvironmentKind; platform: string },
): Promise<OAuthClient> {
  const config = await db.platformConfig.findUnique({
    where: { organizationId_environment_platform: scope },
    select: { clientId: true, clientSecretEncrypted: true },
  });
  if (config?.clientId && config.clientSecretEncrypted) return { clientId: config.clientId, clientSecret: decryptSecret(config.clientSecretEncrypted) };
  if (scope.environment === "sandbox") return SANDBOX_OAUTH_CLIENT;
  throw new ConnectorError("permanent", `The ${scope.platform} platform has no OAuth client id and secret in production; add them on the Platforms page`);
}

export interface CredentialContext {
  db: Db;
  connector: Connector;
  tokenUrl: string;
  fetch: typeof fetch;
  now: () => number;
}

/**
 * The connection's credentials, refreshed first if they expire within REFRESH_BEFORE_EXPIRY_MS (or
 * `force`, after the platform answered 401 to a token we thought valid).
 */
export async function freshCredentials(context: CredentialContext, connectionId: string, options: { force?: boolean } = {}): Promise<Credentials> {
  const { db } = context;
  const current = await db.connection.findUniqueOrThrow({ where: { id: connectionId }, select: { credentialsEncrypted: true } });
  const credentials = openCredentials(current.credentialsEncrypted);
  if (!needsRefresh(credentials, context.now(), options.force)) return credentials;
  return db.$transaction(
    async (tx) => {
      const [locked] = await tx.$queryRaw<{ credentials_encrypted: string | null; organization_id: string; environment: EnvironmentKind; platform: string }[]>`
        select credentials_encrypted, organization_id, environment, platform from connections where id = ${connectionId} for update`;
      const latest = openCredentials(locked.credentials_encrypted);
      // Another process refreshed while we waited for the lock.
      if (locked.credentials_encrypted !== current.credentialsEncrypted && !needsRefresh(latest, context.now(), false)) return latest;
      if (latest.kind !== "oauth") return latest;
      const client = await oauthClient(tx, { organizationId: locked.organization_id, environment: locked.environment, platform: locked.platform });
      const refreshed = await refreshAccessToken(context.connector, context.tokenUrl, client, latest, { fetch: context.fetch, now: context.now() });
      await tx.connection.update({ where: { id: connectionId }, data: { credentialsEncrypted: sealCredentials(refreshed) } });
      return refreshed;
    },
    { timeout: 45_000, maxWait: 45_000 },
  );
}

function needsRefresh(credentials: Credentials, now: number, force = false): boolean {
  if (credentials.kind !== "oauth") return false;
  if (force) return credentials.refreshToken !== null;
  return credentials.expiresAt !== null && credentials.expiresAt - now < REFRESH_BEFORE_EXPIRY_MS;
}
