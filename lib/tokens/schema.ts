import { z } from "zod";
import { TOKEN_ENVS } from "./constants";

/**
 * An API token's rules, written once: the console's form, its server
 * action, the /v1 route and the service all use these.
 */
export const TOKEN_NAME_MAX = 80;

// C0/C1 controls and the bidirectional/zero-width ones that make a name read other than it is.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

export const tokenNameSchema = z
  .string({ message: "Name the token." })
  .trim()
  .min(1, "Name the token.")
  .max(TOKEN_NAME_MAX, `At most ${TOKEN_NAME_MAX} characters.`)
  .refine((name) => !CONTROLS.test(name), "Use printable characters only.");

/** The console's "New token" form. */
export const createTokenSchema = z.object({
  name: tokenNameSchema,
  env_prefix: z.enum(TOKEN_ENVS, { message: "Choose an environment." }),
  ttl_days: z.coerce.number().int().min(1, "At least one day.").max(365, "At most a year."),
});

/** What a token minted without a name (an older /v1 client) is called. */
export const DEFAULT_TOKEN_NAME = "API token";

/** A device-login token's name, from what the CLI said about itself ("plexctl · plexctl (linux) · device login"), cut to fit. */
export function deviceTokenName(clientLabel: string): string {
  const suffix = " · device login";
  const cleaned = Array.from(clientLabel.replace(new RegExp(CONTROLS.source, "g"), "").trim()).slice(0, TOKEN_NAME_MAX - suffix.length).join("");
  return cleaned ? `${cleaned}${suffix}` : "Device login";
}
