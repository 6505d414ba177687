import { InvalidArgumentError, type Command } from "commander";
import { apiClient, type Api } from "./client";
import { connection, type Connection } from "./config";
import { CliError, EXIT } from "./errors";
import { outputFormat, print, type OutputFormat } from "./output";

/** Options every command that talks to a server takes, wherever they appear on the line. */
export interface CommonOptions {
  server?: string;
  profile?: string;
  output?: string;
  debug?: boolean;
}

export function withCommon(command: Command): Command {
  return command
    .option("--server <url>", "the console's URL (else PLEXSPHERE_URL, else the profile's)")
    .option("--profile <name>", "the profile to use (else the current one)")
    .option("-o, --output <format>", "table, json or yaml (default: table on a terminal, json when piped)")
    .option("--debug", "print each request's method, URL and status on stderr (never secret-bearing bodies)");
}

export interface Context {
  api: Api;
  format: OutputFormat;
  connection: Connection;
  out: (value: unknown) => Promise<void>;
}

export function context(options: CommonOptions, { needsToken = true } = {}): Context {
  const format = outputFormat(options.output);
  const conn = connection(options);
  if (needsToken && !conn.token)
    throw new CliError(`not signed in to profile "${conn.profileName}": run plexctl login, or set PLEXCTL_TOKEN`, EXIT.auth);
  return {
    api: apiClient(conn.server, conn.token, Boolean(options.debug)),
    format,
    connection: conn,
    out: (value) => print(value, format),
  };
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive whole number");
  return n;
}

/** A note for the person, on stderr so stdout stays parseable. */
export const note = (message: string) => process.stderr.write(`${message}\n`);
