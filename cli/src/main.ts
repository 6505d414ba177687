import { Command, CommanderError } from "commander";
import { registerAdmin } from "./commands/admin";
import { registerAuth } from "./commands/auth";
import { registerClouds } from "./commands/clouds";
import { registerProjects } from "./commands/projects";
import { CliError, EXIT } from "./errors";

/**
 * plexctl: the plexsphere console's /v1 API from a terminal. It talks HTTP
 * only, through a client typed from the server's own /v1/openapi.json
 * (cli/generated/api.d.ts), and shares no code with the server.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command("plexctl")
    .description("plexsphere from the command line: Clouds, Cloud Credentials, Projects, assignments, tokens, audit")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerAuth(program);
  registerClouds(program);
  registerProjects(program);
  registerAdmin(program);
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message; help and version are not failures.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      process.stderr.write(`plexctl: ${error.message}\n`);
      return error.exitCode;
    }
    // Unexpected: the kind of failure, never its message (it could quote input).
    process.stderr.write(`plexctl: unexpected ${error instanceof Error ? error.name : "failure"}; run with --debug to see the requests\n`);
    return EXIT.unexpected;
  }
}
