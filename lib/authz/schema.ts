/**
 * The permission schema, in one place. Relations are what is stored (as
 * tuples `object#relation@subject`); permissions are what callers ask for,
 * each computed from relations on the object itself or on the platform.
 *
 *   platform#manage  = manage                      (seeded for platform admins)
 *   cloud#manage     = manage                      (granted to a Cloud's creator)
 *   cloud#observe    = manage | observer | platform#manage
 *   project#manage   = manage | platform#manage    (project owners decide assignments)
 *   project#deploy   = deploy | manage             (members request credentials)
 *   project#observe  = deploy | manage | platform#manage
 */
export const PLATFORM_ID = "plexsphere";

export const permissionSchema = {
  platform: {
    relations: ["manage"],
    permissions: {
      manage: { relations: ["manage"], platform: [] },
    },
  },
  cloud: {
    relations: ["manage", "observer"],
    permissions: {
      manage: { relations: ["manage"], platform: [] },
      observe: { relations: ["manage", "observer"], platform: ["manage"] },
    },
  },
  project: {
    relations: ["manage", "deploy"],
    permissions: {
      manage: { relations: ["manage"], platform: ["manage"] },
      deploy: { relations: ["deploy", "manage"], platform: [] },
      observe: { relations: ["deploy", "manage"], platform: ["manage"] },
    },
  },
} as const satisfies Record<
  string,
  {
    relations: readonly string[];
    permissions: Record<string, { relations: readonly string[]; platform: readonly "manage"[] }>;
  }
>;

export type ObjectType = keyof typeof permissionSchema;
export type Relation<T extends ObjectType> = (typeof permissionSchema)[T]["relations"][number];
export type Permission<T extends ObjectType> = keyof (typeof permissionSchema)[T]["permissions"] & string;

/** A resource named the way call sites read: `{ cloud: id }`, `{ platform: PLATFORM_ID }`. */
export type Resource = { [T in ObjectType]: { [K in T]: string } }[ObjectType];

export type PermissionFor<R extends Resource> = R extends { cloud: string }
  ? Permission<"cloud">
  : R extends { project: string }
    ? Permission<"project">
    : R extends { platform: string }
      ? Permission<"platform">
      : never;

export function resourceRef(resource: Resource): { type: ObjectType; id: string } {
  const [type, id] = Object.entries(resource)[0] as [ObjectType, string];
  return { type, id };
}
