-- Token buckets shared by every process (lib/db/shared-bucket.ts): the API's rate limit per
-- organization and environment, platform budgets, and each connection's platform allowance with its
-- Retry-After blocks. UNLOGGED (written by hand; Prisma's diff does not see it): a take is one upsert
-- of one row, and a crash that empties the table only leaves every bucket full again, so its writes
-- skip the write-ahead log and a take's commit never waits for a WAL flush.
CREATE UNLOGGED TABLE "rate_limit_buckets" (
    "key" TEXT NOT NULL,
    "capacity" DOUBLE PRECISION NOT NULL,
    "per_second" DOUBLE PRECISION NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "refilled_at" TIMESTAMPTZ(6) NOT NULL,
    "granted" BOOLEAN NOT NULL,

    CONSTRAINT "rate_limit_buckets_pkey" PRIMARY KEY ("key")
);
