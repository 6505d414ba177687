import { methodsNotAllowed, noContent, route } from "@/lib/api/route";
import { authorizeDetach } from "@/lib/credentials/usages";

/** cloud#manage on the home Cloud or on the usage Cloud; idempotent 204; the home Cloud is 409 cannot_detach_home_cloud. */
export const DELETE = route({
  params: { id: "invalid_cloud_credential_id", cloud_id: "invalid_cloud_id" },
  authorize: (caller, { id, cloud_id }) => authorizeDetach(caller.user, id, cloud_id),
  handle: async ({ permit }) => {
    await permit.detach();
    return noContent();
  },
});

export const { GET, POST, PUT, PATCH } = methodsNotAllowed(["DELETE"]);
