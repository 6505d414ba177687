import { apiRoute, methodsNotAllowed } from "@/lib/api/route";
import { revokeToken } from "@/lib/tokens/service";

export const DELETE = apiRoute<{ id: string }>(async ({ caller, params }) => {
  await revokeToken(caller.user, params.id, caller.via === "bearer" ? caller.token : undefined);
  return new Response(null, { status: 204 });
});

export const { GET, POST, PUT, PATCH } = methodsNotAllowed(["DELETE"]);
