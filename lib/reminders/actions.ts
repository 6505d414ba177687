"use server";

import { revalidatePath } from "next/cache";
import { requireActionUser } from "@/lib/action-user";
import { formFailure, type FormFailure } from "@/lib/actions";
import { authorize } from "@/lib/authz/service";
import { fieldErrorsOf } from "@/lib/validation";
import { reminderSettingsSchema } from "./schema";
import { updateReminderSettings } from "./settings";

/** Reminder settings of one Cloud: sign-in, then cloud#manage, then the form (whose secret is read only after). */
export async function updateReminderSettingsAction(cloudId: string, values: unknown): Promise<FormFailure | { ok: true }> {
  const user = await requireActionUser();
  try {
    await authorize(user, "manage", { cloud: cloudId });
  } catch (error) {
    return formFailure(error, "updateReminderSettings");
  }
  const parsed = reminderSettingsSchema.safeParse(values);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    await updateReminderSettings(user, cloudId, parsed.data);
  } catch (error) {
    return formFailure(error, "updateReminderSettings");
  }
  revalidatePath(`/clouds/${cloudId}`);
  return { ok: true };
}
