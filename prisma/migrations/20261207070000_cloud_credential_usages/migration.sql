-- A credential may serve Clouds beyond its home Cloud (the contract's usage
-- Clouds, /v1/cloud-credentials/{id}/clouds). The home Cloud stays on the
-- credential row and is never stored here, so it cannot be detached.
CREATE TABLE "cloud_credential_usages" (
    "credential_id" UUID NOT NULL,
    "cloud_id" UUID NOT NULL,
    "attached_by_id" UUID NOT NULL,
    "attached_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cloud_credential_usages_pkey" PRIMARY KEY ("credential_id", "cloud_id")
);

CREATE INDEX "cloud_credential_usages_cloud_id_credential_id_idx" ON "cloud_credential_usages"("cloud_id", "credential_id");

ALTER TABLE "cloud_credential_usages" ADD CONSTRAINT "cloud_credential_usages_credential_id_fkey" FOREIGN KEY ("credential_id") REFERENCES "cloud_credentials"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "cloud_credential_usages" ADD CONSTRAINT "cloud_credential_usages_cloud_id_fkey" FOREIGN KEY ("cloud_id") REFERENCES "clouds"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
