"use server";

import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { requireActionUser, requireConsoleRequest } from "@/lib/action-user";
import { clientAddress } from "@/lib/auth/client-address";
import { formFailure, type FormFailure } from "@/lib/actions";
import { env } from "@/lib/env";
import { addMembership, createGroup, deleteGroup, removeMembership } from "./group-admin";
import { acceptInvitation, issueInvitation, revokeInvitation } from "./invitations";
import { setPasswordWithToken } from "./password-setup";
import { removeUser, setUserStatus } from "./users";

type Result = FormFailure | { ok: true };

async function run(name: string, work: () => Promise<unknown>, paths: string[]): Promise<Result> {
  try {
    await work();
  } catch (error) {
    return formFailure(error, name);
  }
  for (const path of paths) revalidatePath(path);
  return { ok: true };
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

export async function createGroupAction(values: { slug: unknown; displayName: unknown; source: unknown; idpBindingId?: unknown; idpClaimValue?: unknown }): Promise<Result> {
  const user = await requireActionUser();
  const idp = values.source === "idp";
  return run(
    "createGroup",
    () =>
      createGroup(user, {
        slug: str(values.slug),
        displayName: str(values.displayName),
        source: idp ? "idp" : "manual",
        ...(idp ? { idpBindingId: str(values.idpBindingId), idpClaimValue: str(values.idpClaimValue) } : {}),
      }),
    ["/settings/groups"],
  );
}

export async function deleteGroupAction(groupId: string): Promise<Result> {
  const user = await requireActionUser();
  return run("deleteGroup", () => deleteGroup(user, groupId), ["/settings/groups"]);
}

export async function addGroupMemberAction(groupId: string, email: unknown): Promise<Result> {
  const user = await requireActionUser();
  return run("addGroupMember", () => addMembership(user, groupId, { email: str(email) }), ["/settings/groups", "/settings/users"]);
}

export async function removeGroupMemberAction(groupId: string, userId: string): Promise<Result> {
  const user = await requireActionUser();
  return run("removeGroupMember", () => removeMembership(user, groupId, userId), ["/settings/groups", "/settings/users"]);
}

export async function setUserStatusAction(userId: string, status: "active" | "disabled"): Promise<Result> {
  const user = await requireActionUser();
  return run("setUserStatus", () => setUserStatus(user, userId, status === "disabled" ? "disabled" : "active"), ["/settings/users"]);
}

export async function removeUserAction(userId: string): Promise<Result> {
  const user = await requireActionUser();
  return run("removeUser", () => removeUser(user, userId), ["/settings/users"]);
}

/** Issues an invitation; the link comes back once, in this answer, and nowhere else. */
export async function issueInvitationAction(values: { email: unknown; ttlHours: unknown; object?: unknown; relation?: unknown }): Promise<Result | { ok: true; link: string }> {
  const user = await requireActionUser();
  const hours = Number(values.ttlHours);
  const object = str(values.object);
  try {
    const { token } = await issueInvitation(user, {
      email: str(values.email),
      ttlSeconds: Number.isFinite(hours) ? Math.round(hours * 3600) : undefined,
      initialTuples: object ? [{ object, relation: str(values.relation) }] : [],
    });
    revalidatePath("/settings/users");
    return { ok: true, link: `${await origin()}/invitations/${token}` };
  } catch (error) {
    return formFailure(error, "issueInvitation");
  }
}

export async function revokeInvitationAction(invitationId: string): Promise<Result> {
  const user = await requireActionUser();
  return run("revokeInvitation", () => revokeInvitation(user, invitationId), ["/settings/users"]);
}

/** Signed out by nature: the invitee has no account yet. The link's token is the credential. */
export async function acceptInvitationAction(token: string, values: { displayName: unknown; password: unknown }): Promise<Result> {
  await requireConsoleRequest();
  return run("acceptInvitation", () => acceptInvitation(token, values), []);
}

export async function setPasswordAction(token: string, values: { password: unknown }): Promise<Result> {
  await requireConsoleRequest();
  const client = { address: clientAddress(await headers()) };
  return run("setPassword", () => setPasswordWithToken(token, values, client), []);
}

async function origin(): Promise<string> {
  const configured = env().publicUrl;
  if (configured) return new URL(configured).origin;
  const request = await headers();
  const host = request.get("host") ?? "localhost";
  return `${request.get("x-forwarded-proto") === "https" ? "https" : "http"}://${host}`;
}
