// The control API: create accounts, hand out credentials, switch faults, make changes, read the
// ground truth. Every input is validated; a bad one gets a 400 naming the field.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { fieldPath } from "@/lib/input/text";
import type { AccountRegistry, SandboxAccount, WebhookTarget } from "./accounts";
import { generateChanges } from "./changes";
import type { ChangeEvent } from "./dataset";
import { json, type SandboxResponse } from "./http";
import { intentStatus } from "./webhooks";

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

const createAccountSchema = z.object({
  /** One of the platforms this server emulates (checked against its registry). */
  platform: z.string().min(1),
  id: z.string().regex(SLUG, "lowercase letters, digits and dashes, at most 63").optional(),
  name: z.string().trim().min(1).max(200).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  size: z.number().int().min(0).max(100_000_000),
  history_months: z.number().int().min(1).max(240).default(24),
  rate_limited: z.boolean().default(true),
  /** Multiplies the platform's real allowance: 0.1 reaches the limit ten times sooner. */
  rate_limit_scale: z.number().positive().max(1000).default(1),
});

const faultsSchema = z
  .object({
    error_rate: z.number().min(0).max(1),
    latency_ms: z.number().int().min(0).max(120_000),
    timeout_rate: z.number().min(0).max(1),
    malformed_rate: z.number().min(0).max(1),
    burst_429: z.number().int().min(0).max(1_000_000),
    revoke_tokens: z.literal(true),
    closed: z.boolean(),
  })
  .partial()
  .strict();

const operationSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("create"), object: z.string().min(1), data: z.record(z.string(), z.unknown()) }),
  z.object({ op: z.literal("update"), object: z.string().min(1), id: z.number().int().positive(), data: z.record(z.string(), z.unknown()) }),
  z.object({ op: z.literal("delete"), object: z.string().min(1), id: z.number().int().positive() }),
]);

const changesSchema = z.union([
  z.object({ random: z.number().int().min(1).max(1_000_000), seed: z.number().int().min(0).optional() }).strict(),
  z.object({ operations: z.array(operationSchema).min(1).max(10_000) }).strict(),
]);

const webhookSchema = z
  .object({
    url: z
      .string()
      .url()
      .refine((url) => /^https?:/.test(url), "must be http or https"),
    /** The signing key, when the receiver must know it before the first POST (Xero's webhook key, shown before intent to receive); generated when absent. */
    secret: z.string().min(16).max(200).optional(),
  })
  .strict();
/** client_secret: the app's secret, which signs webhooks of subscriptions the token makes (Shopify's); generated when absent. */
const tokenSchema = z.object({ scopes: z.array(z.string()).optional(), client_secret: z.string().min(1).max(200).optional() }).strict();

export function badRequest(field: string, message: string): SandboxResponse {
  return json(400, { error: `${field}: ${message}`, field });
}

function parse<T>(schema: z.ZodType<T>, body: unknown): { ok: true; value: T } | { ok: false; response: SandboxResponse } {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const field = issue.path.length ? fieldPath(issue.path) : issue.code === "unrecognized_keys" ? issue.keys.join(", ") : "body";
  return { ok: false, response: badRequest(field, issue.code === "unrecognized_keys" ? "unknown field" : issue.message) };
}

export interface ControlContext {
  registry: AccountRegistry;
  /** The sandbox server's base URL, for the account's API base in answers. */
  baseUrl: string;
  /** Told of each webhook the control API registers (the server runs the platform's intent-to-receive check). */
  webhookAdded?(account: SandboxAccount, hook: WebhookTarget): void;
}

function describeWebhook(hook: WebhookTarget) {
  const intent = intentStatus(hook);
  return { url: hook.url, ...(hook.topics ? { topics: hook.topics } : {}), ...(intent ? { intent_to_receive: intent } : {}) };
}

export function describeAccount(account: SandboxAccount, baseUrl: string) {
  const counts: Record<string, number> = {};
  for (const object of account.dataset.objects()) counts[object] = account.dataset.liveCount(object);
  return {
    platform: account.platform.key,
    id: account.id,
    name: account.name,
    seed: account.dataset.shape.seed,
    size: account.dataset.shape.size,
    history_months: account.dataset.shape.historyMonths,
    rate_limited: account.rateLimited,
    rate_limit_scale: account.rateLimitScale,
    closed: account.closed,
    faults: account.faults,
    counts,
    api_base_url: `${baseUrl}/${account.platform.key}`,
  };
}

/** Handles /control/…; `segments` are the path parts after "control". */
export function handleControl(method: string, segments: string[], body: unknown, context: ControlContext): SandboxResponse {
  const { registry } = context;
  if (segments[0] !== "accounts") return json(404, { error: "Unknown control path" });
  if (segments.length === 1) {
    if (method === "GET") return json(200, { accounts: registry.list().map((a) => describeAccount(a, context.baseUrl)) });
    if (method === "POST") return createAccount(body, context);
    return json(405, { error: "Use GET or POST" });
  }
  const [, platformKey, accountId, action] = segments;
  if (!registry.platform(platformKey)) return badRequest("platform", `unknown platform "${platformKey}"`);
  const account = accountId ? registry.get(platformKey, accountId) : undefined;
  if (!account) return badRequest("account", `no ${platformKey} account "${accountId ?? ""}"`);

  if (!action) {
    if (method === "GET") return json(200, describeAccount(account, context.baseUrl));
    if (method === "DELETE") {
      registry.delete(platformKey, account.id);
      return { status: 204 };
    }
  }
  if (action === "tokens" && method === "POST") {
    const input = parse(tokenSchema, body);
    if (!input.ok) return input.response;
    const clientSecret = input.value.client_secret ?? `${account.platform.key}_app_secret_${randomBytes(18).toString("base64url")}`;
    const token = registry.issueToken(account, input.value.scopes ?? account.platform.scopes, clientSecret);
    return json(201, {
      access_token: token.accessToken,
      refresh_token: token.refreshToken,
      expires_at: new Date(token.expiresAt).toISOString(),
      client_secret: clientSecret,
    });
  }
  if (action === "api-keys" && method === "POST") {
    if (!account.platform.acceptsApiKeys) return badRequest("platform", `${account.platform.name} does not accept API keys`);
    return json(201, { api_key: registry.issueApiKey(account) });
  }
  if (action === "faults" && (method === "PUT" || method === "PATCH")) {
    const input = parse(faultsSchema, body);
    if (!input.ok) return input.response;
    const { revoke_tokens, closed, error_rate, latency_ms, timeout_rate, malformed_rate, burst_429 } = input.value;
    if (revoke_tokens) registry.revokeAll(account);
    if (closed !== undefined) account.closed = closed;
    account.faults = {
      errorRate: error_rate ?? account.faults.errorRate,
      latencyMs: latency_ms ?? account.faults.latencyMs,
      timeoutRate: timeout_rate ?? account.faults.timeoutRate,
      malformedRate: malformed_rate ?? account.faults.malformedRate,
      burst429: burst_429 ?? account.faults.burst429,
    };
    return json(200, describeAccount(account, context.baseUrl));
  }
  if (action === "changes" && method === "POST") return applyChanges(account, body);
  if (action === "ground-truth" && method === "GET") {
    const object = segments[4];
    if (object && !account.dataset.objects().includes(object)) return badRequest("object", `unknown object "${object}"`);
    // Streamed: a million-record account's ground truth is ~70 MB of JSON, never held at once.
    const rows = account.dataset.groundTruth(object);
    const platform = account.platform;
    function* chunks(): Generator<string> {
      yield '{"records":[';
      let first = true;
      let batch: string[] = [];
      for (const row of rows) {
        const columns = platform.groundTruthColumns?.(row);
        batch.push(JSON.stringify({ object: row.object, id: row.id, updated_at: new Date(row.updatedAt).toISOString(), deleted: row.deleted, ...columns }));
        if (batch.length === 1000) {
          yield (first ? "" : ",") + batch.join(",");
          first = false;
          batch = [];
        }
      }
      if (batch.length) yield (first ? "" : ",") + batch.join(",");
      yield "]}";
    }
    return { status: 200, headers: { "Content-Type": "application/json; charset=utf-8" }, chunks: chunks() };
  }
  if (action === "webhooks" && method === "POST") {
    const input = parse(webhookSchema, body);
    if (!input.ok) return input.response;
    const secret = input.value.secret ?? `${account.platform.key}_whsec_${randomBytes(18).toString("base64url")}`;
    const hook: WebhookTarget = { url: input.value.url, secret };
    account.webhooks.push(hook);
    context.webhookAdded?.(account, hook);
    return json(201, { ...describeWebhook(hook), secret });
  }
  if (action === "webhooks" && method === "GET") return json(200, { webhooks: account.webhooks.map(describeWebhook) });
  return json(404, { error: `Unknown control action "${action ?? ""}" for ${method}` });
}

function createAccount(body: unknown, context: ControlContext): SandboxResponse {
  const input = parse(createAccountSchema, body);
  if (!input.ok) return input.response;
  const { platform, size, history_months, rate_limited, rate_limit_scale } = input.value;
  if (!context.registry.platform(platform))
    return badRequest("platform", `unknown platform "${platform}" (this sandbox emulates ${context.registry.platformKeys().join(", ")})`);
  const ids = context.registry.platform(platform)?.accountIds;
  if (input.value.id !== undefined && ids && !ids.pattern.test(input.value.id)) return badRequest("id", ids.description);
  const seed = input.value.seed ?? Math.floor(Math.random() * 2 ** 31);
  const id = input.value.id ?? context.registry.platform(platform)?.newAccountId?.(seed) ?? `${platform}-${seed.toString(36)}`;
  if (context.registry.get(platform, id)) return json(409, { error: `id: a ${platform} account "${id}" exists already`, field: "id" });
  const account = context.registry.create({
    platform,
    id,
    name: input.value.name ?? id,
    seed,
    size,
    historyMonths: history_months,
    rateLimited: rate_limited,
    rateLimitScale: rate_limit_scale,
  });
  return json(201, describeAccount(account, context.baseUrl));
}

function applyChanges(account: SandboxAccount, body: unknown): SandboxResponse {
  const input = parse(changesSchema, body);
  if (!input.ok) return input.response;
  const { dataset } = account;
  let changes: ChangeEvent[];
  if ("random" in input.value) {
    changes = generateChanges(dataset, input.value.random, input.value.seed ?? Date.now());
  } else {
    // All operations are checked before any is applied: a bad one changes nothing.
    for (const [i, operation] of input.value.operations.entries()) {
      if (!dataset.objects().includes(operation.object)) return badRequest(`operations[${i}].object`, `unknown object "${operation.object}"`);
      if (operation.op !== "create" && dataset.get(operation.object, operation.id)?.deletedAt !== null) {
        return badRequest(`operations[${i}].id`, `no live ${operation.object} with id ${operation.id}`);
      }
    }
    changes = [];
    for (const operation of input.value.operations) {
      const record =
        operation.op === "create"
          ? dataset.create(operation.object, operation.data)
          : operation.op === "update"
            ? dataset.update(operation.object, operation.id, operation.data)
            : dataset.delete(operation.object, operation.id);
      // The same id twice in one call: the second operation finds it gone.
      if (record) changes.push({ kind: operation.op === "create" ? "created" : operation.op === "update" ? "updated" : "deleted", record });
    }
  }
  return json(200, {
    changes: changes.map((c) => ({ kind: c.kind, object: c.record.object, id: c.record.id, updated_at: new Date(c.record.updatedAt).toISOString() })),
  });
}
