-- AlterTable
ALTER TABLE "environments" ADD COLUMN     "keep_platform_data" BOOLEAN NOT NULL DEFAULT true;
