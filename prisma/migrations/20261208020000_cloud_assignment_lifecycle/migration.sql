-- Cloud assignments get the two-party lifecycle credential assignments have
-- (plexsphere v1's CloudAssignmentResponse.state): requested -> approved |
-- rejected, approved -> revoked. A Project asks (POST /v1/projects/{id}/
-- cloud-assignments) and the Cloud's manager decides; a manager's grant is
-- created approved. Every row here was a grant, so each becomes an approved
-- row its granter asked for and decided at once.
CREATE TYPE "cloud_assignment_state" AS ENUM ('requested', 'approved', 'rejected', 'revoked');

ALTER TABLE "cloud_assignments" RENAME COLUMN "granted_by_id" TO "requested_by_id";
ALTER TABLE "cloud_assignments"
  ADD COLUMN "state" "cloud_assignment_state" NOT NULL DEFAULT 'approved',
  ADD COLUMN "decided_by_id" UUID,
  ADD COLUMN "decided_at" TIMESTAMPTZ(3),
  ADD COLUMN "reason" TEXT,
  ADD COLUMN "updated_at" TIMESTAMPTZ(3);
UPDATE "cloud_assignments" SET "decided_by_id" = "requested_by_id", "decided_at" = "created_at", "updated_at" = "created_at";
ALTER TABLE "cloud_assignments" ALTER COLUMN "updated_at" SET NOT NULL;
ALTER TABLE "cloud_assignments" ALTER COLUMN "state" SET DEFAULT 'requested';

-- Decided rows stay as history, so a pair may have many rows; at most one
-- live (requested or approved) one, as for credential assignments.
DROP INDEX "cloud_assignments_cloud_id_project_id_key";
CREATE UNIQUE INDEX "cloud_assignments_one_live_per_pair"
  ON "cloud_assignments" ("cloud_id", "project_id")
  WHERE "state" IN ('requested', 'approved');
CREATE INDEX "cloud_assignments_cloud_id_project_id_idx" ON "cloud_assignments" ("cloud_id", "project_id");
-- The approval queue (/v1/approvals) reads both assignment tables in (created_at, id) order.
CREATE INDEX "cloud_assignments_state_created_at_id_idx" ON "cloud_assignments" ("state", "created_at", "id");
DROP INDEX "cloud_assignments_project_id_idx";
CREATE INDEX "cloud_assignments_project_id_created_at_idx" ON "cloud_assignments" ("project_id", "created_at");
