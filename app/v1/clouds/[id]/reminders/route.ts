import { json, methodsNotAllowed, route } from "@/lib/api/route";
import { reminderSettingsToWire } from "@/lib/api/wire";
import { reminderSettingsFromRequest, reminderSettingsRequestSchema } from "@/lib/reminders/schema";
import { authorizeReminderSettings } from "@/lib/reminders/settings";

const params = { id: "invalid_cloud_id" } as const;

/** A Cloud's expiry reminders: the console's Reminders form over /v1, managers only (the webhook URL may name an internal endpoint). */
export const GET = route({
  params,
  authorize: (caller, { id }) => authorizeReminderSettings(caller.user, id),
  handle: async ({ permit }) => json(reminderSettingsToWire(await permit.read())),
});

/** Authorized before the body: its signing secret is read only for a manager. */
export const PUT = route({
  params,
  authorize: (caller, { id }) => authorizeReminderSettings(caller.user, id),
  body: reminderSettingsRequestSchema,
  handle: async ({ permit, body }) => json(reminderSettingsToWire(await permit.update(reminderSettingsFromRequest(body)))),
});

export const { POST, PATCH, DELETE } = methodsNotAllowed(["GET", "PUT"]);
