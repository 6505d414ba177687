import { pathId } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { validateCloudCredential } from "@/lib/credentials/lifecycle";

/** Checks the stored material's shape for the Cloud's provider, and that the engine still holds it. */
export const POST = apiRoute<{ id: string }>(async ({ caller, params }) => {
  return json(await validateCloudCredential(caller.user, pathId(params.id, "invalid_cloud_credential_id")));
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
