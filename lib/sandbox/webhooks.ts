// Webhook delivery from the sandbox: each change or platform event POSTed to the account's webhooks,
// signed the platform's way, and the check some platforms make of a URL before sending to it.
import type { SandboxAccount, WebhookTarget } from "./accounts";
import type { PlatformEvent } from "./platform";

export type IntentStatus = "pending" | "ok" | "failed";

/** Outcome of each webhook's intent-to-receive check; absent for platforms that make none. */
const intents = new WeakMap<WebhookTarget, IntentStatus>();

export function intentStatus(hook: WebhookTarget): IntentStatus | undefined {
  return intents.get(hook);
}

/** An event to every webhook of the account that takes its topic (control API webhooks take all). */
export async function deliverWebhooks(account: SandboxAccount, event: PlatformEvent, send: typeof fetch, log?: (line: string) => void): Promise<void> {
  for (const hook of [...account.webhooks]) {
    if (hook.topics && (event.topic === undefined || !hook.topics.includes(event.topic))) continue;
    // A URL that failed the platform's intent-to-receive check gets nothing, as on Xero.
    if (intents.get(hook) === "failed") continue;
    const signed = event.sign(hook.secret);
    if (!signed) continue;
    try {
      await send(hook.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...signed.headers },
        body: signed.body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      // Real platforms retry later; the sandbox logs and moves on, tests read what arrived.
      log?.(`sandbox: webhook to ${hook.url} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * The platform's intent-to-receive check of a new webhook (Xero: the receiver must answer 200 to a
 * correctly signed empty notification and 401 to a wrongly signed one, within 5 seconds). The result
 * is kept for the control API's webhook listing; platforms without the check leave nothing.
 */
export async function checkIntentToReceive(account: SandboxAccount, hook: WebhookTarget, send: typeof fetch, log?: (line: string) => void): Promise<void> {
  const intent = account.platform.intentToReceive?.(hook.secret);
  if (!intent) return;
  intents.set(hook, "pending");
  const post = async (signed: { headers: Record<string, string>; body: string }) => {
    try {
      const response = await send(hook.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...signed.headers },
        body: signed.body,
        signal: AbortSignal.timeout(5_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } catch (error) {
      log?.(`sandbox: intent to receive at ${hook.url} failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  };
  const valid = await post(intent.valid);
  const invalid = await post(intent.invalid);
  intents.set(hook, valid === 200 && invalid === 401 ? "ok" : "failed");
}
