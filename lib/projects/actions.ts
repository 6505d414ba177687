"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActionUser } from "@/lib/action-user";
import { formFailure, type FormFailure } from "@/lib/actions";
import { requestAssignment } from "@/lib/assignments/service";
import { addMember, assignCloudToProject, createProject, grantProjectTuple, removeMember } from "./service";

type Result = FormFailure | { ok: true };

async function run(action: string, work: () => Promise<unknown>, revalidate: string[]): Promise<Result> {
  try {
    await work();
  } catch (error) {
    return formFailure(error, action);
  }
  for (const path of revalidate) revalidatePath(path);
  return { ok: true };
}

export async function createProjectAction(values: { name: unknown; slug: unknown }): Promise<FormFailure> {
  const user = await requireActionUser();
  let id: string;
  try {
    id = (await createProject(user, { name: String(values.name ?? ""), slug: String(values.slug ?? "") })).id;
  } catch (error) {
    return formFailure(error, "createProject");
  }
  redirect(`/projects/${id}`);
}

export async function addMemberAction(projectId: string, values: { email: unknown; relation: unknown; group?: unknown }): Promise<Result> {
  const user = await requireActionUser();
  const relation = values.relation === "manage" ? "manage" : "deploy";
  const group = typeof values.group === "string" ? values.group : "";
  if (group) return run("addMember", () => grantProjectTuple(user, projectId, `group:${group}`, relation), [`/projects/${projectId}`]);
  return run("addMember", () => addMember(user, projectId, String(values.email ?? ""), relation), [`/projects/${projectId}`]);
}

export async function removeMemberAction(projectId: string, userId: string, relation: "manage" | "deploy", subjectType: "user" | "group" = "user"): Promise<Result> {
  const user = await requireActionUser();
  if (relation !== "manage" && relation !== "deploy") return { ok: false, fieldErrors: {}, formError: "Unknown role." };
  return run("removeMember", () => removeMember(user, projectId, userId, relation, subjectType === "group" ? "group" : "user"), [`/projects/${projectId}`]);
}

export async function assignCloudAction(cloudId: string, projectId: string): Promise<Result> {
  const user = await requireActionUser();
  return run("assignCloud", () => assignCloudToProject(user, cloudId, projectId), [`/clouds/${cloudId}`, `/projects/${projectId}`]);
}

export async function requestAssignmentAction(projectId: string, cloudCredentialId: string): Promise<Result> {
  const user = await requireActionUser();
  return run("requestAssignment", () => requestAssignment(user, projectId, { cloudCredentialId }), [`/projects/${projectId}`, "/approvals"]);
}
