// One HTTP request of a connector, with the classification every connector shares: 429 → rate
// limited (with Retry-After), 5xx, timeouts, network errors and unparseable bodies → transient; 401 →
// auth revoked; 400/403/404/422 → the caller decides (closed account or permanent).
import { createHmac, timingSafeEqual } from "node:crypto";
import { ConnectorError, type ConnectorContext } from "./types";

const DEFAULT_TIMEOUT_MS = 30_000;

export interface JsonResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export async function requestJson<T>(context: ConnectorContext, url: string, init: RequestInit = {}): Promise<JsonResponse<T>> {
  let response: Response;
  try {
    response = await context.fetch(url, { ...init, signal: AbortSignal.timeout(context.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
  } catch (error) {
    const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : error instanceof Error ? error.message : String(error);
    throw new ConnectorError("transient", `Request to ${new URL(url).pathname} failed: ${reason}`);
  }
  const text = await response.text().catch(() => "");
  if (response.status === 429) {
    throw new ConnectorError("rate_limited", "Rate limited by the platform", { retryAfterMs: retryAfterMs(response.headers.get("retry-after")), status: 429 });
  }
  if (response.status >= 500) throw new ConnectorError("transient", `Platform error ${response.status}`, { status: response.status });
  if (response.status === 401) throw new ConnectorError("auth_revoked", "The platform refused the credentials", { status: 401 });
  let body: T;
  try {
    body = (text ? JSON.parse(text) : null) as T;
  } catch {
    // A cut-off page: the next attempt usually gets it whole.
    throw new ConnectorError("transient", `Malformed response from ${new URL(url).pathname}`, { status: response.status });
  }
  return { status: response.status, headers: response.headers, body };
}

/** Retry-After in seconds or as an HTTP date; 1 s when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 1000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 1000 : Math.max(0, date - now);
}

/** Constant-time comparison of a base64 HMAC-SHA256 signature over `payload`. */
export function hmacMatches(secret: string, payload: string, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = createHmac("sha256", secret).update(payload, "utf8").digest();
  const given = Buffer.from(signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
