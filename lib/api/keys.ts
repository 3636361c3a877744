// API keys (DESIGN.md section 6): a client id and a secret per organization and environment. The
// secret is returned once and stored as a SHA-256 hash; requests authenticate with HTTP Basic auth.
import { hashToken, randomToken, safeEqual } from "@/lib/crypto";
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import { unauthorized } from "./errors";

export interface ApiScope {
  organizationId: string;
  environment: EnvironmentKind;
  apiKeyId: string;
}

export async function createApiKey(
  db: Db,
  input: { organizationId: string; environment: EnvironmentKind; name: string },
): Promise<{ id: string; clientId: string; secret: string }> {
  const id = newId("key");
  const clientId = randomToken(input.environment === "production" ? "ck_live" : "ck_test", 12);
  const secret = randomToken(input.environment === "production" ? "sk_live" : "sk_test", 32);
  await db.apiKey.create({
    data: {
      id,
      organizationId: input.organizationId,
      environment: input.environment,
      name: input.name,
      clientId,
      secretHash: hashToken(secret),
      secretHint: secret.slice(-4),
    },
  });
  return { id, clientId, secret };
}

export async function revokeApiKey(db: Db, scope: { organizationId: string; environment: EnvironmentKind }, id: string): Promise<boolean> {
  const { count } = await db.apiKey.updateMany({
    where: { id, organizationId: scope.organizationId, environment: scope.environment, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count === 1;
}

/** The organization and environment of a request's `Authorization: Basic` key; 401 otherwise (one message for every reason). */
export async function authenticate(db: Db, authorization: string | null): Promise<ApiScope> {
  const match = /^Basic\s+(.+)$/i.exec(authorization ?? "");
  if (!match) throw unauthorized();
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 1) throw unauthorized();
  const [clientId, secret] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  const key = await db.apiKey.findUnique({ where: { clientId } });
  if (!key || key.revokedAt || !safeEqual(key.secretHash, hashToken(secret))) throw unauthorized("The client id and secret do not match an active API key");
  // Last-used time, at most once a minute per key.
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000) await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
  return { organizationId: key.organizationId, environment: key.environment, apiKeyId: key.id };
}
