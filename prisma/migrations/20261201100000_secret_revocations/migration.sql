-- The secret deletions a revoke or an expiry owes the secrets engine, kept in
-- the database so the debt outlives an unreachable engine or a crash. Rows are
-- written in the transaction that stamps revoked_at / expired_at; the server's
-- outbox worker soft-deletes the secret and stamps completed_at.

-- CreateTable
CREATE TABLE "secret_revocations" (
    "credential_id" UUID NOT NULL,
    "cause" TEXT NOT NULL,
    "generation" INTEGER NOT NULL DEFAULT 1,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "claimed_until" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "secret_revocations_pkey" PRIMARY KEY ("credential_id")
);

-- CreateIndex
CREATE INDEX "secret_revocations_completed_at_requested_at_idx" ON "secret_revocations"("completed_at", "requested_at");

-- AddForeignKey
ALTER TABLE "secret_revocations" ADD CONSTRAINT "secret_revocations_credential_id_fkey" FOREIGN KEY ("credential_id") REFERENCES "cloud_credentials"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Revokes made before this table existed answered 500 when the engine was down
-- and never retried: owe every revoked or expired credential's deletion once
-- more (soft-deleting an already deleted version changes nothing).
INSERT INTO "secret_revocations" ("credential_id", "cause", "requested_at")
SELECT "id", CASE WHEN "revoked_at" IS NOT NULL THEN 'revoke' ELSE 'expiry' END, COALESCE("revoked_at", "expired_at")
FROM "cloud_credentials"
WHERE "revoked_at" IS NOT NULL OR "expired_at" IS NOT NULL;
