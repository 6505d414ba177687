-- A Project's members (its relation tuples) in grant order, a keyset page at
-- a time: the console's Members card and GET /v1/authz/relation-tuples
-- (lib/projects/members.ts).
CREATE INDEX "relation_tuples_object_type_object_id_created_at_id_idx" ON "relation_tuples"("object_type", "object_id", "created_at", "id");
