"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { action, publicAction } from "@/lib/actions";
import { clientAddress } from "@/lib/auth/client-address";
import { authorizePlatform } from "@/lib/authz/service";
import { env } from "@/lib/env";
import { idField } from "@/lib/validation";
import { addMembership, createGroup, deleteGroup, removeMembership } from "./group-admin";
import { acceptInvitationSchema, setPasswordSchema } from "./invitation-rules";
import { acceptInvitation, issueInvitation, revokeInvitation } from "./invitations";
import { setPasswordWithToken } from "./password-setup";
import { removeUser, setUserStatus } from "./users";

const GROUPS = "/settings/groups";
const USERS = "/settings/users";
const group = z.object({ groupId: idField });
const person = z.object({ userId: idField });
const text = z.string().default("");

// The group's own rules (slug, name, binding) are the service's createGroupSchema; the form sends its fields as typed.
export const createGroupAction = action(
  {
    name: "createGroup",
    authorize: (user) => authorizePlatform(user),
    input: z.object({
      slug: text,
      displayName: text,
      source: z.enum(["manual", "idp"]).default("manual"),
      idpBindingId: text,
      idpClaimValue: text,
    }),
    revalidate: () => [GROUPS],
  },
  async ({ permit, input }) => {
    const { idpBindingId, idpClaimValue, ...rest } = input;
    await createGroup(permit, input.source === "idp" ? { ...rest, idpBindingId, idpClaimValue } : rest);
  },
);

export const deleteGroupAction = action(
  { name: "deleteGroup", authorize: (user) => authorizePlatform(user), target: group, revalidate: () => [GROUPS] },
  async ({ permit, target }) => {
    await deleteGroup(permit, target.groupId);
  },
);

export const addGroupMemberAction = action(
  {
    name: "addGroupMember",
    authorize: (user) => authorizePlatform(user),
    target: group,
    input: z.object({ email: text }),
    revalidate: () => [GROUPS, USERS],
  },
  async ({ permit, target, input }) => {
    await addMembership(permit, target.groupId, { email: input.email });
  },
);

export const removeGroupMemberAction = action(
  {
    name: "removeGroupMember",
    authorize: (user) => authorizePlatform(user),
    target: group,
    input: z.object({ userId: idField }),
    revalidate: () => [GROUPS, USERS],
  },
  async ({ permit, target, input }) => {
    await removeMembership(permit, target.groupId, input.userId);
  },
);

export const setUserStatusAction = action(
  {
    name: "setUserStatus",
    authorize: (user) => authorizePlatform(user),
    target: person,
    input: z.object({ status: z.enum(["active", "disabled"]) }),
    revalidate: () => [USERS],
  },
  async ({ permit, target, input }) => {
    await setUserStatus(permit, target.userId, input.status);
  },
);

export const removeUserAction = action(
  { name: "removeUser", authorize: (user) => authorizePlatform(user), target: person, revalidate: () => [USERS] },
  async ({ permit, target }) => {
    await removeUser(permit, target.userId);
  },
);

/** Issues an invitation; the link comes back once, in this answer, and nowhere else. */
export const issueInvitationAction = action(
  {
    name: "issueInvitation",
    authorize: (user) => authorizePlatform(user),
    input: z.object({ email: text, ttlHours: z.coerce.number().optional(), object: text, relation: text }),
    revalidate: () => [USERS],
  },
  async ({ permit, input }) => {
    const { token } = await issueInvitation(permit, {
      email: input.email,
      ttlSeconds: input.ttlHours !== undefined && Number.isFinite(input.ttlHours) ? Math.round(input.ttlHours * 3600) : undefined,
      initialTuples: input.object ? [{ object: input.object, relation: input.relation }] : [],
    });
    return { link: `${await origin()}/invitations/${token}` };
  },
);

export const revokeInvitationAction = action(
  {
    name: "revokeInvitation",
    authorize: (user) => authorizePlatform(user),
    target: z.object({ invitationId: idField }),
    revalidate: () => [USERS],
  },
  async ({ permit, target }) => {
    await revokeInvitation(permit, target.invitationId);
  },
);

/** Signed out by nature: the invitee has no account yet. The link's token is the credential. */
export const acceptInvitationAction = publicAction(
  { name: "acceptInvitation", input: acceptInvitationSchema.extend({ token: z.string() }) },
  async ({ input: { token, ...values } }) => {
    await acceptInvitation(token, values);
  },
);

export const setPasswordAction = publicAction(
  { name: "setPassword", input: setPasswordSchema.extend({ token: z.string() }) },
  async ({ input }) => {
    const client = { address: clientAddress(await headers()) };
    await setPasswordWithToken(input.token, { password: input.password }, client);
  },
);

async function origin(): Promise<string> {
  const configured = env().publicUrl;
  if (configured) return new URL(configured).origin;
  const request = await headers();
  const host = request.get("host") ?? "localhost";
  return `${request.get("x-forwarded-proto") === "https" ? "https" : "http"}://${host}`;
}
