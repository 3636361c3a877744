-- AlterTable
ALTER TABLE "connections" ADD COLUMN     "platform_webhook_secret_encrypted" TEXT;
