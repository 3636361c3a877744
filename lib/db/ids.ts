// Prefixed, time-sortable IDs (`conn_01JD…`): a ULID (48-bit millisecond time + 80 random bits,
// Crockford base32) after a prefix that says what the ID names. Sorting IDs sorts by creation time,
// so cursor pagination by id follows creation order.
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export const ID_PREFIXES = {
  Organization: "org",
  User: "usr",
  UserSession: "ses",
  Member: "mem",
  Environment: "env",
  PlatformConfig: "pfc",
  SyncConfiguration: "scf",
  SyncBatch: "bat",
  Connection: "conn",
  LinkSession: "lnk",
  SyncRun: "run",
  Checkpoint: "chk",
  Event: "evt",
  WebhookEndpoint: "whk",
  Delivery: "dlv",
  DeliveryAttempt: "att",
  SyncJob: "job",
  SyncJobRun: "jrun",
  CronTrigger: "cron",
  ApiKey: "key",
  AsyncWrite: "wrt",
} as const;

export type IdPrefix = (typeof ID_PREFIXES)[keyof typeof ID_PREFIXES];

let lastTime = 0;
let lastRandom: Uint8Array = new Uint8Array(10);

/** A new ULID; IDs made in the same millisecond by this process still sort in creation order. */
export function ulid(now: number = Date.now()): string {
  let random: Uint8Array;
  if (now <= lastTime) {
    random = increment(lastRandom);
    now = lastTime;
  } else {
    random = new Uint8Array(randomBytes(10));
  }
  lastTime = now;
  lastRandom = random;
  return encodeTime(now) + encodeRandom(random);
}

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid()}`;
}

function encodeTime(time: number): string {
  let out = "";
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[time % 32] + out;
    time = Math.floor(time / 32);
  }
  return out;
}

function encodeRandom(bytes: Uint8Array): string {
  // 80 bits → 16 base32 characters.
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let out = "";
  for (let i = 0; i < 16; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

function increment(bytes: Uint8Array): Uint8Array {
  const next = new Uint8Array(bytes);
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] < 255) {
      next[i]++;
      return next;
    }
    next[i] = 0;
  }
  return next;
}

/** The shape of an id with `prefix`: the prefix, `_`, and 26 characters of the ULID alphabet's case. */
export const idPattern = (prefix: IdPrefix) => new RegExp(`^${prefix}_[0-9A-Z]{26}$`);

/** Whether `value` has the shape of an id with `prefix`, checked before any lookup (a NUL byte never reaches the database). */
export function isId(prefix: IdPrefix, value: string): boolean {
  return idPattern(prefix).test(value);
}
