"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActionUser } from "@/lib/action-user";
import { formFailure, type FormFailure } from "@/lib/actions";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { isDomainError } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/validation";
import { createCloudFormSchema } from "./schema";
import { createCloud, deleteCloud, patchCloud } from "./service";
import { shareCloud, shareCloudWithGroup, unshareCloud } from "./sharing";

/** New Cloud: sign-in, then platform#manage, then the form, then the service. */
export async function createCloudAction(values: unknown): Promise<FormFailure> {
  const user = await requireActionUser();
  try {
    await authorize(user, "manage", { platform: PLATFORM_ID });
  } catch (error) {
    return formFailure(error, "createCloud");
  }
  const parsed = createCloudFormSchema.safeParse(values);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  let cloudId: string;
  try {
    cloudId = (await createCloud(user, parsed.data)).id;
  } catch (error) {
    return formFailure(error, "createCloud");
  }
  redirect(`/clouds/${cloudId}`);
}

/** Share the Cloud with a user by email, or take a relation back; managers only. */
export async function shareCloudAction(cloudId: string, values: { email: unknown; relation: unknown; group?: unknown }): Promise<FormFailure | { ok: true }> {
  const user = await requireActionUser();
  try {
    const relation = values.relation === "manage" ? "manage" : "observer";
    const group = typeof values.group === "string" ? values.group : "";
    if (group) await shareCloudWithGroup(user, cloudId, group, relation);
    else await shareCloud(user, cloudId, String(values.email ?? ""), relation);
  } catch (error) {
    return formFailure(error, "shareCloud");
  }
  revalidatePath(`/clouds/${cloudId}`);
  return { ok: true };
}

export async function unshareCloudAction(cloudId: string, userId: string, relation: "manage" | "observer", subjectType: "user" | "group" = "user"): Promise<FormFailure | { ok: true }> {
  const user = await requireActionUser();
  try {
    await unshareCloud(user, cloudId, userId, relation, subjectType === "group" ? "group" : "user");
  } catch (error) {
    return formFailure(error, "unshareCloud");
  }
  revalidatePath(`/clouds/${cloudId}`);
  return { ok: true };
}

/** Strict payload shape checking over /v1 on or off (lib/credentials/shape.ts); the Cloud's managers only, audited. */
export async function setStrictPayloadShapeAction(cloudId: string, strict: unknown): Promise<FormFailure | { ok: true }> {
  const user = await requireActionUser();
  try {
    await patchCloud(user, cloudId, { strict_payload_shape: strict === true });
  } catch (error) {
    return formFailure(error, "setStrictPayloadShape");
  }
  revalidatePath(`/clouds/${cloudId}`);
  return { ok: true };
}

/** Delete an empty Cloud (its manager only; one that still owns credentials is refused with how many). */
export async function deleteCloudAction(cloudId: string): Promise<FormFailure> {
  const user = await requireActionUser();
  try {
    await deleteCloud(user, cloudId);
  } catch (error) {
    if (isDomainError(error) && error.code === "cloud_not_empty") {
      const counts = (error.extensions as { cloud_child_counts?: { cloud_credentials?: number } }).cloud_child_counts;
      const n = counts?.cloud_credentials ?? 0;
      return { ok: false, fieldErrors: {}, formError: `This Cloud still holds ${n} credential${n === 1 ? "" : "s"} (revoked ones count: their records stay for the audit trail), so it cannot be deleted.` };
    }
    return formFailure(error, "deleteCloud");
  }
  revalidatePath("/clouds");
  redirect("/clouds?deleted=1");
}
