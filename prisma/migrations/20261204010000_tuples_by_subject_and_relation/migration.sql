-- What a subject holds, by object type and relation: "which Projects does
-- this person manage" (the approvals inbox, on every console page) and
-- "how many Clouds does this person's group observe" (lib/authz's
-- visibleObjects). Without the relation, the old index read every tuple a
-- group holds on that type and filtered: with 100,000 the planner chose a
-- sequential scan of the table instead.
CREATE INDEX "relation_tuples_subject_type_subject_id_object_type_relatio_idx" ON "relation_tuples" ("subject_type", "subject_id", "object_type", "relation");
DROP INDEX "relation_tuples_subject_type_subject_id_object_type_idx";
