-- Indexes for the purges of dead rows (lib/retention/service.ts): each
-- purge's DELETE finds its batch through the index on the expression it
-- compares, so a tick with nothing to purge reads nothing.

-- Device codes and set-password links, by expiry.
CREATE INDEX "device_codes_expires_at_idx" ON "device_codes"("expires_at");
CREATE INDEX "password_setup_tokens_expires_at_idx" ON "password_setup_tokens"("expires_at");

-- Sessions by their last sign of life: when they ended, else when they were
-- last seen, else when they began. An expression index, written here only:
-- schema.prisma cannot express it.
CREATE INDEX "sessions_last_alive_idx" ON "sessions" ((coalesce("revoked_at", "last_seen_at", "created_at")));
