import { z } from "zod";
import { nameField } from "@/lib/names";

/**
 * A group's rules, written once for the console's form and action, the /v1 wire schemas
 * (lib/api/identity-schemas.ts) and the service (./group-admin.ts). No server-only imports.
 */
export const GROUP_SLUG_MAX = 64;
export const GROUP_SLUG = new RegExp(`^[a-z0-9]([a-z0-9-]{0,${GROUP_SLUG_MAX - 2}}[a-z0-9])?$`);
export const GROUP_NAME_MAX = 128;
export const GROUP_CLAIM_VALUE_MAX = 512;

export const groupNameSchema = nameField({ label: "a group's name", max: GROUP_NAME_MAX, required: "Give the group a name." });

export const createGroupSchema = z
  .object({
    slug: z.string().regex(GROUP_SLUG, `Use lowercase letters, digits and inner dashes (at most ${GROUP_SLUG_MAX}).`),
    displayName: groupNameSchema,
    source: z.enum(["manual", "idp"]),
    idpBindingId: z.string().uuid().optional(),
    idpClaimValue: z.string().min(1).max(GROUP_CLAIM_VALUE_MAX).optional(),
  })
  .superRefine((g, ctx) => {
    if (g.source === "idp" && (!g.idpBindingId || !g.idpClaimValue)) {
      ctx.addIssue({ code: "custom", path: ["idpClaimValue"], message: "An IdP group needs a binding and a claim value." });
    }
    if (g.source === "manual" && (g.idpBindingId !== undefined || g.idpClaimValue !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["source"], message: "A local group has no binding or claim value." });
    }
  });
