-- Indexes for every list a console page or the expiry sweeper reads
-- (README "Pagination and indexes"). Partial indexes are written here only:
-- schema.prisma cannot express their predicates. A new credential is live,
-- so an issue writes only the three live partial indexes' entries; the
-- revoked and expired ones gain an entry when a credential leaves the live set.

-- A Cloud's live credentials in creation order (the Cloud page's "active"
-- filter, a Project's available credentials, newest eligible).
CREATE INDEX "cloud_credentials_live_cloud_created_idx"
  ON "cloud_credentials" ("cloud_id", "created_at", "id")
  WHERE "revoked_at" IS NULL AND "expired_at" IS NULL;

-- Live credentials by expiry: Expiring soon (soonest first) and the sweeper's
-- "expires_at <= now() and not yet stamped".
CREATE INDEX "cloud_credentials_live_expires_idx"
  ON "cloud_credentials" ("expires_at", "id")
  WHERE "revoked_at" IS NULL AND "expired_at" IS NULL;

-- Expiring soon for someone who observes some Clouds: each Cloud's soonest.
CREATE INDEX "cloud_credentials_live_cloud_expires_idx"
  ON "cloud_credentials" ("cloud_id", "expires_at", "id")
  WHERE "revoked_at" IS NULL AND "expired_at" IS NULL;

-- The Cloud page's "revoked" and "expired" filters.
CREATE INDEX "cloud_credentials_revoked_cloud_created_idx"
  ON "cloud_credentials" ("cloud_id", "created_at", "id")
  WHERE "revoked_at" IS NOT NULL;
CREATE INDEX "cloud_credentials_expired_cloud_created_idx"
  ON "cloud_credentials" ("cloud_id", "created_at", "id")
  WHERE "revoked_at" IS NULL AND "expired_at" IS NOT NULL;

-- A credential's live assignments (revoke and expiry cascade to them).
CREATE INDEX "credential_assignments_live_credential_idx"
  ON "credential_assignments" ("cloud_credential_id")
  WHERE "state" IN ('requested', 'approved');

-- Assignments by state in request order (the approvals inbox's "requested").
CREATE INDEX "credential_assignments_state_created_at_id_idx"
  ON "credential_assignments" ("state", "created_at", "id");

-- Tokens page: a user's tokens newest first, with a tiebreak for the keyset.
CREATE INDEX "api_tokens_user_id_created_at_id_idx" ON "api_tokens" ("user_id", "created_at", "id");

-- Projects usable for a Cloud (the Cloud page) go through cloud_id; the
-- reverse lookup (a Project's usable Clouds) needs project_id first.
CREATE INDEX "cloud_assignments_project_id_idx" ON "cloud_assignments" ("project_id");
