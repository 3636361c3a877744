// Embedded PostgreSQL: PGlite (PostgreSQL compiled to WebAssembly) behind its wire-protocol socket
// server, so every part of Tributary — Prisma through @prisma/adapter-pg, the schema engine, raw `pg` —
// connects with an ordinary postgresql:// URL. PGlite is one process's database: whatever else must
// reach it goes through this server. It listens on loopback and requires its password (SCRAM-SHA-256,
// embedded-auth.ts).
import { randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { authenticateConnection, scramVerifier } from "./embedded-auth";

/** The one user the embedded database knows. */
export const EMBEDDED_DB_USER = "postgres";

export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Directory for the data files; null keeps the database in memory (tests). */
  dataDir: string | null;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** The password clients must give; a random one when omitted (its URL carries it). */
  password?: string;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const host = options.host ?? "127.0.0.1";
  const db = options.dataDir ? await PGlite.create(options.dataDir) : await PGlite.create();
  // maxConnections defaults to 1, which breaks connection pools ("Connection terminated unexpectedly").
  // The server keeps an open transaction to its own connection, so pooled clients still see transaction
  // isolation; serializeProtocolCycles does the same for extended-protocol cycles, without which
  // concurrent parameterized queries from several connections corrupt each other.
  const server = new PGLiteSocketServer({ db, host, port: options.port ?? 0, maxConnections: 40 });
  serializeProtocolCycles(server);
  const password = options.password ?? randomBytes(24).toString("base64url");
  const authenticating = requirePassword(server, password);
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const address = server.getServerConn();
  const port = Number(address.slice(address.lastIndexOf(":") + 1));
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `postgresql://${EMBEDDED_DB_USER}:${encodeURIComponent(password)}@${urlHost}:${port}/postgres`,
    port,
    async stop() {
      for (const socket of authenticating) socket.destroy();
      await server.stop();
      await db.close();
    },
  };
}

/**
 * Puts the SCRAM exchange in front of the socket server's own connection handling: a client that
 * fails it never reaches PGlite. Returns the connections still authenticating, for stop().
 */
function requirePassword(server: PGLiteSocketServer, password: string): Set<Socket> {
  const verifier = scramVerifier(password);
  const authenticating = new Set<Socket>();
  const internal = server as unknown as { handleConnection(socket: Socket): Promise<void> };
  const accept = internal.handleConnection.bind(server);
  internal.handleConnection = async (socket: Socket) => {
    authenticating.add(socket);
    const replay = await authenticateConnection(socket, { user: EMBEDDED_DB_USER, verifier });
    authenticating.delete(socket);
    if (!replay) return;
    // The startup message goes back in front of the stream, so the socket server starts the session as usual.
    socket.unshift(replay);
    await accept(socket);
    socket.resume();
  };
  return authenticating;
}

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData(data: Uint8Array): void;
  resolve(size: number): void;
  reject(error: unknown): void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

const SYNC = 0x53; // 'S': ends an extended-protocol cycle (Parse, Bind, Describe, Execute, Sync)
const QUERY = 0x51; // 'Q': a simple query is a cycle of its own
const TERMINATE = 0x58; // 'X'

/**
 * pglite-socket 0.2.17 queues each protocol message on its own and, outside transactions, serves the
 * queue in arrival order. With several connections sending parameterized queries, one connection's
 * Parse and the next one's Bind interleave on PGlite's single session: "bind message supplies 2
 * parameters, but prepared statement "" requires 3", "portal "" does not exist", a timestamp bound
 * to an enum. (Seen with two embedded workers syncing at once.) This replaces its queue loop with one
 * that, once a connection has started a cycle, serves only that connection until its Sync (or simple
 * Query), as the library already does for transactions. It also keeps the loop alive after a failed
 * message, which the original leaves marked as processing forever.
 */
function serializeProtocolCycles(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let cycleOwner: number | null = null;
  const endsCycle = (message: Uint8Array) => {
    const type = message[0];
    // A startup message has no type byte: it begins with its length, whose first byte is 0.
    return type === SYNC || type === QUERY || type === TERMINATE || type === 0;
  };
  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const sticky = cycleOwner ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        let item: QueuedMessage | undefined;
        if (sticky !== null) {
          const index = this.queue.findIndex((queued) => queued.handlerId === sticky);
          // The owner's next message has not arrived yet: everyone else waits for it.
          if (index === -1) break;
          item = this.queue.splice(index, 1)[0];
        } else {
          item = this.queue.shift()!;
        }
        let size = 0;
        const current = item;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data: Uint8Array) => {
                size += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (error) {
          cycleOwner = null;
          current.reject(error);
          continue;
        }
        this.lastHandlerId = current.handlerId;
        cycleOwner = endsCycle(current.message) ? null : current.handlerId;
        current.resolve(size);
      }
    } finally {
      this.processing = false;
    }
  };
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    // A connection that went away mid-cycle must not hold the others back.
    if (cycleOwner === handlerId) {
      cycleOwner = null;
      void queue.processQueue();
    }
  };
}
