-- AlterTable
ALTER TABLE "cloud_credentials" ADD COLUMN     "secret_missing_at" TIMESTAMPTZ(3);
