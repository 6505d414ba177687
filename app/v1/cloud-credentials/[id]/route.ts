import { pathId } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { credentialToWire } from "@/lib/api/wire";
import { getCloudCredential } from "@/lib/credentials/service";

export const GET = apiRoute<{ id: string }>(async ({ caller, params }) => {
  return json(credentialToWire(await getCloudCredential(caller.user, pathId(params.id, "invalid_cloud_credential_id"))));
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
