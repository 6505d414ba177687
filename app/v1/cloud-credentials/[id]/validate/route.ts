import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { authorizeValidate } from "@/lib/credentials/validate";

/** Checks the stored material's shape for the Cloud's provider, and that the engine still holds it. */
export const POST = route({
  params: { id: "invalid_cloud_credential_id" },
  authorize: (caller, { id }) => authorizeValidate(caller.user, id),
  handle: async ({ permit }) => json(await permit.validate()),
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
