-- AlterTable
ALTER TABLE "api_keys" DROP COLUMN "created_by_id";

-- AlterTable
ALTER TABLE "connections" DROP COLUMN "credentials_expire_at";

-- AlterTable
ALTER TABLE "sync_runs" DROP COLUMN "lease_expires_at",
DROP COLUMN "lease_owner";
