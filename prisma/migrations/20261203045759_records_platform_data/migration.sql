-- The platform's own payload beside each record's unified data (API: ?expand=platform_data).
-- Measured on the sandbox's accounts (2,000 records of each platform: 12,616 records over 16 objects):
-- the unified data takes 490 bytes a record stored, the payload 1,060 more as jsonb (1,551 with it).
-- Per object: QuickBooks 520-1,070, Zendesk 480-1,170, Shopify transactions 765, products 1,190 (2.4 kB
-- of JSON text) and orders 2,450 (6.8 kB): past about 2 kB a row is compressed by TOAST, 2.8 times for
-- orders; smaller payloads stay inline, since pglz and lz4 gain too little on them to keep the result
-- (a toast_tuple_target of 128 compressed nothing more). Also tried: json and text columns (within 15%
-- of jsonb's bytes and time), and zlib with a per-object dictionary in Node, which reached 170 bytes a
-- record but cost 110-140 µs of Node CPU a record, about what the whole page write costs without it.
-- Not a separate table: the payload is written in the same statement as the record either way.

-- AlterTable
ALTER TABLE "records" ADD COLUMN     "platform_data" JSONB;

-- lz4 where the server has it (PostgreSQL's Debian and Docker builds): pages of Shopify orders were
-- written in 20-30% less time than with pglz, for 18% more bytes. PGlite is built without it: pglz.
DO $$
BEGIN
  ALTER TABLE "records" ALTER COLUMN "platform_data" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL;
END $$;
