-- A Cloud's managers may make /v1 refuse payloads without the provider's shape.
-- Additive; a constant default adds the column without rewriting the table (PostgreSQL 11+).
ALTER TABLE "clouds" ADD COLUMN "strict_payload_shape" BOOLEAN NOT NULL DEFAULT false;
