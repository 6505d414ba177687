import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { reminderSettingsToWire } from "@/lib/api/wire";
import { authorize } from "@/lib/authz/service";
import { reminderSettingsFromRequest, reminderSettingsRequestSchema } from "@/lib/reminders/schema";
import { getReminderSettings, updateReminderSettings } from "@/lib/reminders/settings";

const params = { id: "invalid_cloud_id" } as const;

/** A Cloud's expiry reminders: the console's Reminders form over /v1, managers only (the webhook URL may name an internal endpoint). */
export const GET = route({
  params,
  authorize: signedIn,
  handle: async ({ permit, ids }) => json(reminderSettingsToWire(await getReminderSettings(permit, ids.id))),
});

/** Authorized before the body: its signing secret is read only for a manager. */
export const PUT = route({
  params,
  authorize: async (caller, { id }) => {
    await authorize(caller.user, "manage", { cloud: id });
    return caller.user;
  },
  body: reminderSettingsRequestSchema,
  handle: async ({ permit, ids, body }) =>
    json(reminderSettingsToWire(await updateReminderSettings(permit, ids.id, reminderSettingsFromRequest(body)))),
});

export const { POST, PATCH, DELETE } = methodsNotAllowed(["GET", "PUT"]);
