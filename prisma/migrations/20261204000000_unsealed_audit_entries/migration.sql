-- The audit sealer's batch, the oldest unsealed entries: without this index
-- it found them through seq's unique index and sorted every unsealed entry
-- for each batch of 500, so sealing a backlog (after an outage, a bulk
-- import) cost O(backlog) per batch.
CREATE INDEX "audit_entries_unsealed_idx" ON "audit_entries" ("at", "id") WHERE "seq" IS NULL;
