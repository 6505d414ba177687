import { readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { relationTuplePatchRequestSchema } from "@/lib/api/schemas";
import { deleteProjectTuple, replaceProjectTuple, type ProjectTuple } from "@/lib/projects/service";

const toWire = (t: ProjectTuple) => ({ id: t.id, subject: t.subject, relation: t.relation, resource: t.resource, created_at: t.createdAt.toISOString() });

export const DELETE = apiRoute<{ id: string }>(async ({ caller, params }) => {
  await deleteProjectTuple(caller.user, params.id);
  return new Response(null, { status: 204 });
});

/** Replace the tuple (delete-then-write); the body is the whole new tuple. */
export const PATCH = apiRoute<{ id: string }>(async ({ request, caller, params }) => {
  const body = await readBody(request, relationTuplePatchRequestSchema);
  return json(toWire(await replaceProjectTuple(caller.user, params.id, body)));
});

export const { GET, POST, PUT } = methodsNotAllowed(["PATCH", "DELETE"]);
