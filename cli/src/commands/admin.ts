import type { Command } from "commander";
import { allPages, unwrap } from "../client";
import { context, note, positiveInt, withCommon, type CommonOptions } from "../context";
import { usage } from "../errors";

const TOKEN_ENVS = ["dev", "stage", "prod"];

export function registerAdmin(program: Command): void {
  const token = program.command("token").description("your API tokens; a plaintext is shown once, when created or rotated");

  withCommon(token.command("list").description("your live tokens (never a plaintext)")).action(async (options: CommonOptions) => {
    const ctx = context(options);
    await ctx.out({ items: await unwrap(ctx.api.GET("/v1/auth/tokens")) });
  });

  withCommon(
    token
      .command("create")
      .description("mint a token for yourself; its plaintext is printed once")
      .option("--env <env>", "dev, stage or prod", "dev")
      .option("--ttl-seconds <n>", "lifetime (default 30 days, at most a year)", positiveInt),
  ).action(async (options: CommonOptions & { env: string; ttlSeconds?: number }) => {
    if (!TOKEN_ENVS.includes(options.env)) throw usage("--env must be dev, stage or prod");
    const ctx = context(options);
    const me = await unwrap(ctx.api.GET("/v1/auth/whoami"));
    const body = { identity_ref: `user:${me.subject}`, env_prefix: options.env as "dev", ttl_seconds: options.ttlSeconds };
    await ctx.out(await unwrap(ctx.api.POST("/v1/auth/tokens", { body })));
  });

  withCommon(
    token
      .command("rotate")
      .description("a new plaintext for the same token; the old one works until rotation_deadline")
      .argument("<token-id>"),
  ).action(async (id: string, options: CommonOptions) => {
    const ctx = context(options);
    await ctx.out(await unwrap(ctx.api.POST("/v1/auth/tokens/{id}/rotate", { params: { path: { id } } })));
  });

  withCommon(token.command("revoke").description("revoke a token at once").argument("<token-id>")).action(
    async (id: string, options: CommonOptions) => {
      const ctx = context(options);
      await unwrap(ctx.api.DELETE("/v1/auth/tokens/{id}", { params: { path: { id } } }));
      note(`Revoked token ${id}.`);
    },
  );

  const audit = program.command("audit").description("the audit trail (platform admins)");
  withCommon(
    audit
      .command("list")
      .description("entries, newest first")
      .option("--cloud-id <uuid>")
      .option("--actor-id <uuid>")
      .option("--action <action>", "e.g. credential.issue")
      .option("--since <time>", "RFC 3339 time or date")
      .option("--until <time>", "RFC 3339 time or date")
      .option("--limit <n>", "items per page (1–200)", positiveInt)
      .option("--all", "follow next_cursor through every page"),
  ).action(
    async (
      options: CommonOptions & {
        cloudId?: string;
        actorId?: string;
        action?: string;
        since?: string;
        until?: string;
        limit?: number;
        all?: boolean;
      },
    ) => {
      const ctx = context(options);
      const query = {
        cloud_id: options.cloudId,
        actor_id: options.actorId,
        action: options.action,
        since: options.since,
        until: options.until,
        limit: options.limit,
      };
      const page = (cursor?: string) => unwrap(ctx.api.GET("/v1/audit/entries", { params: { query: { ...query, cursor } } }));
      await ctx.out(options.all ? await allPages(page) : await page());
    },
  );
}
