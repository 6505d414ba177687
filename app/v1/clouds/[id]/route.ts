import { checkBody, readJsonBody } from "@/lib/api/body";
import { json, methodsNotAllowed, noContent, route, signedIn } from "@/lib/api/route";
import { cloudPatchRequestSchema } from "@/lib/api/schemas";
import { cloudToWire } from "@/lib/api/wire";
import { authorizeCloudEdit, deleteCloud, getCloud } from "@/lib/clouds/service";
import { ValidationError } from "@/lib/errors";

const params = { id: "invalid_cloud_id" } as const;

/** The contract's own codes for the two fields a Cloud keeps for life come before the schema's generic refusal. */
async function readCloudPatch(request: Request) {
  const raw = await readJsonBody(request);
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    if ("slug" in raw) throw new ValidationError("slug_immutable", "a Cloud's slug cannot be changed");
    if ("provider" in raw) throw new ValidationError("provider_immutable", "a Cloud's provider cannot be changed");
  }
  return checkBody(raw, cloudPatchRequestSchema);
}

export const GET = route({
  params,
  authorize: signedIn,
  handle: async ({ permit, ids }) => json(cloudToWire(await getCloud(permit, ids.id))),
});

/** Authorized before the body: a caller without manage learns nothing from its validation. */
export const PATCH = route({
  params,
  authorize: (caller, { id }) => authorizeCloudEdit(caller.user, id),
  body: readCloudPatch,
  handle: async ({ permit, body }) => json(cloudToWire(await permit.patch(body))),
});

export const DELETE = route({
  params,
  authorize: signedIn,
  handle: async ({ permit, ids }) => {
    await deleteCloud(permit, ids.id);
    return noContent();
  },
});

export const { POST, PUT } = methodsNotAllowed(["GET", "PATCH", "DELETE"]);
