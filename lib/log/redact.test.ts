// Secrets out of log lines, with the secrets made by the code that makes them: Link sessions, the
// OAuth round trip through the sandbox, the public token exchange, API keys, webhook secrets, re-link
// URLs, the sandbox's platform tokens and the embedded database's URL. Each appears in the lines our
// processes and Next's dev server print; none may survive the redactor, nor the launcher's pipe.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api/keys";
import { completeOAuth, createLinkSession, exchangePublicToken, startOAuth } from "@/lib/link/sessions";
import { relinkCapability, relinkUrl } from "@/lib/sync/health";
import { createSyncHarness, type SyncHarness } from "@/lib/sync/testing";
import { newWebhookSecret } from "@/lib/webhooks/signing";
import { pipeChildOutput, redact } from "./redact";

interface Case {
  what: string;
  /** The secret values that must not appear. */
  secrets: string[];
  line: string;
  /** What the redacted line still says. */
  kept?: string;
}

describe("redacting log lines", () => {
  let h: SyncHarness;
  const cases: Case[] = [];

  /** The sandbox's consent page, allowed: the query the platform redirects back to Link's callback with. */
  async function consent(authorizeUrl: string): Promise<URLSearchParams> {
    const url = new URL(authorizeUrl);
    const form = new URLSearchParams(url.searchParams);
    form.set("decision", "allow");
    const answer = await fetch(url.origin + url.pathname, { method: "POST", body: form, redirect: "manual" });
    expect(answer.status).toBe(302);
    return new URL(answer.headers.get("location")!).searchParams;
  }

  beforeAll(async () => {
    h = await createSyncHarness({ kind: "pglite" });
    const scope = { organizationId: h.organizationId, environment: "sandbox" as const };
    await h.control("", "POST", { platform: "shopify", id: "log-shop", size: 20, seed: 3, rate_limited: false });
    await h.control("", "POST", { platform: "quickbooks", id: "4620816366", size: 20, seed: 3, rate_limited: false });

    const session = await createLinkSession(h.engine, scope, { platforms: ["shopify"], endUserId: "user-7" });
    expect(session.token).toMatch(/^link_/);
    cases.push(
      {
        what: "link token in the Link page's URL",
        secrets: [session.token],
        line: ` GET /link?token=${session.token}&origin=http%3A%2F%2F127.0.0.1%3A5173&mode=iframe 200 in 41ms`,
        kept: " GET /link?token=[redacted]&origin=http%3A%2F%2F127.0.0.1%3A5173&mode=iframe 200 in 41ms",
      },
      { what: "link_url printed", secrets: [session.token], line: `link_url: ${session.linkUrl}` },
      {
        what: "link token in an API answer",
        secrets: [session.token],
        line: `{"link_token":"${session.token}","expires_at":"${session.expiresAt.toISOString()}"}`,
        kept: `{"link_token":"[redacted]","expires_at":"${session.expiresAt.toISOString()}"}`,
      },
      { what: "link token on its own", secrets: [session.token], line: `opened ${session.token} in an iframe`, kept: "opened link_[redacted] in an iframe" },
    );

    const authorizeUrl = await startOAuth(h.engine, session.token, { platform: "shopify", account: "log-shop" });
    const state = new URL(authorizeUrl).searchParams.get("state")!;
    expect(state).toMatch(/^st_/);
    cases.push(
      { what: "OAuth state in the authorize URL", secrets: [state.split(".")[0]], line: `redirecting to ${authorizeUrl}` },
      { what: "OAuth state on its own", secrets: [state.split(".")[0]], line: `no session for state ${state}` },
    );
    const callback = await consent(authorizeUrl);
    const code = callback.get("code")!;
    expect(code.length).toBeGreaterThan(10);
    cases.push({
      what: "OAuth code and state in the callback URL",
      secrets: [code, state, state.split(".")[0]],
      line: ` GET /link/oauth/callback?${callback.toString()} 200 in 95ms`,
      kept: "/link/oauth/callback?",
    });

    const success = await completeOAuth(h.engine, callback);
    expect(success.publicToken).toMatch(/^public_/);
    cases.push(
      {
        what: "public token in a request body",
        secrets: [success.publicToken],
        line: `POST /api/v1/item/public_token/exchange {"public_token":"${success.publicToken}"}`,
        kept: "POST /api/v1/item/public_token/exchange",
      },
      { what: "public token on its own", secrets: [success.publicToken], line: `onSuccess(${success.publicToken})` },
    );
    const exchanged = await exchangePublicToken(h.engine, scope, success.publicToken);
    const accessToken = exchanged.access_token!;
    expect(accessToken).toMatch(/^access_/);
    cases.push(
      { what: "access token on its own", secrets: [accessToken], line: `calling the API with ${accessToken}`, kept: "calling the API with access_[redacted]" },
      {
        what: "access token in a query string",
        secrets: [accessToken],
        line: ` GET /api/v1/orders?access_token=${accessToken}&limit=5 200 in 12ms`,
        kept: "/api/v1/orders?access_token=[redacted]&limit=5 200 in 12ms",
      },
      { what: "access token as a bearer", secrets: [accessToken], line: `authorization: Bearer ${accessToken}` },
    );

    const connectionId = success.metadata.connection_id;
    const relink = relinkUrl("http://localhost:3000", { id: connectionId, relinkGeneration: 0 });
    const capability = relinkCapability({ id: connectionId, relinkGeneration: 0 });
    const mac = capability.slice(capability.lastIndexOf(".") + 1);
    cases.push(
      {
        what: "re-link URL as Next logs the request",
        secrets: [mac],
        line: ` GET ${new URL(relink).pathname}${new URL(relink).search} 307 in 20ms`,
        kept: "GET /link?relink=[redacted] 307",
      },
      { what: "re-link URL in a webhook payload", secrets: [mac], line: `{"type":"CONNECTION_NEEDS_UPDATE","data":{"link_url":"${relink}"}}` },
      {
        what: "re-link capability on its own",
        secrets: [mac],
        line: `capability ${capability} refused`,
        kept: `capability ${connectionId}.[redacted] refused`,
      },
    );

    for (const environment of ["sandbox", "production"] as const) {
      const key = await createApiKey(h.database.db, { organizationId: h.organizationId, environment, name: "logs" });
      const basic = Buffer.from(`${key.clientId}:${key.secret}`).toString("base64");
      cases.push(
        {
          what: `${environment} API secret on its own`,
          secrets: [key.secret],
          line: `created key ${key.clientId} with secret ${key.secret}`,
          kept: `created key ${key.clientId} with secret sk_${environment === "sandbox" ? "test" : "live"}_[redacted]`,
        },
        { what: `${environment} API key in an Authorization header`, secrets: [basic, key.secret], line: `authorization: Basic ${basic}` },
      );
    }

    const webhookSecret = newWebhookSecret();
    cases.push(
      {
        what: "webhook secret on its own",
        secrets: [webhookSecret.slice("whsec_".length)],
        line: `endpoint secret ${webhookSecret}`,
        kept: "endpoint secret whsec_[redacted]",
      },
      {
        what: "webhook secret in an API answer",
        secrets: [webhookSecret.slice("whsec_".length)],
        line: `{"webhook_endpoint":{"id":"whk_1"},"secret":"${webhookSecret}"}`,
      },
    );

    const tokens = (await (await h.control("/shopify/log-shop/tokens", "POST", {})).json()) as { access_token: string; refresh_token: string };
    const { api_key: platformKey } = (await (await h.control("/quickbooks/4620816366/api-keys", "POST", {})).json()) as { api_key: string };
    const { secret: platformWebhookSecret } = (await (await h.control("/shopify/log-shop/webhooks", "POST", { url: "http://127.0.0.1:9/hook" })).json()) as {
      secret: string;
    };
    expect([tokens.access_token, tokens.refresh_token, platformKey, platformWebhookSecret]).toEqual([
      expect.stringMatching(/^shopify_at_/),
      expect.stringMatching(/^shopify_rt_/),
      expect.stringMatching(/^quickbooks_key_/),
      expect.stringMatching(/^shopify_whsec_/),
    ]);
    cases.push(
      {
        what: "a platform's token answer",
        secrets: [tokens.access_token, tokens.refresh_token],
        line: `token endpoint answered {"access_token":"${tokens.access_token}","refresh_token":"${tokens.refresh_token}","expires_in":86400}`,
      },
      {
        what: "platform tokens on their own",
        secrets: [tokens.access_token, tokens.refresh_token, platformKey, platformWebhookSecret],
        line: `sandbox: ${tokens.access_token} ${tokens.refresh_token} ${platformKey} ${platformWebhookSecret}`,
      },
      {
        what: "a platform token in a sandbox request URL",
        secrets: [tokens.access_token],
        line: `sandbox: GET /shopify/log-shop/admin/api/2024-10/orders.json?access_token=${tokens.access_token} failed: boom`,
      },
    );

    const databaseUrl = new URL(h.database.url);
    expect(databaseUrl.password.length).toBeGreaterThanOrEqual(20);
    cases.push({
      what: "the embedded database's URL",
      secrets: [databaseUrl.password, decodeURIComponent(databaseUrl.password)],
      line: `Cannot reach ${h.database.url}: ECONNREFUSED`,
      kept: `postgresql://postgres:***@${databaseUrl.host}/postgres`,
    });
  });
  afterAll(() => h?.close());

  it("takes every secret out of every line, and keeps the rest of the line", () => {
    expect(cases.length).toBe(25);
    for (const { what, secrets, line, kept } of cases) {
      const out = redact(line);
      for (const secret of secrets) expect(out, what).not.toContain(secret);
      if (kept) expect(out, what).toContain(kept);
      else expect(out, what).toMatch(/\[redacted\]|\*\*\*/);
    }
  });

  it("leaves ordinary lines alone: ids, snake_case names, paths", () => {
    const lines = [
      " GET /connections/conn_01JD8ZQ4W6B3X0Y5N7M2K9P1RT?tab=timeline 200 in 80ms",
      "worker: connection conn_01JD8ZQ4W6B3X0Y5N7M2K9P1RT failed. Retrying",
      "Unique constraint failed on link_sessions_organization_id_environment_created_at_idx",
      "public_token_expires_at, access_token_hash and link_token columns",
      "[tributary] Sandbox platforms at http://127.0.0.1:4010",
    ];
    for (const line of lines) expect(redact(line)).toBe(line);
  });

  it("the launcher's pipe takes them out of a child's stdout and stderr, lines split across writes included", async () => {
    const lines = cases.map((c) => c.line);
    // The child writes each line in two pieces cut inside the line, some to stderr, with pauses between.
    const script = `
      const lines = JSON.parse(process.env.LINES);
      (async () => {
        for (const [i, line] of lines.entries()) {
          const out = i % 3 === 0 ? process.stderr : process.stdout;
          const cut = Math.floor(line.length / 2);
          out.write(line.slice(0, cut));
          await new Promise((r) => setTimeout(r, 5));
          out.write(line.slice(cut) + "\\n");
        }
      })();`;
    const child = spawn(process.execPath, ["-e", script], { env: { ...process.env, LINES: JSON.stringify(lines) }, stdio: ["ignore", "pipe", "pipe"] });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let written = "";
    stdout.on("data", (chunk: Buffer) => (written += chunk.toString()));
    stderr.on("data", (chunk: Buffer) => (written += chunk.toString()));
    await pipeChildOutput(child, { stdout, stderr });
    for (const { what, secrets } of cases) for (const secret of secrets) expect(written, what).not.toContain(secret);
    expect(written.split("\n").filter(Boolean)).toHaveLength(lines.length);
    expect(written).toContain("GET /link?token=[redacted]&origin=");
  });

  it("a process that redacts its own output: console.log, console.error and raw writes", () => {
    const lines = cases.map((c) => c.line);
    const script = `
      import { redactProcessOutput } from ${JSON.stringify(path.resolve("lib/log/redact.ts"))};
      redactProcessOutput();
      const lines = JSON.parse(process.env.LINES);
      lines.forEach((line, i) => (i % 3 === 0 ? console.log(line) : i % 3 === 1 ? console.error("worker:", line) : process.stdout.write(Buffer.from(line + "\\n"))));`;
    const result = spawnSync(path.resolve("node_modules/.bin/tsx"), ["--input-type=module", "-e", script], {
      env: { ...process.env, LINES: JSON.stringify(lines) },
      encoding: "utf8",
    });
    expect(result.status, result.stderr).toBe(0);
    const written = result.stdout + result.stderr;
    for (const { what, secrets } of cases) for (const secret of secrets) expect(written, what).not.toContain(secret);
    expect(written.split("\n").filter(Boolean)).toHaveLength(lines.length);
  });
});
