-- The platform's payload stored compactly (lib/sync/payloads.ts): a byte naming the encoding, then the
-- payload. Payloads stored as jsonb keep their content as encoding 0 (the JSON text, UTF-8); pages
-- written from now on are deflated (encoding 1) against the connection's dictionary for the object.
-- AlterTable
ALTER TABLE "records" ALTER COLUMN "platform_data" TYPE BYTEA
  USING CASE WHEN "platform_data" IS NULL THEN NULL ELSE '\x00'::bytea || convert_to("platform_data"::text, 'UTF8') END;

-- CreateTable
CREATE TABLE "payload_dictionaries" (
    "connection_id" TEXT NOT NULL,
    "object" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "dictionary" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payload_dictionaries_pkey" PRIMARY KEY ("connection_id","object")
);

-- AddForeignKey
ALTER TABLE "payload_dictionaries" ADD CONSTRAINT "payload_dictionaries_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payload_dictionaries" ADD CONSTRAINT "payload_dictionaries_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;
