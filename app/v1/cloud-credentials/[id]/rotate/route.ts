import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { cloudCredentialRotateRequestSchema } from "@/lib/api/schemas";
import { secretInput, shapeWarningHeaders } from "@/lib/api/secret-input";
import { credentialToWire } from "@/lib/api/wire";
import { authorizeRotate } from "@/lib/credentials/rotate";

/** New material as the next version, compare-and-set on the version the caller saw; manage first, body after. */
export const POST = route({
  params: { id: "invalid_cloud_credential_id" },
  authorize: (caller, { id }) => authorizeRotate(caller.user, id),
  body: cloudCredentialRotateRequestSchema,
  handle: async ({ permit, body }) => {
    const rotated = await permit.rotate({
      expectedVersion: body.expected_version,
      ...secretInput(body),
      expiresAt: body.expires_at ? new Date(body.expires_at) : undefined,
    });
    return json(credentialToWire(rotated), 200, shapeWarningHeaders(rotated));
  },
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
