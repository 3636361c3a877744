// The master key for secrets at rest. Production reads it from TRIBUTARY_SECRET_KEY and refuses to
// start without it; development generates one into the data directory once, with a warning, so
// `npm run dev` needs no configuration and restarts can still decrypt what earlier runs stored.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { ConfigError, dataDir, isProduction } from "@/lib/config";

const KEY_BYTES = 32;

let cached: Buffer | undefined;

export function parseSecretKey(raw: string): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== KEY_BYTES) {
    throw new ConfigError(
      `TRIBUTARY_SECRET_KEY must be ${KEY_BYTES} bytes, base64 or hex encoded (got ${key.length} bytes): generate one with \`openssl rand -base64 32\``,
    );
  }
  return key;
}

export function devKeyPath(): string {
  return path.join(dataDir(), "secret.key");
}

/** Loads (or in development creates) the master key. Throws ConfigError with a one-line message. */
export function loadSecretKey(options: { warn?: (line: string) => void } = {}): Buffer {
  if (cached) return cached;
  const fromEnv = process.env.TRIBUTARY_SECRET_KEY;
  if (fromEnv) {
    cached = parseSecretKey(fromEnv);
    return cached;
  }
  if (isProduction()) {
    throw new ConfigError("TRIBUTARY_SECRET_KEY is required in production (secrets are encrypted with it): generate one with `openssl rand -base64 32`");
  }
  const file = devKeyPath();
  if (existsSync(file)) {
    cached = parseSecretKey(readFileSync(file, "utf8"));
    return cached;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(KEY_BYTES);
  // "wx" fails if another process created the file meanwhile; then read theirs.
  try {
    writeFileSync(file, key.toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    (options.warn ?? console.warn)(
      `! Generated a development secret key in ${file}. Set TRIBUTARY_SECRET_KEY in production; losing this key makes stored secrets unreadable.`,
    );
    cached = key;
  } catch {
    cached = parseSecretKey(readFileSync(file, "utf8"));
  }
  return cached;
}

/** For tests that switch keys or environments. */
export function resetSecretKeyCache(): void {
  cached = undefined;
}
