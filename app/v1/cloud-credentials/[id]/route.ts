import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { cloudCredentialPatchRequestSchema } from "@/lib/api/schemas";
import { credentialToWire } from "@/lib/api/wire";
import { authorizeEdit } from "@/lib/credentials/lifecycle";
import { getCloudCredential } from "@/lib/credentials/read";

const params = { id: "invalid_cloud_credential_id" } as const;

export const GET = route({
  params,
  authorize: signedIn,
  handle: async ({ permit, ids }) => json(credentialToWire(await getCloudCredential(permit, ids.id))),
});

export const PATCH = route({
  params,
  authorize: (caller, { id }) => authorizeEdit(caller.user, id),
  body: cloudCredentialPatchRequestSchema,
  handle: async ({ permit, body }) =>
    json(
      credentialToWire(
        await permit.update({ displayName: body.display_name, expiresAt: body.expires_at ? new Date(body.expires_at) : undefined }),
      ),
    ),
});

export const { POST, PUT, DELETE } = methodsNotAllowed(["GET", "PATCH"]);
