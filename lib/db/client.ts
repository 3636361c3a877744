// The Prisma client, over node-postgres through @prisma/adapter-pg (Prisma 7 has no Rust engine).
// One client per process, created on first use from DATABASE_URL.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl } from "@/lib/config";

export type Db = PrismaClient;

export function createDb(url: string, options: { max?: number } = {}): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: options.max ?? 10 }) });
}

// Survives Next.js dev-server module reloads, which would otherwise open a new pool per edit.
const holder = globalThis as unknown as { tributaryDb?: Db };

export function getDb(): Db {
  holder.tributaryDb ??= createDb(databaseUrl());
  return holder.tributaryDb;
}
