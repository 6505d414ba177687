import { z } from "zod";
import { cloudSlugSchema } from "@/lib/clouds/schema";
import { displayNameField } from "@/lib/validation";

/** A new Project, as the console's form, its action and the service check it. */
export const createProjectSchema = z.object({
  name: displayNameField("a name"),
  slug: cloudSlugSchema,
});

/** The Project page's "Add member" form: a group if one is chosen, else a person by email. */
export const projectGrantSchema = z.object({
  email: z.string().default(""),
  group: z.string().default(""),
  relation: z.enum(["manage", "deploy"], { message: "Choose a role." }),
});
