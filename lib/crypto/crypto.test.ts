import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import { DecryptionError, decryptSecret, deriveKey, encryptSecret, hashToken, loadSecretKey, resetSecretKeyCache } from "./index";
import { ConfigError } from "@/lib/config";

describe("secrets at rest", () => {
  const key = randomBytes(32);

  it("round-trips through AES-256-GCM with a fresh nonce each time", () => {
    const a = encryptSecret("whsec_abc", key);
    const b = encryptSecret("whsec_abc", key);
    expect(a).not.toBe(b);
    expect(a).not.toContain("whsec_abc");
    expect(decryptSecret(a, key)).toBe("whsec_abc");
  });

  it("rejects a tampered value or the wrong key without echoing the secret", () => {
    const stored = encryptSecret("shpat_secret_token", key);
    const tampered = stored.slice(0, -2) + (stored.endsWith("A") ? "B" : "A") + stored.slice(-1);
    expect(() => decryptSecret(tampered, key)).toThrow(DecryptionError);
    expect(() => decryptSecret(stored, randomBytes(32))).toThrow(/wrong TRIBUTARY_SECRET_KEY or tampered/);
    expect(() => decryptSecret("plaintext", key)).toThrow(/Unknown secret format/);
  });

  it("derives each purpose's key by HKDF from its master key, the same bytes on every call, which a caller cannot change", () => {
    const master = randomBytes(32);
    const expected = Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), "tributary:encryption", 32));
    const first = deriveKey("encryption", master);
    expect(first.equals(expected)).toBe(true);
    first.fill(0);
    expect(deriveKey("encryption", master).equals(expected)).toBe(true);
    expect(deriveKey("session", master).equals(expected)).toBe(false);
    expect(deriveKey("encryption", randomBytes(32)).equals(expected)).toBe(false);
    // Keys from another master never cross: a value encrypted under one does not open under the other.
    const other = randomBytes(32);
    expect(() => decryptSecret(encryptSecret("x", deriveKey("encryption", master)), deriveKey("encryption", other))).toThrow(DecryptionError);
    expect(createHmac("sha256", deriveKey("relink", master)).update("a").digest("hex")).toBe(
      createHmac("sha256", deriveKey("relink", master)).update("a").digest("hex"),
    );
  });

  it("hashes tokens deterministically", () => {
    expect(hashToken("tok_1")).toBe(hashToken("tok_1"));
    expect(hashToken("tok_1")).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("the master key", () => {
  let dir: string;
  const saved = { ...process.env };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "tributary-key-"));
    process.env.TRIBUTARY_DATA_DIR = dir;
    delete process.env.TRIBUTARY_SECRET_KEY;
    resetSecretKeyCache();
  });

  afterEach(() => {
    process.env = { ...saved };
    resetSecretKeyCache();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is generated once in development, with a warning, and reused after a restart", () => {
    (process.env as Record<string, string>).NODE_ENV = "development";
    const warn = vi.fn();
    const first = loadSecretKey({ warn });
    expect(warn).toHaveBeenCalledOnce();
    const file = path.join(dir, "secret.key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    resetSecretKeyCache();
    expect(loadSecretKey({ warn }).equals(first)).toBe(true);
    expect(warn).toHaveBeenCalledOnce();
    expect(Buffer.from(readFileSync(file, "utf8").trim(), "base64").equals(first)).toBe(true);
  });

  it("is required in production, with a one-line explanation", () => {
    (process.env as Record<string, string>).NODE_ENV = "production";
    expect(() => loadSecretKey()).toThrow(ConfigError);
    expect(() => loadSecretKey()).toThrow(/^TRIBUTARY_SECRET_KEY is required in production/);
  });

  it("accepts base64 or hex, and names the variable when the length is wrong", () => {
    const raw = randomBytes(32);
    process.env.TRIBUTARY_SECRET_KEY = raw.toString("hex");
    expect(loadSecretKey().equals(raw)).toBe(true);
    resetSecretKeyCache();
    process.env.TRIBUTARY_SECRET_KEY = raw.toString("base64");
    expect(loadSecretKey().equals(raw)).toBe(true);
    resetSecretKeyCache();
    process.env.TRIBUTARY_SECRET_KEY = "too-short";
    expect(() => loadSecretKey()).toThrow(/TRIBUTARY_SECRET_KEY must be 32 bytes/);
  });
});
