// OAuth 2.0 authorization code flow for the emulated platforms: a consent page listing the scopes,
// single-use codes bound to the client and redirect URI (10 minutes), token exchange, refresh and
// revocation. Each platform mounts it at its real paths and answers in its own format
// (lib/platforms/<key>/sandbox/platform.ts); the logic is shared here.
import { randomBytes } from "node:crypto";
import type { AccessTokenMinter, AccountRegistry, SandboxAccount, Token, TokenOptions } from "./accounts";
import type { SandboxRequest, SandboxResponse } from "./http";
import type { OAuthContext } from "./platform";

const CODE_TTL_MS = 10 * 60 * 1000;

interface PendingCode {
  /** One account, or several on platforms whose consent grants several (Xero's organisations). */
  accounts: SandboxAccount[];
  clientId: string;
  redirectUri: string;
  scopes: string[];
  expiresAt: number;
}

export interface AuthorizeRequest {
  clientId: string | null;
  redirectUri: string | null;
  scope: string | null;
  state: string | null;
}

export type OAuthError = { error: "invalid_request" | "invalid_client" | "invalid_grant" | "unsupported_grant_type"; description: string };

export class OAuthServer {
  private readonly codes = new Map<string, PendingCode>();

  constructor(readonly registry: AccountRegistry) {}

  /** Checks an authorization request before the consent page is shown. */
  validateAuthorize(request: AuthorizeRequest): OAuthError | null {
    if (!request.clientId) return { error: "invalid_request", description: "client_id is required" };
    if (!request.redirectUri) return { error: "invalid_request", description: "redirect_uri is required" };
    try {
      const url = new URL(request.redirectUri);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error();
    } catch {
      return { error: "invalid_request", description: "redirect_uri must be an absolute http(s) URL" };
    }
    return null;
  }

  /** The member approved: a single-use code for the redirect. */
  approve(accounts: SandboxAccount | SandboxAccount[], request: AuthorizeRequest): string {
    const list = Array.isArray(accounts) ? accounts : [accounts];
    const code = randomBytes(18).toString("base64url");
    this.codes.set(code, {
      accounts: list,
      clientId: request.clientId!,
      redirectUri: request.redirectUri!,
      scopes: parseScopes(request.scope, list[0].platform.scopes),
      expiresAt: this.registry.clock() + CODE_TTL_MS,
    });
    return code;
  }

  /**
   * Exchanges a code (once) for tokens; the client and redirect URI must be those of the authorization.
   * `options` carry the platform's token policy and access-token format.
   */
  exchange(input: { code?: string; clientId?: string; clientSecret?: string; redirectUri?: string }, options: TokenOptions = {}): TokenGrant | OAuthError {
    if (!input.clientId || !input.clientSecret) return { error: "invalid_client", description: "client_id and client_secret are required" };
    if (!input.code) return { error: "invalid_request", description: "code is required" };
    const pending = this.codes.get(input.code);
    this.codes.delete(input.code);
    if (!pending || pending.expiresAt <= this.registry.clock())
      return { error: "invalid_grant", description: "The authorization code is invalid, expired or already used" };
    if (pending.clientId !== input.clientId) return { error: "invalid_client", description: "The code was issued to another client" };
    if (input.redirectUri !== undefined && input.redirectUri !== pending.redirectUri) {
      return { error: "invalid_grant", description: "redirect_uri does not match the authorization request" };
    }
    const token = this.registry.issueToken(pending.accounts, pending.scopes, input.clientSecret, { ...options, clientId: input.clientId });
    return { account: pending.accounts[0], accounts: pending.accounts, token };
  }

  /** A refresh grant: which account the refresh token belongs to is found among all accounts of the platform. */
  refresh(accounts: SandboxAccount[], refreshToken: string | undefined, mint?: AccessTokenMinter): TokenGrant | OAuthError {
    if (!refreshToken) return { error: "invalid_request", description: "refresh_token is required" };
    for (const account of accounts) {
      if (!account.refreshTokens.has(refreshToken)) continue;
      const token = this.registry.refresh(account, refreshToken, mint);
      if (token) return { account, accounts: token.grant ? this.registry.grantAccounts(token.grant) : [account], token };
    }
    return { error: "invalid_grant", description: "The refresh token is invalid or revoked" };
  }

  /**
   * Revokes a token (access or refresh) and its pair, for every account of its grant; unknown tokens
   * are accepted silently (RFC 7009).
   */
  revoke(accounts: SandboxAccount[], value: string | undefined): void {
    if (!value) return;
    for (const account of accounts) {
      const token = account.tokens.get(value) ?? account.refreshTokens.get(value);
      if (token) {
        token.revoked = true;
        account.refreshTokens.delete(token.refreshToken);
        // A just-rotated refresh token's grace answer is its successor: revoking it ends that one too.
        const successor = token.successor ? account.refreshTokens.get(token.successor) : undefined;
        if (successor) {
          successor.revoked = true;
          account.refreshTokens.delete(successor.refreshToken);
        }
      }
    }
  }
}

function parseScopes(scope: string | null, allowed: string[]): string[] {
  if (!scope) return allowed;
  const asked = scope.split(/[\s,]+/).filter(Boolean);
  return asked.filter((s) => allowed.includes(s));
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Field names of the consent page's checkboxes (`multiple`): one name each, `account.<n>`, since the
 * sandbox reads a form into an object and repeated names would keep only the last.
 */
const MULTI_ACCOUNT_FIELD = /^account\.\d+$/;

/**
 * The consent page: which app asks, for which account, with which scopes; Allow or Deny. `multiple`:
 * the user ticks one or more accounts (Xero's organisations), the first ticked.
 */
export function consentPage(input: {
  platformName: string;
  action: string;
  clientId: string;
  scopes: string[];
  accounts: { id: string; name: string }[];
  fixedAccount?: string;
  multiple?: { label: string };
  hidden: Record<string, string>;
}): string {
  const scopes = input.scopes.map((s) => `<li><code>${escape(s)}</code></li>`).join("");
  const accountField = input.fixedAccount
    ? `<input type="hidden" name="account" value="${escape(input.fixedAccount)}"><p>Account: <strong>${escape(input.fixedAccount)}</strong></p>`
    : input.accounts.length === 0
      ? `<p class="warn">No ${escape(input.platformName)} sandbox account exists yet: create one with the control API.</p>`
      : input.multiple
        ? `<fieldset><legend>${escape(input.multiple.label)}</legend>${input.accounts
            .map(
              (a, i) =>
                `<label class="check"><input type="checkbox" name="account.${i}" value="${escape(a.id)}"${i === 0 ? " checked" : ""}> ${escape(a.name)} <small>(${escape(a.id)})</small></label>`,
            )
            .join("")}</fieldset>`
        : `<label for="account">Account</label><select id="account" name="account">${input.accounts
            .map((a) => `<option value="${escape(a.id)}">${escape(a.name)} (${escape(a.id)})</option>`)
            .join("")}</select>`;
  const hidden = Object.entries(input.hidden)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Authorize access · ${escape(input.platformName)} (sandbox)</title>
<style>body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0;display:flex;justify-content:center;padding:48px 16px;color:#1f2933}
main{background:#fff;max-width:420px;width:100%;border-radius:12px;box-shadow:0 1px 3px #0002;padding:28px}h1{font-size:20px;margin:0 0 4px}
.sub{color:#52606d;font-size:14px;margin:0 0 20px}ul{padding-left:20px}label{display:block;font-weight:600;margin:16px 0 6px}select{width:100%;padding:8px}
fieldset{border:1px solid #e4e7eb;border-radius:8px;padding:8px 14px;margin:16px 0 0}legend{font-weight:600;padding:0 4px}label.check{font-weight:400;margin:8px 0;display:flex;gap:8px;align-items:center}small{color:#7b8794}
.row{display:flex;gap:12px;margin-top:24px}button{flex:1;padding:10px;border-radius:8px;font-size:15px;cursor:pointer;border:1px solid #cbd2d9;background:#fff}
button[value=allow]{background:#1f63db;color:#fff;border-color:#1f63db}.warn{color:#b44d12}.badge{font-size:12px;background:#fff3c4;padding:2px 8px;border-radius:99px}</style></head>
<body><main><p><span class="badge">Sandbox</span></p><h1>${escape(input.platformName)}: authorize access</h1>
<p class="sub">The app <strong>${escape(input.clientId)}</strong> asks to read this account's data.</p>
<form method="post" action="${escape(input.action)}">${accountField}<p>It will be allowed to:</p><ul>${scopes}</ul>${hidden}
<div class="row"><button type="submit" name="decision" value="deny">Deny</button><button type="submit" name="decision" value="allow">Allow</button></div></form></main></body></html>`;
}

// ── Route helpers the platforms mount at their own paths ──────────────────────────────────────────

/**
 * GET shows the consent page; POST (the page's form) redirects back with a code, or with access_denied.
 * `multipleAccounts`: the user may tick several accounts, and the code grants them all.
 */
export function authorizeRoute(
  request: SandboxRequest,
  context: OAuthContext,
  options: {
    platformName: string;
    scopes: string[];
    fixedAccount?: string;
    multipleAccounts?: { label: string };
    redirectParams?: (account: SandboxAccount) => Record<string, string>;
  },
): SandboxResponse {
  const source = request.method === "POST" ? new URLSearchParams(request.body as Record<string, string>) : request.query;
  const authorize: AuthorizeRequest = {
    clientId: source.get("client_id"),
    redirectUri: source.get("redirect_uri"),
    scope: source.get("scope"),
    state: source.get("state"),
  };
  const problem = context.server.validateAuthorize(authorize);
  if (problem) return { status: 400, body: { error: problem.error, error_description: problem.description } };
  if (request.method !== "POST") {
    const hidden: Record<string, string> = { client_id: authorize.clientId!, redirect_uri: authorize.redirectUri! };
    if (authorize.scope) hidden.scope = authorize.scope;
    if (authorize.state) hidden.state = authorize.state;
    return {
      status: 200,
      body: consentPage({
        platformName: options.platformName,
        action: `${request.baseUrl}${request.path}`,
        clientId: authorize.clientId!,
        scopes: authorize.scope ? authorize.scope.split(/[\s,]+/).filter(Boolean) : options.scopes,
        accounts: context.accounts().map((a) => ({ id: a.id, name: a.name })),
        fixedAccount: options.fixedAccount,
        multiple: options.multipleAccounts,
        hidden,
      }),
    };
  }
  const target = new URL(authorize.redirectUri!);
  if (authorize.state) target.searchParams.set("state", authorize.state);
  const ids = options.multipleAccounts
    ? [...source.entries()].filter(([name]) => MULTI_ACCOUNT_FIELD.test(name) || name === "account").map(([, value]) => value)
    : [source.get("account") ?? options.fixedAccount ?? ""];
  const chosen = [...new Set(ids.filter(Boolean))];
  const accounts = chosen.map((id) => context.account(id));
  if (source.get("decision") !== "allow" || chosen.length === 0) {
    target.searchParams.set("error", "access_denied");
    target.searchParams.set("error_description", "The user denied access");
    return { status: 302, headers: { Location: target.toString() } };
  }
  // An account that does not exist is not the user saying no: access_denied would tell the app its
  // user declined. The platform's own words go back as an invalid_request instead.
  const missing = chosen.find((_, index) => !accounts[index] || accounts[index]!.closed);
  if (missing !== undefined) {
    target.searchParams.set("error", "invalid_request");
    target.searchParams.set("error_description", `${options.platformName} has no open account "${missing}"`);
    return { status: 302, headers: { Location: target.toString() } };
  }
  const granted = accounts as SandboxAccount[];
  target.searchParams.set("code", context.server.approve(granted, authorize));
  for (const [name, value] of Object.entries(options.redirectParams?.(granted[0]) ?? {})) target.searchParams.set(name, value);
  return { status: 302, headers: { Location: target.toString() } };
}

export interface TokenGrant {
  /** The grant's first account; `accounts` all of them (one, except on platforms granting several). */
  account: SandboxAccount;
  accounts: SandboxAccount[];
  token: Token;
}

/**
 * A token endpoint: authorization_code and refresh_token grants, client credentials from the body or
 * Basic auth. `options`: the platform's token policy and access-token format (defaults: an opaque
 * token for an hour, single-use refresh tokens).
 */
export function tokenRoute(
  request: SandboxRequest,
  context: OAuthContext,
  defaultGrant: "authorization_code" | null = null,
  options: Pick<TokenOptions, "policy" | "mint"> = {},
): TokenGrant | OAuthError {
  const body = (typeof request.body === "object" && request.body !== null ? request.body : {}) as Record<string, string | undefined>;
  const basic = parseBasic(request.headers.authorization);
  const clientId = body.client_id ?? basic?.user;
  const clientSecret = body.client_secret ?? basic?.password;
  const grant = body.grant_type ?? defaultGrant;
  if (grant === "authorization_code") return context.server.exchange({ code: body.code, clientId, clientSecret, redirectUri: body.redirect_uri }, options);
  if (grant === "refresh_token") {
    if (!clientId || !clientSecret) return { error: "invalid_client", description: "client_id and client_secret are required" };
    return context.server.refresh(context.accounts(), body.refresh_token, options.mint);
  }
  return { error: "unsupported_grant_type", description: `grant_type must be authorization_code or refresh_token` };
}

export function isOAuthError(value: TokenGrant | OAuthError): value is OAuthError {
  return "error" in value;
}

/** RFC 6749's error answer: 401 for a bad client, 400 otherwise. */
export function oauthErrorResponse(error: OAuthError): SandboxResponse {
  return { status: error.error === "invalid_client" ? 401 : 400, body: { error: error.error, error_description: error.description } };
}

export function parseBasic(header: string | undefined): { user: string; password: string } | null {
  if (!header?.startsWith("Basic ")) return null;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
