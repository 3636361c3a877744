// Embedded PostgreSQL: PGlite (PostgreSQL compiled to WebAssembly) behind its wire-protocol socket
// server, so every part of Tributary — Prisma through @prisma/adapter-pg, the schema engine, raw `pg` —
// connects with an ordinary postgresql:// URL. PGlite is one process's database: whatever else must
// reach it goes through this server.
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

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
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const host = options.host ?? "127.0.0.1";
  const db = options.dataDir ? await PGlite.create(options.dataDir) : await PGlite.create();
  // maxConnections defaults to 1, which breaks connection pools ("Connection terminated unexpectedly");
  // with 20, 200 concurrent Prisma inserts passed (ENVIRONMENT.md). The server keeps an open transaction
  // to its own connection, so pooled clients still see transaction isolation.
  const server = new PGLiteSocketServer({ db, host, port: options.port ?? 0, maxConnections: 40 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const address = server.getServerConn();
  const port = Number(address.slice(address.lastIndexOf(":") + 1));
  return {
    url: `postgresql://postgres:postgres@${host}:${port}/postgres`,
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
