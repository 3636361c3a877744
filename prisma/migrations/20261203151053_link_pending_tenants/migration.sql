-- AlterTable
ALTER TABLE "link_sessions" ADD COLUMN     "pending_choices" JSONB,
ADD COLUMN     "pending_credentials_encrypted" TEXT,
ADD COLUMN     "pending_platform" TEXT;
