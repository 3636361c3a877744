-- CreateTable
CREATE TABLE "platform_quota_usage" (
    "connection_id" TEXT NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "used" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "platform_quota_usage_pkey" PRIMARY KEY ("connection_id","bucket_start")
);

-- AddForeignKey
ALTER TABLE "platform_quota_usage" ADD CONSTRAINT "platform_quota_usage_connection_id_fkey" FOREIGN KEY ("connection_id") REFERENCES "connections"("id") ON DELETE CASCADE ON UPDATE CASCADE;
