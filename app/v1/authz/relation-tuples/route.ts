import { DomainError } from "@/lib/errors";
import { readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { relationTupleCreateRequestSchema } from "@/lib/api/schemas";
import { grantProjectTuple, listProjectTuples, type ProjectTuple } from "@/lib/projects/service";
import { authorize } from "@/lib/authz/service";
import { isUuid } from "@/lib/validation";

const toWire = (t: ProjectTuple) => ({ id: t.id, subject: t.subject, relation: t.relation, resource: t.resource, created_at: t.createdAt.toISOString() });

function projectIdFrom(request: Request): string {
  const projectId = new URL(request.url).searchParams.get("project_id");
  if (!isUuid(projectId)) throw new DomainError("invalid_project_id", "project_id must be the UUID of a Project", 400);
  return projectId.toLowerCase();
}

/** Project membership as relation tuples: list (observe) and create (manage). */
export const GET = apiRoute(async ({ request, caller }) => json({ items: (await listProjectTuples(caller.user, projectIdFrom(request))).map(toWire) }));

export const POST = apiRoute(async ({ request, caller }) => {
  const projectId = projectIdFrom(request);
  await authorize(caller.user, "manage", { project: projectId });
  const body = await readBody(request, relationTupleCreateRequestSchema);
  const subjectType = body.subject.split(":", 1)[0];
  if ((subjectType !== "user" && subjectType !== "group") || body.resource.toLowerCase() !== `project:${projectId}`) {
    throw new DomainError("invalid_body", "subject must be user:<id> or group:<id> and resource project:<project_id>", 400);
  }
  return json(toWire(await grantProjectTuple(caller.user, projectId, body.subject, body.relation)), 201);
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
