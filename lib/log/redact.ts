// Secrets out of every log line. Next's dev server logs each request's URL with its query string,
// and Link, OAuth and re-link URLs carry tokens there (151 such lines in one dev session); errors
// print URLs with passwords. One function decides what a line may say; the launcher runs Next's
// output through it line by line, and each of our processes runs its own output through it.
import type { ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";

const REDACTED = "[redacted]";

/**
 * Query and form parameters whose value is a secret, by name: Link's `token` and `relink`, the
 * OAuth callback's `code` and `state` (and Shopify's `hmac`), and the usual names for credentials.
 */
const SECRET_PARAMETERS = [
  "token",
  "link_token",
  "access_token",
  "public_token",
  "refresh_token",
  "id_token",
  "relink",
  "code",
  "state",
  "mac",
  "hmac",
  "sig",
  "signature",
  "password",
  "secret",
  "client_secret",
  "api_key",
  "apikey",
];
const names = SECRET_PARAMETERS.join("|");

/** Base64url of random bytes: at least one capital or digit, which snake_case words never have. */
const RANDOM = "(?=[A-Za-z0-9_-]*[A-Z0-9])[A-Za-z0-9_-]{20,}";

const RULES: [RegExp, string][] = [
  // name=value in a URL or a form body; %3F/%26/%3D when the URL sits encoded inside another.
  [new RegExp(`((?:^|[?&\\s;])(?:${names})=)[^&\\s#"'<>]+`, "gi"), `$1${REDACTED}`],
  [new RegExp(`((?:%3F|%26)(?:${names})%3D)(?:(?!%26)[^&\\s#"'<>])+`, "gi"), `$1${REDACTED}`],
  // "name": "value" in JSON (a platform's token answer, a logged request body).
  [new RegExp(`("(?:${names})"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*"`, "gi"), `$1${REDACTED}"`],
  // user:password@ in any URL (database URLs above all).
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#@]+@/gi, "$1:***@"],
  // Our tokens by their shape, wherever they appear: lib/link/sessions.ts (link_, public_, st_ for
  // OAuth state), lib/sync/connections.ts (access_), lib/api/keys.ts (sk_live_, sk_test_).
  [new RegExp(`\\b(access_|public_|link_|st_|sk_live_|sk_test_)${RANDOM}`, "g"), `$1${REDACTED}`],
  // Webhook secrets (lib/webhooks/signing.ts, standard base64) and the sandbox's tokens
  // (lib/sandbox: shopify_at_, zendesk_rt_, quickbooks_key_, shopify_whsec_, …).
  [/\b((?:[a-z]+_)?whsec_)[A-Za-z0-9+/_-]{20,}={0,2}/g, `$1${REDACTED}`],
  [new RegExp(`\\b([a-z]+_(?:at|rt|key)_)${RANDOM}`, "g"), `$1${REDACTED}`],
  // A re-link capability (lib/sync/health.ts): the connection id stays, its MAC goes.
  [/\b(conn_[0-9A-Z]{26}\.)[A-Za-z0-9_.-]+/g, `$1${REDACTED}`],
  // Real platforms' tokens: Shopify's, and JWTs (QuickBooks).
  [/\b(shpat_|shpca_|shppa_|shpss_)[A-Fa-f0-9]{32}\b/g, `$1${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Authorization header values.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]{8,}=*/g, `$1 ${REDACTED}`],
];

/** The text with every secret it recognizes replaced. */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}

/** A partial line (a prompt, a progress bar) is written after this long without its newline. */
const PARTIAL_LINE_MS = 100;

/**
 * Copies `source` to `sink` one redacted line at a time, so a secret split across two chunks is
 * still seen whole. Resolves when the source has ended and everything is written.
 */
export function pipeRedacted(source: Readable, sink: Writable): Promise<void> {
  let pending = "";
  let timer: NodeJS.Timeout | undefined;
  const flushPartial = () => {
    timer = undefined;
    if (pending) sink.write(redact(pending));
    pending = "";
  };
  source.setEncoding("utf8");
  source.on("data", (chunk: string) => {
    if (timer) clearTimeout(timer);
    const text = pending + chunk;
    const end = text.lastIndexOf("\n");
    if (end >= 0) sink.write(redact(text.slice(0, end + 1)));
    pending = text.slice(end + 1);
    if (pending) timer = setTimeout(flushPartial, PARTIAL_LINE_MS);
  });
  return new Promise((resolve) => {
    source.on("close", () => {
      if (timer) clearTimeout(timer);
      flushPartial();
      resolve();
    });
  });
}

/** A child process's stdout and stderr through the redactor, to this process's own. */
export function pipeChildOutput(child: ChildProcess, sinks: { stdout: Writable; stderr: Writable } = process): Promise<void> {
  return Promise.all([child.stdout && pipeRedacted(child.stdout, sinks.stdout), child.stderr && pipeRedacted(child.stderr, sinks.stderr)]).then(() => {});
}

const REDACTING = Symbol.for("tributary.redacting");

/**
 * Everything this process writes to stdout and stderr (console.log, console.error, libraries) goes
 * through the redactor. Console writes whole lines, so chunks are redacted as they come.
 */
export function redactProcessOutput(): void {
  for (const stream of [process.stdout, process.stderr] as (NodeJS.WriteStream & { [REDACTING]?: true })[]) {
    if (stream[REDACTING]) continue;
    stream[REDACTING] = true;
    const write = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const encoding = typeof rest[0] === "string" ? rest[0] : "utf8";
      // Text only: a string in another encoding (hex, base64) is not a log line.
      if (encoding !== "utf8" && encoding !== "utf-8") return write(chunk, ...rest);
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      return write(redact(text), ...rest);
    }) as typeof stream.write;
  }
}
