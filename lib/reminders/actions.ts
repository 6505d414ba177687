"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { authorize } from "@/lib/authz/service";
import { idField } from "@/lib/validation";
import { reminderSettingsSchema } from "./schema";
import { updateReminderSettings } from "./settings";

/** Reminder settings of one Cloud: sign-in, then cloud#manage, then the form (whose webhook secret is read only after). */
export const updateReminderSettingsAction = action(
  {
    name: "updateReminderSettings",
    target: z.object({ cloudId: idField }),
    authorize: (user, { cloudId }) => authorize(user, "manage", { cloud: cloudId }),
    input: reminderSettingsSchema,
    revalidate: ({ cloudId }) => [`/clouds/${cloudId}`],
  },
  async ({ user, target, input }) => {
    await updateReminderSettings(user, target.cloudId, input);
  },
);
