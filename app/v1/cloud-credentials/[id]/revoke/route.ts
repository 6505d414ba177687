import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { cloudCredentialRevokeRequestSchema } from "@/lib/api/schemas";
import { credentialToWire } from "@/lib/api/wire";
import { authorizeRevoke } from "@/lib/credentials/revoke";

/** Idempotent: revoking a revoked credential answers 200 with the same projection. */
export const POST = route({
  params: { id: "invalid_cloud_credential_id" },
  authorize: (caller, { id }) => authorizeRevoke(caller.user, id),
  body: cloudCredentialRevokeRequestSchema,
  handle: async ({ permit, body }) => json(credentialToWire(await permit.revoke(body.reason))),
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
