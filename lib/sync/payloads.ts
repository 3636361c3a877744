// The platform's own payload (platform_data, API: ?expand=platform_data), stored compactly.
//
// A payload is JSON whose keys and much of whose values repeat from record to record of one object,
// but each record is written and read alone, so each payload is deflated alone, against a dictionary:
// the last payloads of the first page a connection stored of that object. The dictionary is written
// once per connection and object (payload_dictionaries, in the page's transaction) and never changed:
// a stored payload cannot be read without it. It is per connection, not per platform, because it holds
// one account's data: it goes when that connection goes, and never helps read another account's.
//
// Measured on the sandbox's accounts (deflate level 1, 4 payloads of dictionary up to 2 kB): QuickBooks
// invoices 1,121 bytes of JSON → about 180, Zendesk tickets 1,028 → 160, Shopify orders 6,375 → 850;
// about 15-20 µs of CPU a record. Stored as jsonb the same payloads took 1,060 bytes a record on
// average, which made PostgreSQL's share of a page's write 2.5 times longer (bench:sync's COPY figure).
//
// Stored form: one byte naming the encoding, then the encoded payload.
//   0: the payload's JSON text, UTF-8 (what the migration from the earlier jsonb column wrote)
//   1: the JSON text deflated (raw deflate) with the connection's dictionary for the object
import { Worker } from "node:worker_threads";
import zlib from "node:zlib";
import type pg from "pg";

const PLAIN = 0;
const DEFLATED = 1;

/**
 * Deflate hashes the whole dictionary again for every payload, so a larger one costs every record
 * its size in CPU. On QuickBooks invoices (876 bytes of JSON): 1 kB of dictionary → 292 bytes stored,
 * 2 kB → 190, 4 kB → 183 for more time a record.
 */
const DICTIONARY_BYTES = 2048;
const DICTIONARY_SAMPLES = 4;
const DEFLATE_OPTIONS = { level: 1 } as const;

export interface PayloadScope {
  organizationId: string;
  connectionId: string;
  object: string;
}

/** A dictionary from a page's payloads: its last few, the newest nearest the end, where deflate finds them cheapest. */
export function dictionaryFrom(payloads: string[]): Buffer {
  const joined = Buffer.from(payloads.slice(-DICTIONARY_SAMPLES).join(""), "utf8");
  return joined.length > DICTIONARY_BYTES ? joined.subarray(joined.length - DICTIONARY_BYTES) : joined;
}

export function encodePayload(json: string, dictionary: Buffer | null): Buffer {
  if (!dictionary) return Buffer.concat([Buffer.of(PLAIN), Buffer.from(json, "utf8")]);
  return Buffer.concat([Buffer.of(DEFLATED), zlib.deflateRawSync(json, { ...DEFLATE_OPTIONS, dictionary })]);
}

export function decodePayload(stored: Buffer, dictionary: Buffer | null): unknown {
  const body = stored.subarray(1);
  switch (stored[0]) {
    case PLAIN:
      return JSON.parse(body.toString("utf8"));
    case DEFLATED:
      if (!dictionary) throw new Error("A deflated platform payload has no dictionary to read it with");
      return JSON.parse(zlib.inflateRawSync(body, { dictionary }).toString("utf8"));
    default:
      throw new Error(`Unknown platform payload encoding ${stored[0]}`);
  }
}

// Dictionaries never change once committed, so every process may keep the ones it has seen. Bounded:
// the least recently used go first.
const CACHE_SIZE = 512;
const cache = new Map<string, Buffer>();
const cacheKey = (scope: { connectionId: string; object: string }) => `${scope.connectionId}\u0000${scope.object}`;

function cached(scope: { connectionId: string; object: string }): Buffer | undefined {
  const key = cacheKey(scope);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
  }
  return hit;
}

function remember(scope: { connectionId: string; object: string }, dictionary: Buffer): void {
  cache.set(cacheKey(scope), dictionary);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
}

export interface EncodedPayloads {
  /** Each record's stored payload, in the page's order; null where the connector gave none. */
  stored: (Buffer | null)[];
  /** Call after the page's transaction commits: a dictionary this page wrote is only then for keeps. */
  committed(): void;
}

/** Each record's payload as JSON text (what is deflated, and what a new dictionary is made of). */
export function payloadTexts(payloads: unknown[]): (string | null)[] {
  return payloads.map((payload) => (payload === undefined || payload === null ? null : JSON.stringify(payload)));
}

// Deflating runs on a worker thread. Node's zlib builds a stream object and a native zlib state for
// every call, which on the sync loop's thread cost about 30 µs a record and doubled its garbage
// collection (CPU profiles of bench:sync): it made the sync's own thread, not PostgreSQL, the limit.
// The worker's source is plain JavaScript evaluated in place, so it needs no loader or bundler.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const zlib = require("node:zlib");
parentPort.on("message", ({ id, texts, dictionary, level, tag }) => {
  try {
    const parts = texts.map((text) => (text === null ? null : zlib.deflateRawSync(text, { level, dictionary })));
    const out = new Uint8Array(parts.reduce((sum, part) => sum + (part ? part.length + 1 : 0), 0));
    const lengths = [];
    let at = 0;
    for (const part of parts) {
      if (!part) { lengths.push(-1); continue; }
      out[at] = tag;
      out.set(part, at + 1);
      at += part.length + 1;
      lengths.push(part.length + 1);
    }
    parentPort.postMessage({ id, buffer: out.buffer, lengths }, [out.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});`;

/** Pages this small are deflated in place: the round trip to the worker would cost more. */
const INLINE_PAGE = 16;

interface Pending {
  resolve(value: (Buffer | null)[]): void;
  reject(error: Error): void;
}
let deflater: Worker | null = null;
const pending = new Map<number, Pending>();
let nextRequest = 0;

function worker(): Worker {
  if (deflater) return deflater;
  const created = new Worker(WORKER_SOURCE, { eval: true });
  const fail = (error: Error) => {
    if (deflater === created) deflater = null;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  created.on("message", (message: { id: number; buffer?: ArrayBuffer; lengths?: number[]; error?: string }) => {
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (!pending.size) created.unref();
    if (!waiting) return;
    if (message.error !== undefined) return waiting.reject(new Error(`Deflating platform payloads failed: ${message.error}`));
    const all = Buffer.from(message.buffer!);
    let at = 0;
    waiting.resolve(message.lengths!.map((length) => (length < 0 ? null : all.subarray(at, (at += length)))));
  });
  created.on("error", fail);
  created.on("exit", (code) => fail(new Error(`The payload deflater stopped (exit code ${code})`)));
  created.unref();
  deflater = created;
  return created;
}

function deflateAll(texts: (string | null)[], dictionary: Buffer): Promise<(Buffer | null)[]> {
  if (texts.length <= INLINE_PAGE) return Promise.resolve(texts.map((text) => (text === null ? null : encodePayload(text, dictionary))));
  return new Promise((resolve, reject) => {
    const id = nextRequest++;
    const thread = worker();
    // Referenced only while it owes an answer: an idle deflater never keeps the process alive.
    if (!pending.size) thread.ref();
    pending.set(id, { resolve, reject });
    thread.postMessage({ id, texts, dictionary, level: DEFLATE_OPTIONS.level, tag: DEFLATED });
  });
}

/**
 * A page's payloads deflated with the dictionary this process already holds for the connection and
 * object, started at once and outside any transaction; null when it holds none (encodePagePayloads
 * then reads or writes it inside the page's transaction).
 */
export function encodeWithKnownDictionary(scope: PayloadScope, texts: (string | null)[]): Promise<EncodedPayloads> | null {
  const dictionary = cached(scope);
  if (!dictionary) return null;
  const encoded = deflateAll(texts, dictionary).then((stored) => ({ stored, committed: () => {} }));
  // Awaited later by the caller; until then a failure must not count as unhandled.
  encoded.catch(() => {});
  return encoded;
}

/**
 * Encodes a page's payloads inside the page's transaction, writing the connection's dictionary for
 * the object first if it has none (a concurrent writer's committed dictionary wins; the page then
 * uses that one).
 */
export async function encodePagePayloads(client: pg.PoolClient, scope: PayloadScope, texts: (string | null)[]): Promise<EncodedPayloads> {
  const known = encodeWithKnownDictionary(scope, texts);
  if (known) return known;
  const present = texts.filter((text): text is string => text !== null);
  if (!present.length) return { stored: texts.map(() => null), committed: () => {} };
  const candidate = dictionaryFrom(present);
  const written = await client.query(
    `insert into payload_dictionaries (connection_id, object, organization_id, dictionary) values ($1, $2, $3, $4)
     on conflict (connection_id, object) do nothing`,
    [scope.connectionId, scope.object, scope.organizationId, candidate],
  );
  const fresh = written.rowCount === 1;
  // On a conflict the other writer has committed (the insert waited for it): a new statement sees its row.
  const dictionary = fresh
    ? candidate
    : (
        await client.query<{ dictionary: Buffer }>("select dictionary from payload_dictionaries where connection_id = $1 and object = $2", [
          scope.connectionId,
          scope.object,
        ])
      ).rows[0].dictionary;
  // Another transaction's committed dictionary is for keeps now; this page's own only after commit.
  if (!fresh) remember(scope, dictionary);
  return { stored: await deflateAll(texts, dictionary), committed: () => fresh && remember(scope, dictionary) };
}

/** The connection's dictionary for the object, or null when it has stored no payload of it. */
export async function loadDictionary(pool: pg.Pool, scope: { connectionId: string; object: string }): Promise<Buffer | null> {
  const hit = cached(scope);
  if (hit) return hit;
  const { rows } = await pool.query<{ dictionary: Buffer }>("select dictionary from payload_dictionaries where connection_id = $1 and object = $2", [
    scope.connectionId,
    scope.object,
  ]);
  if (!rows[0]) return null;
  remember(scope, rows[0].dictionary);
  return rows[0].dictionary;
}
