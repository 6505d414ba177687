import type { Command } from "commander";
import { allPages, unwrap } from "../client";
import { context, note, positiveInt, withCommon, type CommonOptions } from "../context";
import { usage } from "../errors";
import { collect, pairsToMap, readKeyValues, readPayload } from "../secrets";
import { registerReminders } from "./reminders";

type ListOptions = CommonOptions & { limit?: number; all?: boolean };
type SecretOptions = { payloadFile?: string; keyValue: string[]; keyValuesFile?: string };

const listOptions = (command: Command) =>
  withCommon(command).option("--limit <n>", "items per page (1–200)", positiveInt).option("--all", "follow next_cursor through every page");

const secretOptions = (command: Command) =>
  command
    .option("--payload-file <path|->", "the secret payload, read from a file or - for stdin (never an argument)")
    .option("--key-value <key=value>", "a key-value stored with the payload (repeatable)", collect, [])
    .option("--key-values-file <path|->", "key-values as a JSON object of strings, from a file or stdin");

/**
 * The server stored the payload but says it does not look like the Cloud
 * provider's credentials (its words name field rules, never a value): one
 * line on stderr, so stdout stays the credential's metadata.
 */
function warnUnusualShape<R extends { response: Response }>(result: R): R {
  const warning = result.response.headers.get("plexsphere-shape-warning");
  if (warning)
    note(`warning: ${warning} If the shape is unusual on purpose, --allow-unusual-shape says so (a strict Cloud refuses without it).`);
  return result;
}

const onOff = (value: string): boolean => {
  if (value === "on" || value === "off") return value === "on";
  throw usage("--strict-payload-shape takes on or off");
};

export function registerClouds(program: Command): void {
  const cloud = program.command("cloud").description("Clouds: the provider accounts credentials pay for");

  listOptions(cloud.command("list").description("Clouds you observe, by slug")).action(async (options: ListOptions) => {
    const ctx = context(options);
    const page = (cursor?: string) => unwrap(ctx.api.GET("/v1/clouds", { params: { query: { limit: options.limit, cursor } } }));
    await ctx.out(options.all ? await allPages(page) : await page());
  });

  withCommon(cloud.command("get").description("one Cloud").argument("<cloud-id>")).action(async (id: string, options: CommonOptions) => {
    const ctx = context(options);
    await ctx.out(await unwrap(ctx.api.GET("/v1/clouds/{id}", { params: { path: { id } } })));
  });

  withCommon(
    cloud
      .command("create")
      .description("create a Cloud (platform admins); you manage it from then on")
      .requiredOption("--display-name <name>")
      .requiredOption("--slug <slug>")
      .requiredOption("--provider <provider>", "aws, azure, gcp, openstack or s3-compatible")
      .requiredOption("--external-id <id>", "the provider's account id")
      .option("--endpoint <key=value>", "endpoint metadata (repeatable)", collect)
      .option("--region-default <key=value>", "region defaults (repeatable)", collect),
  ).action(
    async (
      options: CommonOptions & {
        displayName: string;
        slug: string;
        provider: string;
        externalId: string;
        endpoint?: string[];
        regionDefault?: string[];
      },
    ) => {
      const ctx = context(options);
      const body = {
        display_name: options.displayName,
        slug: options.slug,
        provider: options.provider,
        external_id: options.externalId,
        endpoint: pairsToMap(options.endpoint, "--endpoint") ?? {},
        region_defaults: pairsToMap(options.regionDefault, "--region-default") ?? {},
      };
      await ctx.out(await unwrap(ctx.api.POST("/v1/clouds", { body })));
    },
  );

  withCommon(
    cloud
      .command("update")
      .description("rename, or replace endpoint / region defaults (slug and provider are fixed)")
      .argument("<cloud-id>")
      .option("--display-name <name>")
      .option("--endpoint <key=value>", "replaces the endpoint map (repeatable)", collect)
      .option("--region-default <key=value>", "replaces the region defaults (repeatable)", collect)
      .option(
        "--strict-payload-shape <on|off>",
        "on: issue and rotate refuse a payload without the provider's shape unless --allow-unusual-shape (off: they warn)",
        onOff,
      ),
  ).action(
    async (
      id: string,
      options: CommonOptions & { displayName?: string; endpoint?: string[]; regionDefault?: string[]; strictPayloadShape?: boolean },
    ) => {
      const body = {
        display_name: options.displayName,
        endpoint: pairsToMap(options.endpoint, "--endpoint"),
        region_defaults: pairsToMap(options.regionDefault, "--region-default"),
        strict_payload_shape: options.strictPayloadShape,
      };
      if (Object.values(body).every((v) => v === undefined))
        throw usage("nothing to update: pass --display-name, --endpoint, --region-default or --strict-payload-shape");
      const ctx = context(options);
      await ctx.out(await unwrap(ctx.api.PATCH("/v1/clouds/{id}", { params: { path: { id } }, body })));
    },
  );

  withCommon(cloud.command("delete").description("delete a Cloud that owns no credentials").argument("<cloud-id>")).action(
    async (id: string, options: CommonOptions) => {
      const ctx = context(options);
      await unwrap(ctx.api.DELETE("/v1/clouds/{id}", { params: { path: { id } } }));
      note(`Deleted Cloud ${id}.`);
    },
  );

  registerReminders(cloud);

  const credential = cloud.command("credential").description("Cloud Credentials: write-only secrets; reads return metadata only");

  secretOptions(
    withCommon(
      credential
        .command("create")
        .description("issue a credential under a Cloud (cloud#manage); prints its metadata")
        .requiredOption("--cloud-id <uuid>")
        .requiredOption("--display-name <name>")
        .option(
          "--allow-unusual-shape",
          "say the payload's unusual shape is on purpose: written without a warning, even on a strict Cloud (audited)",
        ),
    ),
  ).action(async (options: CommonOptions & SecretOptions & { cloudId: string; displayName: string; allowUnusualShape?: boolean }) => {
    if (!options.payloadFile) throw usage("--payload-file PATH|- is required: the payload is read from a file or stdin, never an argument");
    const ctx = context(options);
    const body = {
      display_name: options.displayName,
      payload: readPayload(options.payloadFile),
      key_values: readKeyValues(options.keyValue, options.keyValuesFile),
      ...(options.allowUnusualShape ? { allow_unusual_shape: true } : {}),
    };
    await ctx.out(
      await unwrap(
        ctx.api.POST("/v1/clouds/{id}/cloud-credentials", { params: { path: { id: options.cloudId } }, body }).then(warnUnusualShape),
      ),
    );
  });

  withCommon(credential.command("get").description("one credential's metadata").argument("<credential-id>")).action(
    async (id: string, options: CommonOptions) => {
      const ctx = context(options);
      await ctx.out(await unwrap(ctx.api.GET("/v1/cloud-credentials/{id}", { params: { path: { id } } })));
    },
  );

  listOptions(credential.command("list").description("a Cloud's credentials, oldest first").requiredOption("--cloud-id <uuid>")).action(
    async (options: ListOptions & { cloudId: string }) => {
      const ctx = context(options);
      const page = (cursor?: string) =>
        unwrap(
          ctx.api.GET("/v1/clouds/{id}/cloud-credentials", {
            params: { path: { id: options.cloudId }, query: { limit: options.limit, cursor } },
          }),
        );
      await ctx.out(options.all ? await allPages(page) : await page());
    },
  );

  withCommon(
    credential.command("revoke").description("revoke at once (idempotent)").argument("<credential-id>").requiredOption("--reason <text>"),
  ).action(async (id: string, options: CommonOptions & { reason: string }) => {
    const ctx = context(options);
    await ctx.out(
      await unwrap(ctx.api.POST("/v1/cloud-credentials/{id}/revoke", { params: { path: { id } }, body: { reason: options.reason } })),
    );
  });

  secretOptions(
    withCommon(
      credential
        .command("rotate")
        .description("new material as the next version; the id stays")
        .argument("<credential-id>")
        .option("--expected-version <n>", "the version you are replacing (default: the current one, read first)", positiveInt)
        .option("--expires-at <time>", "renew: a new expiry, at most a year from now, RFC 3339, e.g. 2027-01-31T00:00:00Z")
        .option(
          "--allow-unusual-shape",
          "say the payload's unusual shape is on purpose: written without a warning, even on a strict Cloud (audited)",
        ),
    ),
  ).action(
    async (
      id: string,
      options: CommonOptions & SecretOptions & { expectedVersion?: number; expiresAt?: string; allowUnusualShape?: boolean },
    ) => {
      if (!options.payloadFile)
        throw usage("--payload-file PATH|- is required: the payload is read from a file or stdin, never an argument");
      const ctx = context(options);
      const payload = readPayload(options.payloadFile);
      const keyValues = readKeyValues(options.keyValue, options.keyValuesFile);
      const expected =
        options.expectedVersion ?? (await unwrap(ctx.api.GET("/v1/cloud-credentials/{id}", { params: { path: { id } } }))).version;
      await ctx.out(
        await unwrap(
          ctx.api
            .POST("/v1/cloud-credentials/{id}/rotate", {
              params: { path: { id } },
              body: {
                expected_version: expected,
                payload,
                key_values: keyValues,
                ...(options.expiresAt ? { expires_at: options.expiresAt } : {}),
                ...(options.allowUnusualShape ? { allow_unusual_shape: true } : {}),
              },
            })
            .then(warnUnusualShape),
        ),
      );
    },
  );

  withCommon(
    credential
      .command("update")
      .description("rename, or move the expiry (closer, or later up to a year from now: renew); the secret is not touched")
      .argument("<credential-id>")
      .option("--display-name <name>")
      .option("--expires-at <time>", "RFC 3339, e.g. 2027-01-31T00:00:00Z"),
  ).action(async (id: string, options: CommonOptions & { displayName?: string; expiresAt?: string }) => {
    if (options.displayName === undefined && options.expiresAt === undefined)
      throw usage("nothing to update: pass --display-name or --expires-at");
    const ctx = context(options);
    await ctx.out(
      await unwrap(
        ctx.api.PATCH("/v1/cloud-credentials/{id}", {
          params: { path: { id } },
          body: { display_name: options.displayName, expires_at: options.expiresAt },
        }),
      ),
    );
  });

  withCommon(
    credential
      .command("validate")
      .description("check the stored material's presence and shape (never its values)")
      .argument("<credential-id>"),
  ).action(async (id: string, options: CommonOptions) => {
    const ctx = context(options);
    await ctx.out(await unwrap(ctx.api.POST("/v1/cloud-credentials/{id}/validate", { params: { path: { id } } })));
  });
}
