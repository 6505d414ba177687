import { json, methodsNotAllowed, noContent, RAW, route } from "@/lib/api/route";
import { relationTuplePatchRequestSchema } from "@/lib/api/schemas";
import { authorizeTupleEdit } from "@/lib/projects/service";
import { tupleToWire } from "@/lib/api/wire";

// Any id that names no member tuple the caller may manage is the service's 404, malformed ones included.
const params = { id: RAW } as const;

export const DELETE = route({
  params,
  authorize: (caller, { id }) => authorizeTupleEdit(caller.user, id),
  handle: async ({ permit }) => {
    await permit.remove();
    return noContent();
  },
});

/** Replace the tuple (delete-then-write); the body is the whole new tuple. */
export const PATCH = route({
  params,
  authorize: (caller, { id }) => authorizeTupleEdit(caller.user, id),
  body: relationTuplePatchRequestSchema,
  handle: async ({ permit, body }) => json(tupleToWire(await permit.replace(body))),
});

export const { GET, POST, PUT } = methodsNotAllowed(["PATCH", "DELETE"]);
