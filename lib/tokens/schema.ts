import { z } from "zod";
import { INVISIBLE_MESSAGE, nameField, stripInvisible } from "@/lib/names";
import { TOKEN_ENVS } from "./constants";

/**
 * An API token's rules, written once: the console's form, its server
 * action, the /v1 route and the service all use these.
 */
export const TOKEN_NAME_MAX = 80;

// The one rule for names (lib/names.ts), in the token form's words.
export const tokenNameSchema = nameField({
  label: "the token's name",
  max: TOKEN_NAME_MAX,
  required: "Name the token.",
  invalid: INVISIBLE_MESSAGE,
});

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
  const cleaned = Array.from(stripInvisible(clientLabel))
    .slice(0, TOKEN_NAME_MAX - suffix.length)
    .join("");
  return cleaned ? `${cleaned}${suffix}` : "Device login";
}
