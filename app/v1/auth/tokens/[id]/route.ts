import { methodsNotAllowed, noContent, RAW, route, signedIn } from "@/lib/api/route";
import { revokeToken } from "@/lib/tokens/service";

export const DELETE = route({
  params: { id: RAW },
  authorize: signedIn,
  handle: async ({ permit, ids, caller }) => {
    await revokeToken(permit, ids.id, caller.via === "bearer" ? caller.token : undefined);
    return noContent();
  },
});

export const { GET, POST, PUT, PATCH } = methodsNotAllowed(["DELETE"]);
