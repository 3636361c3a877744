// Secrets at rest: AES-256-GCM with a random 96-bit nonce per value. Stored form:
// "v1." + base64url(nonce ‖ ciphertext ‖ tag). The version prefix leaves room for key rotation.
// Tokens and API-key secrets are never decrypted, only compared: they are stored as SHA-256 hashes.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { loadSecretKey } from "./secret-key";

export { loadSecretKey, parseSecretKey, resetSecretKeyCache } from "./secret-key";

const VERSION = "v1";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Keys derived from each master key, by purpose: HKDF on every secret read was 2% of the webhook sender's CPU (bench:webhooks profile). */
const derived = new WeakMap<Buffer, Map<string, Buffer>>();

/** Derives a purpose-specific key so the master key itself never signs or encrypts two kinds of thing. */
export function deriveKey(purpose: string, master: Buffer = loadSecretKey()): Buffer {
  let keys = derived.get(master);
  if (!keys) derived.set(master, (keys = new Map()));
  let key = keys.get(purpose);
  if (!key) keys.set(purpose, (key = Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), `tributary:${purpose}`, 32))));
  // A copy: a caller that changed the returned bytes must not change the key every later caller gets.
  return Buffer.from(key);
}

function encryptionKey(): Buffer {
  return deriveKey("encryption");
}

export function encryptSecret(plaintext: string, key: Buffer = encryptionKey()): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${VERSION}.${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64url")}`;
}

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DecryptionError";
  }
}

export function decryptSecret(stored: string, key: Buffer = encryptionKey()): string {
  const [version, payload] = stored.split(".", 2);
  if (version !== VERSION || !payload) throw new DecryptionError("Unknown secret format");
  const raw = Buffer.from(payload, "base64url");
  if (raw.length < NONCE_BYTES + TAG_BYTES) throw new DecryptionError("Secret is truncated");
  const nonce = raw.subarray(0, NONCE_BYTES);
  const tag = raw.subarray(raw.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    // Wrong key or tampered value: GCM's tag check failed. Never echo the value.
    throw new DecryptionError("Secret could not be decrypted: wrong TRIBUTARY_SECRET_KEY or tampered value");
  }
}

/** SHA-256 hex of a token; tokens are high-entropy, so a plain hash is enough to store them. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A random token with a readable prefix, e.g. randomToken("tok") → "tok_3k…". */
export function randomToken(prefix: string, bytes = 24): string {
  return `${prefix}_${randomBytes(bytes).toString("base64url")}`;
}

export function hmacSha256(key: Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}
