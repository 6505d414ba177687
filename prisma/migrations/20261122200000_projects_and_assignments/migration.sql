-- CreateEnum
CREATE TYPE "credential_assignment_state" AS ENUM ('requested', 'approved', 'rejected', 'revoked');

-- CreateTable
CREATE TABLE "projects" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "projects_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cloud_assignments" (
    "id" UUID NOT NULL,
    "cloud_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "granted_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cloud_assignments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credential_assignments" (
    "id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "cloud_credential_id" UUID NOT NULL,
    "state" "credential_assignment_state" NOT NULL DEFAULT 'requested',
    "requested_by_id" UUID NOT NULL,
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "credential_assignments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "projects_slug_key" ON "projects"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "cloud_assignments_cloud_id_project_id_key" ON "cloud_assignments"("cloud_id", "project_id");

-- CreateIndex
CREATE INDEX "credential_assignments_project_id_created_at_idx" ON "credential_assignments"("project_id", "created_at");

-- AddForeignKey
ALTER TABLE "cloud_assignments" ADD CONSTRAINT "cloud_assignments_cloud_id_fkey" FOREIGN KEY ("cloud_id") REFERENCES "clouds"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cloud_assignments" ADD CONSTRAINT "cloud_assignments_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credential_assignments" ADD CONSTRAINT "credential_assignments_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credential_assignments" ADD CONSTRAINT "credential_assignments_cloud_credential_id_fkey" FOREIGN KEY ("cloud_credential_id") REFERENCES "cloud_credentials"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- At most one live (requested or approved) assignment per (project, credential).
CREATE UNIQUE INDEX "credential_assignments_one_live_per_pair"
  ON "credential_assignments" ("project_id", "cloud_credential_id")
  WHERE "state" IN ('requested', 'approved');
