import { readJsonBody } from "@/lib/api/body";
import { checkBody, pathId } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { cloudCredentialRevokeRequestSchema } from "@/lib/api/schemas";
import { credentialToWire } from "@/lib/api/wire";
import { authorize } from "@/lib/authz/service";
import { getCloudCredential, revokeCloudCredential } from "@/lib/credentials/service";

/** Idempotent: revoking a revoked credential answers 200 with the same projection. */
export const POST = apiRoute<{ id: string }>(async ({ request, caller, params }) => {
  const id = pathId(params.id, "invalid_cloud_credential_id");
  const credential = await getCloudCredential(caller.user, id);
  await authorize(caller.user, "manage", { cloud: credential.cloudId });
  const body = checkBody(await readJsonBody(request), cloudCredentialRevokeRequestSchema);
  return json(credentialToWire(await revokeCloudCredential(caller.user, id, body.reason)));
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
