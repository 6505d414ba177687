import { readJsonBody } from "@/lib/api/body";
import { checkBody, pathId } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { cloudPatchRequestSchema } from "@/lib/api/schemas";
import { cloudToWire } from "@/lib/api/wire";
import { authorize } from "@/lib/authz/service";
import { deleteCloud, getCloud, patchCloud } from "@/lib/clouds/service";
import { ValidationError } from "@/lib/errors";

type Params = { id: string };

export const GET = apiRoute<Params>(async ({ caller, params }) => {
  return json(cloudToWire(await getCloud(caller.user, pathId(params.id, "invalid_cloud_id"))));
});

export const PATCH = apiRoute<Params>(async ({ request, caller, params }) => {
  const id = pathId(params.id, "invalid_cloud_id");
  // Authorize before the body: a caller without manage learns nothing from its validation.
  await authorize(caller.user, "manage", { cloud: id });
  const raw = await readJsonBody(request);
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    if ("slug" in raw) throw new ValidationError("slug_immutable", "a Cloud's slug cannot be changed");
    if ("provider" in raw) throw new ValidationError("provider_immutable", "a Cloud's provider cannot be changed");
  }
  return json(cloudToWire(await patchCloud(caller.user, id, checkBody(raw, cloudPatchRequestSchema))));
});

export const DELETE = apiRoute<Params>(async ({ caller, params }) => {
  await deleteCloud(caller.user, pathId(params.id, "invalid_cloud_id"));
  return new Response(null, { status: 204 });
});

export const { POST, PUT } = methodsNotAllowed(["GET", "PATCH", "DELETE"]);
