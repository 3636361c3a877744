// The Prisma client, over node-postgres through @prisma/adapter-pg (Prisma 7 has no Rust engine).
// One client per process, created on first use from DATABASE_URL. The pg pool under it is shared
// with the sync engine's page writes (rawPool), which skip Prisma's per-query overhead on the one
// path where it counts: a page of 1,000 records is one statement, and Prisma's parameter and
// result mapping cost as much as PostgreSQL's work on it.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "@/lib/generated/prisma/client";
import { databaseUrl } from "@/lib/config";

export type Db = PrismaClient;

// Kept on globalThis like the client below: after a Next.js dev reload of this module, the client
// getDb() returns was made by the previous instance, and its pool must still be found.
const pools: WeakMap<Db, pg.Pool> = ((globalThis as unknown as { tributaryPools?: WeakMap<Db, pg.Pool> }).tributaryPools ??= new WeakMap());

export function createDb(url: string, options: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/** The node-postgres pool under a client made by createDb. */
export function rawPool(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error("This Prisma client was not made by createDb");
  return pool;
}

/** A statement built with Prisma.sql, run on the pool under the client without Prisma's per-query mapping (pg's own types: Date, number, parsed JSON). */
export async function rawQuery<R extends pg.QueryResultRow>(db: Db, sql: Prisma.Sql): Promise<pg.QueryResult<R>> {
  return rawPool(db).query<R>({ text: sql.text, values: sql.values as unknown[] });
}

// Survives Next.js dev-server module reloads, which would otherwise open a new pool per edit.
const holder = globalThis as unknown as { tributaryDb?: Db };

export function getDb(): Db {
  holder.tributaryDb ??= createDb(databaseUrl());
  return holder.tributaryDb;
}
