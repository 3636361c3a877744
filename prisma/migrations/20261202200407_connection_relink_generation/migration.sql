-- AlterTable
ALTER TABLE "connections" ADD COLUMN     "relink_generation" INTEGER NOT NULL DEFAULT 0;
