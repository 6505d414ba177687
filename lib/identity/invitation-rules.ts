import { z } from "zod";
import { emailField, nameField } from "@/lib/names";
import { DISPLAY_NAME_MAX } from "@/lib/validation";

/**
 * Invitation and password rules, written once for the forms, the server
 * actions, the /v1 routes and the services (no server-only imports here).
 */
export const INVITATION_TTL = { min: 60, max: 7 * 86_400, default: 86_400 } as const;
export const MAX_INITIAL_TUPLES = 32;
/** How long the admin command's set-password link lives. */
export const PASSWORD_SETUP_TTL_SECONDS = 24 * 3_600;

export interface InitialTuple {
  relation: string;
  /** `cloud:<id>`, `project:<id>`, `group:<id>` or `platform:plexsphere` (the contract's `domain:<id>` means the platform). */
  object: string;
}

/** A person's display name as they type it (an invitation, the admin command). */
export const PERSON_NAME_MAX = DISPLAY_NAME_MAX;
export const personNameSchema = nameField({ label: "your name", max: PERSON_NAME_MAX, required: "Enter your name." });

/** An invited or new account's email, as typed. */
export const accountEmailSchema = emailField();

export const PASSWORD_MAX = 1024;
export const passwordSchema = z
  .string()
  .min(12, "Use at least 12 characters.")
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

export const acceptInvitationSchema = z.object({
  displayName: personNameSchema,
  password: passwordSchema,
});

export const setPasswordSchema = z.object({ password: passwordSchema });
