"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { idField } from "@/lib/validation";
import { reminderSettingsSchema } from "./schema";
import { authorizeReminderSettings } from "./settings";

/** Reminder settings of one Cloud: sign-in, then cloud#manage, then the form (whose webhook secret is read only after). */
export const updateReminderSettingsAction = action(
  {
    name: "updateReminderSettings",
    target: z.object({ cloudId: idField }),
    authorize: (user, { cloudId }) => authorizeReminderSettings(user, cloudId),
    input: reminderSettingsSchema,
    revalidate: ({ cloudId }) => [`/clouds/${cloudId}`],
  },
  async ({ permit, input }) => {
    await permit.update(input);
  },
);
