import { pathId, readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { cloudCredentialRotateRequestSchema } from "@/lib/api/schemas";
import { secretInput, shapeWarningHeaders } from "@/lib/api/secret-input";
import { credentialToWire } from "@/lib/api/wire";
import { authorizeRotate } from "@/lib/credentials/lifecycle";

/** New material as the next version, compare-and-set on the version the caller saw; manage first, body after. */
export const POST = apiRoute<{ id: string }>(async ({ request, caller, params }) => {
  const rotator = await authorizeRotate(caller.user, pathId(params.id, "invalid_cloud_credential_id"));
  const body = await readBody(request, cloudCredentialRotateRequestSchema);
  const rotated = await rotator.rotate({
    expectedVersion: body.expected_version,
    ...secretInput(body),
    expiresAt: body.expires_at ? new Date(body.expires_at) : undefined,
  });
  return json(credentialToWire(rotated), 200, shapeWarningHeaders(rotated));
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
