import { apiRoute, methodsNotAllowed } from "@/lib/api/route";
import { deleteProjectTuple } from "@/lib/projects/service";

export const DELETE = apiRoute<{ id: string }>(async ({ caller, params }) => {
  await deleteProjectTuple(caller.user, params.id);
  return new Response(null, { status: 204 });
});

export const { GET, POST, PUT, PATCH } = methodsNotAllowed(["DELETE"]);
