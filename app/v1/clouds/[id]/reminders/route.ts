import { readJsonBody } from "@/lib/api/body";
import { checkBody, pathId } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { reminderSettingsToWire } from "@/lib/api/wire";
import { authorize } from "@/lib/authz/service";
import { reminderSettingsFromRequest, reminderSettingsRequestSchema } from "@/lib/reminders/schema";
import { getReminderSettings, updateReminderSettings } from "@/lib/reminders/settings";

type Params = { id: string };

/** A Cloud's expiry reminders: the console's Reminders form over /v1, managers only (the webhook URL may name an internal endpoint). */
export const GET = apiRoute<Params>(async ({ caller, params }) => {
  return json(reminderSettingsToWire(await getReminderSettings(caller.user, pathId(params.id, "invalid_cloud_id"))));
});

export const PUT = apiRoute<Params>(async ({ request, caller, params }) => {
  const id = pathId(params.id, "invalid_cloud_id");
  // Authorize before the body: its signing secret is read only for a manager.
  await authorize(caller.user, "manage", { cloud: id });
  const body = checkBody(await readJsonBody(request), reminderSettingsRequestSchema);
  return json(reminderSettingsToWire(await updateReminderSettings(caller.user, id, reminderSettingsFromRequest(body))));
});

export const { POST, PATCH, DELETE } = methodsNotAllowed(["GET", "PUT"]);
