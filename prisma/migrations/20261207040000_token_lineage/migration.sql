-- A token minted with a token (POST /v1/auth/tokens, or a device login
-- approved by bearer) records its parent: it never outlives it, and stops
-- working the moment the parent or any ancestor is revoked. Additive: every
-- existing token stays a root.
ALTER TABLE "api_tokens" ADD COLUMN "parent_token_id" UUID;
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_parent_token_id_fkey" FOREIGN KEY ("parent_token_id") REFERENCES "api_tokens"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- Revoking a token walks down to its descendants.
CREATE INDEX "api_tokens_parent_token_id_idx" ON "api_tokens"("parent_token_id");
ALTER TABLE "device_codes" ADD COLUMN "approved_with_token_id" UUID;
