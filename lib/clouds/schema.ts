import { z } from "zod";
import {
  KEY_VALUE_MAX,
  KEY_VALUE_ROWS_MAX,
  SLUG_MAX,
  SLUG_PATTERN,
  displayNameField,
  keyValueRowsSchema,
  textField,
} from "@/lib/validation";

export const CLOUD_PROVIDERS = ["aws", "azure", "gcp", "openstack", "s3-compatible"] as const;
export type CloudProviderName = (typeof CLOUD_PROVIDERS)[number];

export const PROVIDER_LABELS: Record<CloudProviderName, string> = {
  aws: "Amazon Web Services",
  azure: "Microsoft Azure",
  gcp: "Google Cloud",
  openstack: "OpenStack",
  "s3-compatible": "S3-compatible storage",
};

export const cloudSlugSchema = z
  .string()
  .trim()
  .min(1, "Enter a slug.")
  .max(SLUG_MAX, `Slugs are at most ${SLUG_MAX} characters.`)
  .regex(SLUG_PATTERN, "Use lowercase letters and digits, separated by single hyphens.");

// Cloud metadata lands in PostgreSQL as JSON, so it must be plain text.
const metadataRows = (noun: string) =>
  keyValueRowsSchema({ maxRows: KEY_VALUE_ROWS_MAX, maxValueLength: KEY_VALUE_MAX, noun, plainText: true });

/** The New Cloud form, validated identically in the browser and in the server action. */
export const createCloudFormSchema = z.object({
  display_name: displayNameField(),
  slug: cloudSlugSchema,
  provider: z.enum(CLOUD_PROVIDERS, { message: "Choose one of the supported providers." }),
  // Unique together with the provider, so it is bounded well inside PostgreSQL's index row limit.
  external_id: textField({ label: "the external id", max: 1024, required: "Enter the provider's account id." }),
  endpoint: metadataRows("endpoint entry"),
  region_defaults: metadataRows("region default"),
});

export type CreateCloudFormValues = z.input<typeof createCloudFormSchema>;
export type CreateCloudInput = z.output<typeof createCloudFormSchema>;

/** The Cloud page's "Share" form: a group if one is chosen, else a person by email. */
export const cloudGrantSchema = z.object({
  email: z.string().default(""),
  group: z.string().default(""),
  relation: z.enum(["manage", "observer"], { message: "Choose a role." }),
});
