-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "client_address" TEXT,
ADD COLUMN     "last_seen_at" TIMESTAMPTZ(3),
ADD COLUMN     "user_agent" TEXT;

-- AlterTable: tokens minted before names existed (or by a script that names none) are called "API token"; the old ones were minted by their owner.
ALTER TABLE "api_tokens" ADD COLUMN     "created_by_id" UUID,
ADD COLUMN     "name" TEXT NOT NULL DEFAULT 'API token';
UPDATE "api_tokens" SET "created_by_id" = "user_id";

-- AlterTable
ALTER TABLE "audit_entries" ADD COLUMN     "hash" TEXT,
ADD COLUMN     "prev_hash" TEXT,
ADD COLUMN     "seq" BIGINT;

-- CreateIndex
CREATE UNIQUE INDEX "audit_entries_seq_key" ON "audit_entries"("seq");

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Still append-only, with one exception: the sealer (lib/audit/chain.ts) sets
-- seq, prev_hash and hash once, from NULL, and changes nothing else.
CREATE OR REPLACE FUNCTION "audit_entries_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
       AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
       AND (to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'hash']) = (to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'hash']) THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit entries are append-only';
END;
$$;

-- An entry arrives unsealed: only the sealer places it in the chain.
CREATE FUNCTION "audit_entries_arrive_unsealed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.hash IS NOT NULL THEN
    RAISE EXCEPTION 'audit entries are sealed by the sealer, not on insert';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "audit_entries_unsealed_on_insert"
  BEFORE INSERT ON "audit_entries"
  FOR EACH ROW EXECUTE FUNCTION "audit_entries_arrive_unsealed"();
