-- Each audit entry carries the server's HMAC of its fields (lib/audit/mac.ts),
-- so insert access to the database alone cannot add an entry the sealer chains.
-- Rows already here were written by the server before MACs existed: the
-- constant default marks them 'pre-upgrade' without rewriting the table (and
-- without firing the append-only triggers), and is dropped at once so new
-- rows must bring their own MAC.
ALTER TABLE "audit_entries" ADD COLUMN "mac" TEXT DEFAULT 'pre-upgrade';
ALTER TABLE "audit_entries" ALTER COLUMN "mac" DROP DEFAULT;

-- An entry arrives unsealed and cannot claim to be from before the upgrade.
CREATE OR REPLACE FUNCTION "audit_entries_arrive_unsealed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.hash IS NOT NULL THEN
    RAISE EXCEPTION 'audit entries are sealed by the sealer, not on insert';
  END IF;
  IF NEW.mac = 'pre-upgrade' THEN
    RAISE EXCEPTION 'audit entries written after the upgrade carry a MAC';
  END IF;
  RETURN NEW;
END;
$$;
