import { readJsonBody } from "@/lib/api/body";
import { checkBody, pathId } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { cloudCredentialPatchRequestSchema } from "@/lib/api/schemas";
import { credentialToWire } from "@/lib/api/wire";
import { authorize } from "@/lib/authz/service";
import { updateCredentialMetadata } from "@/lib/credentials/lifecycle";
import { getCloudCredential } from "@/lib/credentials/service";

type Params = { id: string };

export const GET = apiRoute<Params>(async ({ caller, params }) => {
  return json(credentialToWire(await getCloudCredential(caller.user, pathId(params.id, "invalid_cloud_credential_id"))));
});

export const PATCH = apiRoute<Params>(async ({ request, caller, params }) => {
  const id = pathId(params.id, "invalid_cloud_credential_id");
  const credential = await getCloudCredential(caller.user, id);
  await authorize(caller.user, "manage", { cloud: credential.cloudId });
  const body = checkBody(await readJsonBody(request), cloudCredentialPatchRequestSchema);
  const updated = await updateCredentialMetadata(caller.user, id, {
    displayName: body.display_name,
    expiresAt: body.expires_at ? new Date(body.expires_at) : undefined,
  });
  return json(credentialToWire(updated));
});

export const { POST, PUT, DELETE } = methodsNotAllowed(["GET", "PATCH"]);
