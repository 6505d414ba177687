"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { idField } from "@/lib/validation";
import { createProjectSchema, projectGrantSchema } from "./schema";
import { requestCloudForProject } from "./cloud-assignments";
import { addMember, assignCloudToProject, createProject, grantProjectTuple, removeMember } from "./service";

const project = z.object({ projectId: idField });
const itsPage = ({ projectId }: { projectId: string }) => [`/projects/${projectId}`];

export const createProjectAction = action(
  { name: "createProject", input: createProjectSchema, redirect: (_, { id }: { id: string }) => `/projects/${id}` },
  async ({ user, input }) => ({ id: (await createProject(user, input)).id }),
);

export const addMemberAction = action(
  { name: "addMember", target: project, input: projectGrantSchema, revalidate: itsPage },
  async ({ user, target, input }) => {
    if (input.group) await grantProjectTuple(user, target.projectId, `group:${input.group}`, input.relation);
    else await addMember(user, target.projectId, input.email, input.relation);
  },
);

export const removeMemberAction = action(
  {
    name: "removeMember",
    target: project,
    input: z.object({
      subjectId: idField,
      relation: z.enum(["manage", "deploy"], { message: "Unknown role." }),
      subjectType: z.enum(["user", "group"]).default("user"),
    }),
    revalidate: itsPage,
  },
  async ({ user, target, input }) => {
    await removeMember(user, target.projectId, input.subjectId, input.relation, input.subjectType);
  },
);

export const assignCloudAction = action(
  {
    name: "assignCloud",
    target: z.object({ cloudId: idField }),
    input: z.object({ project_id: idField }),
    revalidate: ({ cloudId }, { projectId }: { projectId: string }) => [`/clouds/${cloudId}`, `/projects/${projectId}`],
  },
  async ({ user, target, input }) => {
    await assignCloudToProject(user, target.cloudId, input.project_id);
    return { projectId: input.project_id };
  },
);

/** A Project's deployer asks to use a Cloud; the Cloud's manager decides on the Approvals page. */
export const requestCloudAction = action(
  {
    name: "requestCloud",
    target: project,
    input: z.object({ cloud_id: idField }),
    revalidate: ({ projectId }) => [`/projects/${projectId}`, "/approvals"],
  },
  async ({ user, target, input }) => {
    await requestCloudForProject(user, target.projectId, input.cloud_id);
  },
);
