/**
 * `npm run admin -- <command>`: operator commands that need no signed-in
 * console, run with the server's own configuration (DATABASE_URL, or the
 * embedded database under DATA_DIR: lib/db/console-database.ts).
 *
 *   npm run admin -- create-user --email ada@example.com --name "Ada" --platform-admin
 *
 * create-user makes a local account without a password and prints a
 * one-time link (valid 24 hours) where its owner sets one. The link is
 * printed once, to stdout; it is never stored (only its digest is).
 */
import { Command } from "commander";
import { withConsoleDatabase } from "@/lib/db/console-database";
import { ConfigError, env } from "@/lib/env";
import { isDomainError } from "@/lib/errors";
import { createLocalUser } from "@/lib/identity/password-setup";

const program = new Command("admin").description("plexsphere console operator commands").exitOverride();

program
  .command("create-user")
  .description("Create a local account and print a one-time link to set its password")
  .requiredOption("--email <email>", "the person's email (their sign-in name)")
  .option("--name <name>", "their display name (default: the email's local part)")
  .option("--platform-admin", "grant platform#manage (the first administrator)", false)
  .action(async (options: { email: string; name?: string; platformAdmin: boolean }) => {
    const { userId, token } = await withConsoleDatabase(() =>
      createLocalUser({ email: options.email, displayName: options.name, platformAdmin: options.platformAdmin }),
    );
    const base = (env().publicUrl ?? "http://localhost:3000").replace(/\/+$/, "");
    process.stdout.write(
      `Created ${options.platformAdmin ? "platform administrator" : "user"} ${options.email.trim().toLowerCase()} (${userId}).\n`,
    );
    process.stdout.write(`Set the password within 24 hours, once, at:\n${base}/set-password/${token}\n`);
  });

program.parseAsync(process.argv).then(
  () => process.exit(0),
  (error: unknown) => {
    if ((error as { code?: string })?.code?.startsWith?.("commander.")) process.exit((error as { exitCode?: number }).exitCode ?? 1);
    // Expected errors carry fixed messages; anything else is named only (a message could carry a connection string).
    const detail =
      error instanceof ConfigError || isDomainError(error) ? error.message : error instanceof Error ? error.name : "unknown error";
    process.stderr.write(`admin: ${detail}\n`);
    process.exit(1);
  },
);
