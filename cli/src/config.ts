import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { usage } from "./errors";

/**
 * Profiles: a server URL and the API token `plexctl login` obtained for it.
 * Kept in $XDG_CONFIG_HOME/plexctl/config.json at mode 0600. Nothing else is
 * ever written here: no credential payload, no key-value.
 */
export interface Profile {
  server?: string;
  token?: string;
}

export interface Config {
  current?: string;
  profiles: Record<string, Profile>;
}

export function configPath(): string {
  const base = process.env.XDG_CONFIG_HOME || path.join(homedir(), ".config");
  return path.join(base, "plexctl", "config.json");
}

export function readConfig(): Config {
  try {
    const parsed = JSON.parse(readFileSync(configPath(), "utf8")) as Partial<Config>;
    return { current: parsed.current, profiles: parsed.profiles ?? {} };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { profiles: {} };
    throw usage(`cannot read ${configPath()}: it is not valid JSON`);
  }
}

export function writeConfig(config: Config): void {
  const file = configPath();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written beside and renamed over, so a crash never leaves half a file; chmod in case umask widened it.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

export interface Connection {
  profileName: string;
  server: string;
  token?: string;
}

/**
 * Where a command talks to and as whom. Precedence: --server, then
 * PLEXSPHERE_URL, then the profile's server; PLEXCTL_TOKEN, then the
 * profile's token. The profile is --profile, else the current one, else "default".
 */
export function connection(options: { server?: string; profile?: string }): Connection {
  const config = readConfig();
  const profileName = options.profile ?? config.current ?? "default";
  if (options.profile && !config.profiles[options.profile] && !process.env.PLEXSPHERE_URL && !options.server) {
    throw usage(`no profile named "${options.profile}"; run plexctl login --profile-name ${options.profile}`);
  }
  const profile = config.profiles[profileName] ?? {};
  const server = options.server ?? process.env.PLEXSPHERE_URL ?? profile.server;
  if (!server) throw usage("no server: pass --server URL, set PLEXSPHERE_URL, or run plexctl login");
  return { profileName, server: server.replace(/\/+$/, ""), token: process.env.PLEXCTL_TOKEN || profile.token };
}
