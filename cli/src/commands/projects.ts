import type { Command } from "commander";
import { allPages, unwrap } from "../client";
import { context, note, positiveInt, withCommon, type CommonOptions } from "../context";
import { usage } from "../errors";

/** The console has no tenancy Domains yet and answers every Project with this one (docs/api/contract-differences.md). */
const THE_DOMAIN_ID = "00000000-0000-7000-8000-000000000001";
const RELATIONS = ["manage", "deploy"];

export function registerProjects(program: Command): void {
  const project = program.command("project").description("Projects, their members and the credentials they request");

  withCommon(project.command("list").description("Projects you observe")).action(async (options: CommonOptions) => {
    const ctx = context(options);
    await ctx.out(await unwrap(ctx.api.GET("/v1/projects")));
  });

  withCommon(project.command("get").description("one Project").argument("<project-id>")).action(
    async (id: string, options: CommonOptions) => {
      const ctx = context(options);
      await ctx.out(await unwrap(ctx.api.GET("/v1/projects/{id}", { params: { path: { id } } })));
    },
  );

  withCommon(
    project
      .command("create")
      .description("create a Project (platform admins)")
      .requiredOption("--name <name>")
      .requiredOption("--slug <slug>")
      .option("--domain-id <uuid>", "the Domain (this console has one)", THE_DOMAIN_ID)
      .option("--description <text>"),
  ).action(async (options: CommonOptions & { name: string; slug: string; domainId: string; description?: string }) => {
    const ctx = context(options);
    await ctx.out(
      await unwrap(
        ctx.api.POST("/v1/projects", {
          body: { domain_id: options.domainId, name: options.name, slug: options.slug, description: options.description },
        }),
      ),
    );
  });

  const member = project.command("member").description("who may request (deploy) and decide (manage) in a Project");

  withCommon(
    member
      .command("add")
      .description("give a user manage or deploy on a Project")
      .requiredOption("--project-id <uuid>")
      .requiredOption("--user-id <uuid>")
      .requiredOption("--relation <relation>", "manage or deploy"),
  ).action(async (options: CommonOptions & { projectId: string; userId: string; relation: string }) => {
    if (!RELATIONS.includes(options.relation)) throw usage("--relation must be manage or deploy");
    const ctx = context(options);
    const body = { subject: `user:${options.userId}`, relation: options.relation, resource: `project:${options.projectId}` };
    await ctx.out(await unwrap(ctx.api.POST("/v1/authz/relation-tuples", { params: { query: { project_id: options.projectId } }, body })));
  });

  withCommon(
    member.command("list").description("a Project's members as relation tuples, in grant order").requiredOption("--project-id <uuid>"),
  )
    .option("--limit <n>", "items per page (1–200)", positiveInt)
    .option("--all", "follow next_cursor through every page")
    .action(async (options: CommonOptions & { projectId: string; limit?: number; all?: boolean }) => {
      const ctx = context(options);
      const page = (cursor?: string) =>
        unwrap(
          ctx.api.GET("/v1/authz/relation-tuples", { params: { query: { project_id: options.projectId, limit: options.limit, cursor } } }),
        );
      await ctx.out(options.all ? await allPages(page) : await page());
    });

  withCommon(member.command("remove").description("remove a member tuple (its id from member list)").argument("<tuple-id>")).action(
    async (id: string, options: CommonOptions) => {
      const ctx = context(options);
      await unwrap(ctx.api.DELETE("/v1/authz/relation-tuples/{id}", { params: { path: { id } } }));
      note(`Removed member tuple ${id}.`);
    },
  );

  const assignment = program.command("assignment").description("credential assignments: a Project asks, somebody else decides");

  withCommon(
    assignment
      .command("request")
      .description("ask for a credential for a Project (by credential, or the newest usable one of a Cloud)")
      .requiredOption("--project-id <uuid>")
      .option("--credential-id <uuid>")
      .option("--cloud-id <uuid>"),
  ).action(async (options: CommonOptions & { projectId: string; credentialId?: string; cloudId?: string }) => {
    if (Boolean(options.credentialId) === Boolean(options.cloudId)) throw usage("pass exactly one of --credential-id and --cloud-id");
    const ctx = context(options);
    const body = options.credentialId ? { cloud_credential_id: options.credentialId } : { cloud_id: options.cloudId };
    await ctx.out(
      await unwrap(ctx.api.POST("/v1/projects/{id}/credential-assignments", { params: { path: { id: options.projectId } }, body })),
    );
  });

  withCommon(assignment.command("list").description("a Project's requests and assignments").requiredOption("--project-id <uuid>")).action(
    async (options: CommonOptions & { projectId: string }) => {
      const ctx = context(options);
      await ctx.out(await unwrap(ctx.api.GET("/v1/projects/{id}/credential-assignments", { params: { path: { id: options.projectId } } })));
    },
  );

  for (const [verb, description, fallback] of [
    ["approve", "approve a request (never your own)", "approved with plexctl"],
    ["reject", "reject a request", undefined],
    ["revoke", "revoke an approved assignment", undefined],
  ] as const) {
    const command = withCommon(assignment.command(verb).description(description).argument("<assignment-id>"));
    (fallback ? command.option("--reason <text>", "why", fallback) : command.requiredOption("--reason <text>", "why")).action(
      async (id: string, options: CommonOptions & { reason: string }) => {
        const ctx = context(options);
        await ctx.out(
          await unwrap(
            ctx.api.POST(`/v1/credential-assignments/{id}/${verb}`, { params: { path: { id } }, body: { reason: options.reason } }),
          ),
        );
      },
    );
  }
}
