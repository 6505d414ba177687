"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { ConflictError, isDomainError } from "@/lib/errors";
import { idField } from "@/lib/validation";
import { cloudGrantSchema, createCloudFormSchema } from "./schema";
import { createCloud, deleteCloud, patchCloud } from "./service";
import { shareCloud, shareCloudWithGroup, unshareCloud } from "./sharing";

const cloud = z.object({ cloudId: idField });
const itsPage = ({ cloudId }: { cloudId: string }) => [`/clouds/${cloudId}`];

/** New Cloud: sign-in, then platform#manage, then the form, then the service. */
export const createCloudAction = action(
  {
    name: "createCloud",
    authorize: (user) => authorize(user, "manage", { platform: PLATFORM_ID }),
    input: createCloudFormSchema,
    redirect: (_, { id }: { id: string }) => `/clouds/${id}`,
  },
  async ({ user, input }) => ({ id: (await createCloud(user, input)).id }),
);

/** Share the Cloud with a user by email or with a group, or take a relation back; managers only. */
export const shareCloudAction = action(
  { name: "shareCloud", target: cloud, input: cloudGrantSchema, revalidate: itsPage },
  async ({ user, target, input }) => {
    if (input.group) await shareCloudWithGroup(user, target.cloudId, input.group, input.relation);
    else await shareCloud(user, target.cloudId, input.email, input.relation);
  },
);

export const unshareCloudAction = action(
  {
    name: "unshareCloud",
    target: cloud,
    input: z.object({
      subjectId: idField,
      relation: z.enum(["manage", "observer"]),
      subjectType: z.enum(["user", "group"]).default("user"),
    }),
    revalidate: itsPage,
  },
  async ({ user, target, input }) => {
    await unshareCloud(user, target.cloudId, input.subjectId, input.relation, input.subjectType);
  },
);

/** Strict payload shape checking over /v1 on or off (lib/credentials/shape.ts); the Cloud's managers only, audited. */
export const setStrictPayloadShapeAction = action(
  { name: "setStrictPayloadShape", target: cloud, input: z.object({ strict: z.boolean() }), revalidate: itsPage },
  async ({ user, target, input }) => {
    await patchCloud(user, target.cloudId, { strict_payload_shape: input.strict });
  },
);

/** Delete an empty Cloud (its manager only; one that still owns credentials is refused with how many). */
export const deleteCloudAction = action(
  { name: "deleteCloud", target: cloud, revalidate: () => ["/clouds"], redirect: () => "/clouds?deleted=1" },
  async ({ user, target }) => {
    try {
      await deleteCloud(user, target.cloudId);
    } catch (error) {
      if (!isDomainError(error) || error.code !== "cloud_not_empty") throw error;
      const counts = (error.extensions as { cloud_child_counts?: { cloud_credentials?: number } }).cloud_child_counts;
      const n = counts?.cloud_credentials ?? 0;
      throw new ConflictError(
        "cloud_not_empty",
        `This Cloud still holds ${n} credential${n === 1 ? "" : "s"} (revoked ones count: their records stay for the audit trail), so it cannot be deleted.`,
      );
    }
  },
);
