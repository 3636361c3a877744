// The Link flow (DESIGN.md section 6), server side. A team's backend creates a link session (30
// minutes); the end user's browser opens Link with its token, picks a platform, signs in on the
// platform's consent page (OAuth) or enters an API key; Tributary stores the credentials on a new
// connection (or on the connection being re-linked), which starts its initial sync at once, and hands
// the browser a public token (single use, 10 minutes) that the team's backend exchanges for the
// connection's access token. Every failure the end user meets is a CONNECTION_LINK_ERROR event.
//
// A sign-in whose grant covers several accounts (Xero: the user ticked several organisations) is
// held on the session until the end user picks one: the exchanged credentials sealed as a
// connection's are, never sent to the browser, cleared once the session completes or expires.
import { hashToken, randomToken } from "@/lib/crypto";
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/db/ids";
import { emitEvent } from "@/lib/events/emit";
import type { EnvironmentKind } from "@/lib/generated/prisma/enums";
import type { LinkSession } from "@/lib/generated/prisma/client";
import { PLATFORM_CATALOG, type PlatformDefinition } from "@/lib/platforms/catalog";
import { getConnector } from "@/lib/platforms/index";
import { exchangeAuthorizationCode } from "@/lib/platforms/oauth";
import { ConnectorError, type Credentials } from "@/lib/platforms/types";
import { createConnection, relinkConnection } from "@/lib/sync/connections";
import { oauthClient, openCredentials } from "@/lib/sync/credentials";
import { classifyFailure, openPlatformSession } from "@/lib/sync/platform-session";
import type { SyncEngine } from "@/lib/sync/engine";
import { loadEffectiveConfiguration } from "@/lib/sync/load-configuration";
import { verifyRelinkCapability } from "@/lib/sync/health";
import { registerSandboxWebhooks } from "@/lib/sync/platform-webhooks";
import { clearAbandonedSignIns, holdSignIn, NO_PENDING_SIGN_IN, pendingChoice, type LinkChoice } from "./pending-sign-in";
import { isOfferedInLink, oauthScopes } from "./platform-configs";
import { acceptsApiKey, linkPlatform } from "./platforms";
import { CodedError, type PublicError } from "@/lib/errors";

export type { LinkChoice };

export const LINK_SESSION_TTL_MS = 30 * 60 * 1000;
export const PUBLIC_TOKEN_TTL_MS = 10 * 60 * 1000;

export type LinkErrorCode =
  | "LINK_SESSION_NOT_FOUND"
  | "LINK_SESSION_EXPIRED"
  | "LINK_SESSION_COMPLETED"
  | "PLATFORM_NOT_ALLOWED"
  | "INVALID_ACCOUNT"
  | "ACCOUNT_CHOICE_REQUIRED"
  | "ACCESS_DENIED"
  | "PLATFORM_REFUSED"
  | "INVALID_API_KEY"
  | "PLATFORM_ERROR"
  | "INVALID_PUBLIC_TOKEN"
  | "INVALID_FIELD";

/** An error Link shows the end user (or the API answers), with the field at fault when there is one. */
export class LinkError extends CodedError {
  constructor(
    readonly code: LinkErrorCode,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = "LinkError";
  }
  publicError(): PublicError {
    return { code: this.code, message: this.message, field: this.field };
  }
}

interface Scope {
  organizationId: string;
  environment: EnvironmentKind;
}

/**
 * Platforms an organization can offer in Link. In the sandbox every platform is available (the
 * sandbox's own OAuth client) unless the team switched it off; in production a platform needs an
 * enabled configuration with the team's developer credentials.
 */
export async function availablePlatforms(db: Db, scope: Scope): Promise<PlatformDefinition[]> {
  const configs = await db.platformConfig.findMany({ where: { organizationId: scope.organizationId, environment: scope.environment } });
  return PLATFORM_CATALOG.filter((platform) =>
    isOfferedInLink(
      scope.environment,
      configs.find((c) => c.platform === platform.key),
    ),
  );
}

export interface NewLinkSession {
  platforms?: string[];
  endUserId?: string | null;
  connectionId?: string | null;
}

export async function createLinkSession(engine: SyncEngine, scope: Scope, input: NewLinkSession, now = new Date()) {
  // Callers pass wider scopes (the API's carries its key's id): only these two confine the queries.
  const { organizationId, environment } = scope;
  // The connection first: another organization's or environment's is refused for what it is, whatever is enabled.
  const relinked = input.connectionId
    ? await engine.db.connection.findFirst({ where: { id: input.connectionId, organizationId, environment, deletedAt: null } })
    : null;
  if (input.connectionId && !relinked) throw new LinkError("INVALID_FIELD", `connection_id: no such connection in ${environment}`, "connection_id");
  const available = await availablePlatforms(engine.db, { organizationId, environment });
  let allowed = input.platforms ?? [];
  allowed.forEach((key, index) => {
    if (!PLATFORM_CATALOG.some((p) => p.key === key))
      throw new LinkError(
        "INVALID_FIELD",
        `platforms[${index}]: unknown platform "${key}" (there are ${PLATFORM_CATALOG.map((p) => p.key).join(", ")})`,
        `platforms[${index}]`,
      );
    if (!available.some((p) => p.key === key))
      throw new LinkError("PLATFORM_NOT_ALLOWED", `platforms[${index}]: ${key} is not enabled in ${environment}`, `platforms[${index}]`);
  });
  if (available.length === 0)
    throw new LinkError("PLATFORM_NOT_ALLOWED", `platforms: no platform is enabled in ${environment}; enable one on the Platforms page`, "platforms");
  if (relinked) {
    if (allowed.length && !allowed.includes(relinked.platform))
      throw new LinkError("INVALID_FIELD", `platforms: a re-link session is for the connection's platform, ${relinked.platform}`, "platforms");
    allowed = [relinked.platform];
  }
  await clearAbandonedSignIns(engine.db, now);
  const token = randomToken("link", 24);
  const expiresAt = new Date(now.getTime() + LINK_SESSION_TTL_MS);
  const session = await engine.db.linkSession.create({
    data: {
      id: newId("lnk"),
      organizationId,
      environment,
      tokenHash: hashToken(token),
      allowedPlatforms: [...new Set(allowed)],
      endUserId: input.endUserId ?? null,
      connectionId: input.connectionId ?? null,
      expiresAt,
      createdAt: now,
    },
  });
  return { id: session.id, token, expiresAt, linkUrl: `${engine.appUrl.replace(/\/$/, "")}/link?token=${encodeURIComponent(token)}` };
}

/**
 * A connection's re-link URL (`link_url` in its status and in CONNECTION_NEEDS_UPDATE), checked: the
 * connection it re-links, or the LinkError to show. A URL that expired, or that a completed re-link
 * replaced, is logged without its MAC and told apart from a forged one only in the log.
 */
async function checkRelinkUrl(engine: SyncEngine, capability: string, now: Date) {
  const claimed = verifyRelinkCapability(capability);
  if (!claimed) {
    console.warn(`Link: refused a re-link URL whose signature does not match (it names ${JSON.stringify(capability.split(".")[0].slice(0, 40))})`);
    throw new LinkError("LINK_SESSION_NOT_FOUND", "This reconnect link is not valid. Go back to the app you came from.");
  }
  const connection = await engine.db.connection.findFirst({
    where: { id: claimed.connectionId, deletedAt: null },
    include: { organization: { select: { name: true } } },
  });
  if (!connection)
    throw new LinkError("LINK_SESSION_NOT_FOUND", "This reconnect link is not valid (the connection may have been deleted). Go back to the app you came from.");
  const stale =
    claimed.expiresAt <= now
      ? `it expired at ${claimed.expiresAt.toISOString()}`
      : claimed.generation !== connection.relinkGeneration
        ? `a re-link has completed since it was made (generation ${claimed.generation}, now ${connection.relinkGeneration})`
        : null;
  if (stale) {
    console.warn(`Link: refused a re-link URL of ${connection.id}: ${stale}`);
    throw new LinkError("LINK_SESSION_EXPIRED", `This link has expired; ask ${connection.organization.name} for a new one.`);
  }
  return { connection, expiresAt: claimed.expiresAt };
}

/** The Link page of a re-link URL: what it shows, read only. Nothing is created until the end user starts (startRelinkSession). */
export async function openRelinkView(engine: SyncEngine, capability: string, now = new Date()): Promise<LinkView> {
  const { connection, expiresAt } = await checkRelinkUrl(engine, capability, now);
  return linkView(engine, {
    sessionId: null,
    organizationId: connection.organizationId,
    environment: connection.environment,
    allowedPlatforms: [connection.platform],
    connectionId: connection.id,
    expiresAt,
  });
}

/**
 * The end user started re-linking from a re-link URL (Link's first POST): a re-link session for it.
 * Made here rather than when the page is shown, so link previewers and crawlers that fetch the URL
 * create nothing.
 */
export async function startRelinkSession(engine: SyncEngine, capability: string, now = new Date()) {
  const { connection } = await checkRelinkUrl(engine, capability, now);
  return createLinkSession(
    engine,
    { organizationId: connection.organizationId, environment: connection.environment },
    { connectionId: connection.id, endUserId: connection.endUserId },
    now,
  );
}

/** What the Link UI shows for a session. */
export interface LinkView {
  /** Null on a re-link URL's page until the end user starts. */
  sessionId: string | null;
  organizationName: string;
  environment: EnvironmentKind;
  expiresAt: string;
  relink: { connectionId: string; platform: string; accountId: string; accountName: string | null } | null;
  /** A sign-in that covered several accounts, waiting for the end user to pick one (ids and names only). */
  pendingChoice: LinkChoice | null;
  platforms: {
    key: string;
    name: string;
    category: string;
    description: string;
    objects: string[];
    scopes: string[];
    accountField: { label: string; placeholder: string; hint: string; suffix?: string } | null;
    apiKey: { label: string; placeholder: string; hint: string } | null;
    logo: PlatformDefinition["logo"];
  }[];
}

async function sessionByToken(db: Db, token: string): Promise<LinkSession> {
  const session = token ? await db.linkSession.findUnique({ where: { tokenHash: hashToken(token) } }) : null;
  if (!session) throw new LinkError("LINK_SESSION_NOT_FOUND", "This link is not valid. Go back to the app you came from and start again.");
  return session;
}

/** The session behind a Link token, usable now: pending and not expired (expiring it on the way, once). */
async function usableSession(engine: SyncEngine, token: string, now = new Date()): Promise<LinkSession> {
  const session = await sessionByToken(engine.db, token);
  if (session.status === "completed")
    throw new LinkError("LINK_SESSION_COMPLETED", "This link was already used to connect an account. Go back to the app you came from.");
  if (session.status === "expired" || session.expiresAt <= now) {
    await expireSession(engine, session);
    throw new LinkError("LINK_SESSION_EXPIRED", "This link has expired (links last 30 minutes). Go back to the app you came from and start again.");
  }
  return session;
}

async function expireSession(engine: SyncEngine, session: LinkSession): Promise<void> {
  await engine.db.$transaction(async (tx) => {
    const { count } = await tx.linkSession.updateMany({
      where: { id: session.id, status: { in: ["pending", "failed"] } },
      data: { status: "expired", error: "LINK_SESSION_EXPIRED", ...NO_PENDING_SIGN_IN },
    });
    if (count === 1)
      await emitEvent(tx, linkErrorEvent(session, null, new LinkError("LINK_SESSION_EXPIRED", "The link session expired before an account was connected")));
  });
}

function linkErrorEvent(session: LinkSession, platform: string | null, error: LinkError) {
  return {
    organizationId: session.organizationId,
    environment: session.environment,
    connectionId: session.connectionId,
    type: "CONNECTION_LINK_ERROR",
    data: {
      link_session_id: session.id,
      platform,
      end_user_id: session.endUserId,
      connection_id: session.connectionId,
      error_code: error.code,
      error_message: error.message,
    },
  };
}

/** Records an end user's failure (denied consent, wrong key…) as CONNECTION_LINK_ERROR; the session stays open for another try. */
async function recordLinkError(engine: SyncEngine, session: LinkSession, platform: string | null, error: LinkError): Promise<never> {
  await engine.db.$transaction(async (tx) => {
    await tx.linkSession.update({ where: { id: session.id }, data: { error: error.code, oauthState: null } });
    await emitEvent(tx, linkErrorEvent(session, platform, error));
  });
  throw error;
}

export async function openLinkSession(engine: SyncEngine, token: string, now = new Date()): Promise<LinkView> {
  const session = await usableSession(engine, token, now);
  return linkView(engine, { ...session, sessionId: session.id, pendingChoice: pendingChoice(session) });
}

/** What Link offers: a session's, or a re-link URL's before its session exists. */
interface ViewSource {
  sessionId: string | null;
  organizationId: string;
  environment: EnvironmentKind;
  allowedPlatforms: string[];
  connectionId: string | null;
  expiresAt: Date;
  pendingChoice?: LinkChoice | null;
}

async function linkView(engine: SyncEngine, session: ViewSource): Promise<LinkView> {
  const scope = { organizationId: session.organizationId, environment: session.environment };
  const [organization, available, relinked] = await Promise.all([
    engine.db.organization.findUniqueOrThrow({ where: { id: session.organizationId }, select: { name: true } }),
    availablePlatforms(engine.db, scope),
    session.connectionId ? engine.db.connection.findUnique({ where: { id: session.connectionId } }) : null,
  ]);
  const offered = available.filter((p) => session.allowedPlatforms.length === 0 || session.allowedPlatforms.includes(p.key));
  const platforms = await Promise.all(
    offered.map(async (definition) => {
      const link = linkPlatform(definition.key)!;
      const configuration = await loadEffectiveConfiguration(engine.db, { id: session.connectionId ?? "none", ...scope, platform: definition.key });
      const field = (f: typeof link.accountField) => (f ? { label: f.label, placeholder: f.placeholder, hint: f.hint, suffix: f.suffix } : null);
      return {
        key: definition.key,
        name: definition.name,
        category: definition.category,
        description: definition.description,
        objects: configuration.objects,
        scopes: await oauthScopes(engine.db, { ...scope, platform: definition.key }),
        accountField: relinked ? null : field(link.accountField),
        apiKey: acceptsApiKey(definition) ? (field(link.apiKeyAccountField ?? null) as LinkView["platforms"][number]["apiKey"]) : null,
        logo: definition.logo,
      };
    }),
  );
  return {
    sessionId: session.sessionId,
    organizationName: organization.name,
    environment: session.environment,
    expiresAt: session.expiresAt.toISOString(),
    relink: relinked
      ? { connectionId: relinked.id, platform: relinked.platform, accountId: relinked.platformAccountId ?? "", accountName: relinked.accountName }
      : null,
    pendingChoice: session.pendingChoice ?? null,
    platforms,
  };
}

function offeredPlatform(session: LinkSession, platform: string) {
  const link = linkPlatform(platform);
  if (!link || (session.allowedPlatforms.length > 0 && !session.allowedPlatforms.includes(platform))) {
    throw new LinkError("PLATFORM_NOT_ALLOWED", `platform: ${platform} is not offered by this link`, "platform");
  }
  return link;
}

async function relinkTarget(engine: SyncEngine, session: LinkSession) {
  return session.connectionId ? engine.db.connection.findUnique({ where: { id: session.connectionId } }) : null;
}

export function oauthRedirectUri(engine: SyncEngine): string {
  return `${engine.appUrl.replace(/\/$/, "")}/link/oauth/callback`;
}

/**
 * Starts the platform's OAuth consent: the URL to open. The state names the session's attempt,
 * the platform and the account, since some platforms (Zendesk) do not say which account answered.
 */
export async function startOAuth(engine: SyncEngine, token: string, input: { platform: string; account?: string | null }): Promise<string> {
  const session = await usableSession(engine, token);
  const link = offeredPlatform(session, input.platform);
  const relinked = await relinkTarget(engine, session);
  let account = relinked?.platformAccountId ?? "";
  if (!relinked && link.accountField) {
    const parsed = link.accountField.parse(input.account ?? "");
    if (!parsed)
      throw new LinkError(
        "INVALID_ACCOUNT",
        `${link.accountField.label}: enter it as it appears in your ${link.definition.name} address, e.g. ${link.accountField.placeholder}`,
        "account",
      );
    account = parsed;
  }
  const state = `${randomToken("st", 18)}.${input.platform}.${Buffer.from(account).toString("base64url")}`;
  // A new sign-in replaces one still waiting for a pick: its credentials are dropped.
  await engine.db.linkSession.update({ where: { id: session.id }, data: { oauthState: state, error: null, ...NO_PENDING_SIGN_IN } });
  const connector = getConnector(input.platform);
  const client = await oauthClient(engine.db, { organizationId: session.organizationId, environment: session.environment, platform: input.platform });
  const authorize = new URL(connector.endpoints(account || "unknown", session.environment === "sandbox" ? engine.sandboxUrl : null).authorizeUrl);
  authorize.searchParams.set("client_id", client.clientId);
  authorize.searchParams.set("redirect_uri", oauthRedirectUri(engine));
  authorize.searchParams.set("response_type", "code");
  const scopes = await oauthScopes(engine.db, { organizationId: session.organizationId, environment: session.environment, platform: input.platform });
  authorize.searchParams.set("scope", scopes.join(link.scopeSeparator));
  authorize.searchParams.set("state", state);
  return authorize.toString();
}

/**
 * The consent page's error redirect (RFC 6749 4.1.2.1) in the end user's words. Only access_denied
 * means they said no; the server-side codes mean the platform is having trouble; any other (a store
 * that does not exist, a refused scope) is shown with the platform's own error_description, which is
 * what tells the end user what to fix.
 */
function oauthRefusal(name: string, error: string, description: string | null): LinkError {
  if (error === "access_denied")
    return new LinkError("ACCESS_DENIED", `You declined access on ${name}, so nothing was connected. To connect, try again and choose Allow.`);
  if (error === "server_error" || error === "temporarily_unavailable")
    return new LinkError("PLATFORM_ERROR", `${name} is not answering right now. Try again in a minute.`);
  // Shown to the end user and kept in the event: one line, of a readable length.
  const said = (description ?? "")
    .replace(/\p{Cc}+/gu, " ")
    .trim()
    .slice(0, 300)
    .replace(/\.$/, "");
  return new LinkError("PLATFORM_REFUSED", `${name} could not sign you in: ${said || error}. Check what you entered and try again.`);
}

export interface LinkSuccess {
  publicToken: string;
  metadata: { platform: string; platform_account_id: string; connection_id: string; is_relink: boolean; end_user_id: string | null };
}

/**
 * The platform redirected back: a code to exchange, or the end user's refusal. The result is the
 * connection, or, when the grant covers several accounts, the choice Link shows the end user.
 */
export async function completeSignIn(engine: SyncEngine, query: URLSearchParams): Promise<LinkSuccess | { choice: LinkChoice }> {
  const state = query.get("state") ?? "";
  const session = state ? await engine.db.linkSession.findUnique({ where: { oauthState: state } }) : null;
  if (!session)
    throw new LinkError(
      "LINK_SESSION_NOT_FOUND",
      "This sign-in is not part of an open link (it may have been completed or restarted). Close this window and try again.",
    );
  const [, platform = "", encodedAccount = ""] = state.split(".");
  if (session.status !== "pending" || session.expiresAt <= new Date()) {
    if (session.status === "completed") throw new LinkError("LINK_SESSION_COMPLETED", "This account is already connected. Close this window.");
    await expireSession(engine, session);
    throw new LinkError("LINK_SESSION_EXPIRED", "The link expired while you were signing in. Go back to the app you came from and start again.");
  }
  const name = linkPlatform(platform)?.definition.name ?? platform;
  const error = query.get("error");
  if (error) return recordLinkError(engine, session, platform, oauthRefusal(name, error, query.get("error_description")));
  const code = query.get("code");
  if (!code) return recordLinkError(engine, session, platform, new LinkError("PLATFORM_ERROR", `${name} answered without an authorization code. Try again.`));
  // The account Link asked for before sign-in; a platform whose consent page chooses it names it
  // through its connector's oauthAccount hook (QuickBooks' realmId).
  const requestedAccount = Buffer.from(encodedAccount, "base64url").toString("utf8");
  const connector = getConnector(platform);
  const client = await oauthClient(engine.db, { organizationId: session.organizationId, environment: session.environment, platform });
  const sandboxUrl = session.environment === "sandbox" ? engine.sandboxUrl : null;
  const requestedEndpoints = connector.endpoints(requestedAccount || "unknown", sandboxUrl);
  let credentials: Credentials;
  let named: Awaited<ReturnType<NonNullable<typeof connector.oauthAccount>>>;
  try {
    credentials = await exchangeAuthorizationCode(
      connector,
      requestedEndpoints.tokenUrl,
      client,
      { code, redirectUri: oauthRedirectUri(engine) },
      { fetch: engine.fetch },
    );
    const context = { baseUrl: requestedEndpoints.apiBaseUrl, credentials, fetch: engine.fetch, timeoutMs: 15_000 };
    named = connector.oauthAccount ? await connector.oauthAccount({ query, requestedAccount, context }) : requestedAccount || null;
  } catch (cause) {
    const message =
      cause instanceof ConnectorError && cause.kind === "transient"
        ? `${name} is not answering right now. Try again in a minute.`
        : `${name} refused the sign-in. Try again.`;
    return recordLinkError(engine, session, platform, new LinkError("PLATFORM_ERROR", message));
  }
  const choices = named === null || typeof named === "string" ? null : named.choices;
  if (!named || choices?.length === 0)
    return recordLinkError(engine, session, platform, new LinkError("PLATFORM_ERROR", `${name} did not say which account was connected. Try again.`));
  if (!choices) return finishLink(engine, session, { platform, account: named as string, credentials });
  // A re-link reconnects its own account when the grant covers it; finishLink refuses any other.
  const relinked = await relinkTarget(engine, session);
  const known = relinked ? (choices.find((c) => c.id === relinked.platformAccountId) ?? choices[0]) : choices.length === 1 ? choices[0] : null;
  if (known) return finishLink(engine, session, { platform, account: known.id, accountName: known.name, credentials });
  const held = await holdSignIn(engine.db, { id: session.id, oauthState: state }, { platform, choices }, credentials);
  if (!held)
    throw new LinkError(
      "LINK_SESSION_NOT_FOUND",
      "This sign-in is not part of an open link (it may have been completed or restarted). Close this window and try again.",
    );
  return { choice: { platform, choices } };
}

/**
 * completeSignIn for callers that expect one account (platforms whose consent page names one): a
 * sign-in that covered several is left waiting for the pick and refused here as ACCOUNT_CHOICE_REQUIRED.
 */
export async function completeOAuth(engine: SyncEngine, query: URLSearchParams): Promise<LinkSuccess> {
  const result = await completeSignIn(engine, query);
  if ("choice" in result) throw new LinkError("ACCOUNT_CHOICE_REQUIRED", "This sign-in covers several accounts: choose the one to connect.");
  return result;
}

/**
 * The end user picked one of the accounts their sign-in covered: it is connected with the held
 * credentials. An id that is not one of the choices is an INVALID_FIELD naming `field`.
 */
export async function chooseAccount(engine: SyncEngine, token: string, accountId: string, field = "tenant_id"): Promise<LinkSuccess> {
  const session = await usableSession(engine, token);
  const pending = pendingChoice(session);
  if (!pending) throw new LinkError("INVALID_FIELD", `${field}: there is no sign-in waiting for a choice on this link; sign in again`, field);
  const choice = pending.choices.find((c) => c.id === accountId);
  if (!choice) throw new LinkError("INVALID_FIELD", `${field}: not one of the ${pending.choices.length} accounts this sign-in covers`, field);
  offeredPlatform(session, pending.platform);
  return finishLink(engine, session, {
    platform: pending.platform,
    account: choice.id,
    accountName: choice.name,
    credentials: openCredentials(session.pendingCredentialsEncrypted),
  });
}

/** The API-key form (platforms that accept keys): the key is checked against the platform before it is stored. */
export async function connectWithApiKey(engine: SyncEngine, token: string, input: { platform: string; account: string; apiKey: string }): Promise<LinkSuccess> {
  const session = await usableSession(engine, token);
  const link = offeredPlatform(session, input.platform);
  if (!acceptsApiKey(link.definition) || !link.apiKeyAccountField)
    throw new LinkError("PLATFORM_NOT_ALLOWED", `platform: ${link.definition.name} connects by signing in, not with an API key`, "platform");
  const relinked = await relinkTarget(engine, session);
  const account = relinked?.platformAccountId ?? link.apiKeyAccountField.parse(input.account);
  if (!account) throw new LinkError("INVALID_ACCOUNT", `${link.apiKeyAccountField.label}: enter the ID as QuickBooks shows it`, "account");
  const apiKey = input.apiKey.trim();
  if (!apiKey) throw new LinkError("INVALID_API_KEY", "API key: paste the key you created", "api_key");
  const credentials: Credentials = { kind: "api_key", apiKey };
  // One small request proves the key works for this account before anything is stored. The end user
  // is waiting on the form: 15 s at most, and a platform that is down is said so at once, not retried.
  const probe = openPlatformSession(
    engine,
    { platform: input.platform, platformAccountId: account, environment: session.environment, credentials },
    { timeoutMs: 15_000, transientRetries: 0 },
  );
  try {
    await probe.list({ object: probe.connector.objects[0].key, cursor: null });
  } catch (cause) {
    const { kind, status } = classifyFailure(cause);
    const error =
      kind === "auth_revoked" || (kind === "permanent" && status === 401)
        ? new LinkError(
            "INVALID_API_KEY",
            `API key: ${link.definition.name} did not accept this key for company ${account}. Check both and try again.`,
            "api_key",
          )
        : kind === "account_closed" || (kind === "permanent" && status === 404)
          ? new LinkError("INVALID_ACCOUNT", `${link.apiKeyAccountField.label}: ${link.definition.name} has no company ${account}`, "account")
          : new LinkError("PLATFORM_ERROR", `${link.definition.name} is not answering right now. Try again in a minute.`);
    return recordLinkError(engine, session, input.platform, error);
  }
  return finishLink(engine, session, { platform: input.platform, account, credentials });
}

/**
 * Stores the credentials: a new connection (which starts its initial sync at once), or new
 * credentials on the connection being re-linked. The session completes exactly once.
 */
async function finishLink(
  engine: SyncEngine,
  session: LinkSession,
  input: { platform: string; account: string; accountName?: string; credentials: Credentials },
): Promise<LinkSuccess> {
  const relinked = await relinkTarget(engine, session);
  if (relinked?.platformAccountId && relinked.platformAccountId !== input.account) {
    return recordLinkError(
      engine,
      session,
      input.platform,
      new LinkError(
        "INVALID_ACCOUNT",
        `This link reconnects ${relinked.accountName ?? relinked.platformAccountId}, but you signed in to ${input.account}. Sign in to ${relinked.platformAccountId} instead.`,
      ),
    );
  }
  const publicToken = randomToken("public", 24);
  const { count } = await engine.db.linkSession.updateMany({
    where: { id: session.id, status: "pending" },
    data: {
      status: "completed",
      completedAt: new Date(),
      oauthState: null,
      error: null,
      publicTokenHash: hashToken(publicToken),
      publicTokenExpiresAt: new Date(Date.now() + PUBLIC_TOKEN_TTL_MS),
      ...NO_PENDING_SIGN_IN,
    },
  });
  if (count !== 1) throw new LinkError("LINK_SESSION_COMPLETED", "This link was already used to connect an account.");
  let connectionId: string;
  try {
    if (relinked) {
      await relinkConnection(engine.db, relinked.id, input.credentials);
      connectionId = relinked.id;
    } else {
      ({ id: connectionId } = await createConnection(engine.db, {
        organizationId: session.organizationId,
        environment: session.environment,
        platform: input.platform,
        platformAccountId: input.account,
        accountName: input.accountName,
        endUserId: session.endUserId,
        credentials: input.credentials,
      }));
      await engine.db.linkSession.update({ where: { id: session.id }, data: { connectionId } });
      // The access token createConnection made is never shown: the public token exchange issues the one the team keeps.
    }
  } catch (cause) {
    // Nothing was connected: the session opens again for another try, and the public token is void.
    console.error(cause);
    await engine.db.linkSession.update({
      where: { id: session.id },
      data: { status: "pending", completedAt: null, publicTokenHash: null, publicTokenExpiresAt: null },
    });
    return recordLinkError(engine, session, input.platform, new LinkError("PLATFORM_ERROR", "Something went wrong on our side while connecting. Try again."));
  }
  if (session.environment === "sandbox" && engine.sandboxUrl && getConnector(input.platform).webhooks) {
    // Change notifications make incremental syncs prompt; without them the schedule still syncs.
    await registerSandboxWebhooks(engine, connectionId).catch((error: unknown) =>
      console.warn(`Link: no sandbox webhook subscription for ${connectionId}: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
  return {
    publicToken,
    metadata: {
      platform: input.platform,
      platform_account_id: input.account,
      connection_id: connectionId,
      is_relink: Boolean(relinked),
      end_user_id: session.endUserId,
    },
  };
}

/**
 * The team's backend exchanges the public token (once, within 10 minutes) for the connection's
 * access token. A new connection gets its access token here; a re-linked one keeps the one it has
 * (access_token is null, the team's stored token still works).
 */
export async function exchangePublicToken(engine: SyncEngine, scope: Scope, publicToken: string, now = new Date()) {
  const invalid = () =>
    new LinkError(
      "INVALID_PUBLIC_TOKEN",
      "public_token: not valid — it is used once, within 10 minutes, with an API key of the organization and environment that created the link session",
      "public_token",
    );
  const session = await engine.db.linkSession.findUnique({ where: { publicTokenHash: hashToken(publicToken) } });
  if (!session || session.organizationId !== scope.organizationId || session.environment !== scope.environment || !session.connectionId) throw invalid();
  const connectionId = session.connectionId;
  return engine.db.$transaction(async (tx) => {
    // The connection's row first, as issueAccessToken locks it: the two then take their locks in one
    // order (no deadlock), and whichever comes second sees the public token already spent.
    await tx.$executeRaw`select 1 from connections where id = ${connectionId} for update`;
    const { count } = await tx.linkSession.updateMany({
      where: { id: session.id, publicTokenUsedAt: null, publicTokenExpiresAt: { gt: now } },
      data: { publicTokenUsedAt: now },
    });
    if (count !== 1) throw invalid();
    const connection = await tx.connection.findUniqueOrThrow({ where: { id: connectionId } });
    // A re-linked connection existed before its session; a new one was created by it.
    const isRelink = connection.createdAt < session.createdAt;
    let accessToken: string | null = null;
    if (!isRelink) {
      accessToken = randomToken("access");
      await tx.connection.update({ where: { id: connectionId }, data: { accessTokenHash: hashToken(accessToken) } });
    }
    return { access_token: accessToken, connection_id: connectionId, platform: connection.platform, is_relink: isRelink };
  });
}
