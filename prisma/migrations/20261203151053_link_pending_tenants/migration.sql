-- AlterTable
ALTER TABLE "link_sessions" ADD COLUMN     "pending_choices" JSONB,
ADD COLUMN     "pending_credentials_encrypted" TEXT,
ADD COLUMN     "pending_platform" TEXT;

-- Written by hand (Prisma cannot express it, and its diff ignores it): the sweep of held sign-ins
-- whose session ended (clearAbandonedSignIns, run whenever a session is made) reads only the rows
-- that hold one, not every link session ever made.
CREATE INDEX "link_sessions_held_sign_in_expires_idx" ON "link_sessions"("expires_at") WHERE "pending_credentials_encrypted" IS NOT NULL;
