-- The IdP's discovery document, cached when an admin saves a binding and by
-- the periodic refresh, so an unauthenticated sign-in never makes the server
-- fetch it. Nullable: existing bindings are filled by the first refresh pass
-- at boot. Adding nullable columns rewrites nothing.
ALTER TABLE "idp_bindings" ADD COLUMN "discovery" JSONB;
ALTER TABLE "idp_bindings" ADD COLUMN "discovered_at" TIMESTAMPTZ(3);
