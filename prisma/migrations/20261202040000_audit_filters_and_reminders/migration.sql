-- The Audit page's filter indexes (each ending in the keyset order at, id); per-Cloud expiry reminder settings and the once-a-day send claims.
-- DropIndex
DROP INDEX "audit_entries_cloud_id_at_idx";

-- DropIndex
DROP INDEX "audit_entries_actor_id_at_idx";

-- CreateTable
CREATE TABLE "cloud_reminder_settings" (
    "cloud_id" UUID NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "days_ahead" INTEGER NOT NULL DEFAULT 14,
    "email" BOOLEAN NOT NULL DEFAULT true,
    "webhook_url" TEXT,
    "webhook_signed" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cloud_reminder_settings_pkey" PRIMARY KEY ("cloud_id")
);

-- CreateTable
CREATE TABLE "reminder_sends" (
    "cloud_id" UUID NOT NULL,
    "recipient" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reminder_sends_pkey" PRIMARY KEY ("cloud_id","recipient","day")
);

-- CreateIndex
CREATE INDEX "cloud_reminder_settings_enabled_idx" ON "cloud_reminder_settings"("enabled");

-- CreateIndex
CREATE INDEX "audit_entries_cloud_id_at_id_idx" ON "audit_entries"("cloud_id", "at", "id");

-- CreateIndex
CREATE INDEX "audit_entries_actor_id_at_id_idx" ON "audit_entries"("actor_id", "at", "id");

-- CreateIndex
CREATE INDEX "audit_entries_action_at_id_idx" ON "audit_entries"("action", "at", "id");

-- CreateIndex
CREATE INDEX "audit_entries_cloud_id_action_at_id_idx" ON "audit_entries"("cloud_id", "action", "at", "id");

-- CreateIndex
CREATE INDEX "audit_entries_actor_id_action_at_id_idx" ON "audit_entries"("actor_id", "action", "at", "id");

