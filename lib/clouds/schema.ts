import { z } from "zod";
import { keyValueRowsSchema } from "@/lib/validation";

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
  .max(63, "Slugs are at most 63 characters.")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lowercase letters and digits, separated by single hyphens.");

const metadataRows = (noun: string) => keyValueRowsSchema({ maxRows: 32, maxValueLength: 1024, noun });

/** The New Cloud form, validated identically in the browser and in the server action. */
export const createCloudFormSchema = z.object({
  display_name: z.string().trim().min(1, "Enter a display name.").max(256, "Display names are at most 256 characters."),
  slug: cloudSlugSchema,
  provider: z.enum(CLOUD_PROVIDERS, { message: "Choose one of the supported providers." }),
  external_id: z
    .string()
    .trim()
    .min(1, "Enter the provider's account id.")
    .max(4096, "External ids are at most 4096 characters."),
  endpoint: metadataRows("endpoint entry"),
  region_defaults: metadataRows("region default"),
});

export type CreateCloudFormValues = z.input<typeof createCloudFormSchema>;
export type CreateCloudInput = z.output<typeof createCloudFormSchema>;
