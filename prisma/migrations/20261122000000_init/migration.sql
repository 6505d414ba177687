-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "cloud_provider" AS ENUM ('aws', 'azure', 'gcp', 'openstack', 's3-compatible');

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "relation_tuples" (
    "id" UUID NOT NULL,
    "object_type" TEXT NOT NULL,
    "object_id" TEXT NOT NULL,
    "relation" TEXT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "relation_tuples_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "clouds" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "provider" "cloud_provider" NOT NULL,
    "external_id" TEXT NOT NULL,
    "endpoint" JSONB NOT NULL DEFAULT '{}',
    "region_defaults" JSONB NOT NULL DEFAULT '{}',
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "clouds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cloud_credentials" (
    "id" UUID NOT NULL,
    "cloud_id" UUID NOT NULL,
    "display_name" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "expired_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "issued_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cloud_credentials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "embedded_secret_versions" (
    "path" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "nonce" BYTEA NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "embedded_secret_versions_pkey" PRIMARY KEY ("path","version")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "relation_tuples_subject_type_subject_id_object_type_idx" ON "relation_tuples"("subject_type", "subject_id", "object_type");

-- CreateIndex
CREATE UNIQUE INDEX "relation_tuples_object_type_object_id_relation_subject_type_key" ON "relation_tuples"("object_type", "object_id", "relation", "subject_type", "subject_id");

-- CreateIndex
CREATE UNIQUE INDEX "clouds_slug_key" ON "clouds"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "clouds_provider_external_id_key" ON "clouds"("provider", "external_id");

-- CreateIndex
CREATE INDEX "cloud_credentials_cloud_id_created_at_id_idx" ON "cloud_credentials"("cloud_id", "created_at", "id");

-- AddForeignKey
ALTER TABLE "cloud_credentials" ADD CONSTRAINT "cloud_credentials_cloud_id_fkey" FOREIGN KEY ("cloud_id") REFERENCES "clouds"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

