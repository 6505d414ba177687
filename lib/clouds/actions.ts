"use server";

import { redirect } from "next/navigation";
import { formFailure, type FormFailure } from "@/lib/actions";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { requireUser } from "@/lib/auth/session";
import { fieldErrorsOf } from "@/lib/validation";
import { createCloudFormSchema } from "./schema";
import { createCloud } from "./service";

/** New Cloud: sign-in, then platform#manage, then the form, then the service. */
export async function createCloudAction(values: unknown): Promise<FormFailure> {
  const user = await requireUser();
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
