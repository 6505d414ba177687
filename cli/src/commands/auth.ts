import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { apiClient, unwrap } from "../client";
import { readConfig, writeConfig } from "../config";
import { CliError, EXIT, usage } from "../errors";
import { outputFormat, print } from "../output";
import { context, note, withCommon, type CommonOptions } from "../context";

const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** Opens the verification page when someone is at a graphical session; failing quietly is fine, the URL is printed. */
function openBrowser(url: string): void {
  const command =
    process.platform === "darwin"
      ? "open"
      : process.platform === "win32"
        ? "explorer"
        : process.env.DISPLAY || process.env.WAYLAND_DISPLAY
          ? "xdg-open"
          : undefined;
  if (!command || !process.stderr.isTTY) return;
  try {
    const child = spawn(command, [url], { stdio: "ignore", detached: true });
    child.on("error", () => {});
    child.unref();
  } catch {
    // no browser here
  }
}

/** RFC 8628 §3.4–3.5 from the client's side: wait the interval, poll, and back off on slow_down. */
async function deviceLogin(
  server: string,
  options: { domainId?: string; idpBindingId?: string; browser: boolean; debug: boolean },
): Promise<string> {
  const api = apiClient(server, undefined, options.debug);
  const started = await unwrap(
    api.POST("/v1/auth/device-code", { body: { client_id: "plexctl", domain_id: options.domainId, idp_binding_id: options.idpBindingId } }),
  );
  note(`To sign in, open ${started.verification_uri} and enter the code ${started.user_code}`);
  note(`(or open ${started.verification_uri_complete})`);
  if (options.browser) openBrowser(started.verification_uri_complete);
  note("Waiting for approval…");
  let interval = started.interval;
  const deadline = Date.now() + started.expires_in * 1000;
  while (Date.now() < deadline) {
    await sleep(interval);
    const { data, error, response } = await api.POST("/v1/auth/device-token", {
      body: { device_code: started.device_code, client_id: "plexctl" },
    });
    if (data) return data.access_token;
    const code = (error as { code?: string } | undefined)?.code;
    if (code === "authorization_pending") continue;
    if (code === "slow_down") {
      const asked = (error as { interval?: unknown }).interval;
      interval = typeof asked === "number" && asked > interval ? asked : interval + 5;
      continue;
    }
    if (code === "access_denied") throw new CliError("the login was denied in the console", EXIT.auth);
    if (code === "expired_token") break;
    throw new CliError(
      `login failed: HTTP ${response.status}${code ? ` (${code})` : ""}`,
      response.status >= 500 ? EXIT.server : EXIT.auth,
    );
  }
  throw new CliError("the code expired before anyone approved it; run plexctl login again", EXIT.auth);
}

export function registerAuth(program: Command): void {
  withCommon(
    program
      .command("login")
      .description("sign in through the console (device flow) and store the token in a profile")
      .option("--profile-name <name>", 'the profile to store the token in (default: the current profile, else "default")')
      .option("--domain-id <uuid>", "the Domain to sign in to (accepted; this console has one)")
      .option("--idp-binding-id <uuid>", "the IdP binding to sign in with (accepted; this console has one)")
      .option("--token-stdin", "read an API token from stdin instead of the device flow (for automation)")
      .option("--no-browser", "do not try to open a browser"),
  ).action(
    async (
      options: CommonOptions & { profileName?: string; domainId?: string; idpBindingId?: string; tokenStdin?: boolean; browser: boolean },
    ) => {
      const format = outputFormat(options.output);
      const config = readConfig();
      const name = options.profileName ?? options.profile ?? config.current ?? "default";
      const server = (options.server ?? process.env.PLEXSPHERE_URL ?? config.profiles[name]?.server)?.replace(/\/+$/, "");
      if (!server) throw usage("no server: pass --server URL or set PLEXSPHERE_URL");
      const token = options.tokenStdin
        ? readFileSync(0, "utf8").trim()
        : await deviceLogin(server, {
            domainId: options.domainId,
            idpBindingId: options.idpBindingId,
            browser: options.browser,
            debug: Boolean(options.debug),
          });
      if (!token) throw usage("--token-stdin: stdin was empty");
      // Proves the token before it is stored.
      const whoami = await unwrap(apiClient(server, token, Boolean(options.debug)).GET("/v1/auth/whoami"));
      config.profiles[name] = { ...config.profiles[name], server, token };
      config.current = name;
      writeConfig(config);
      note(`Signed in to ${server} as ${whoami.email ?? whoami.subject} (profile "${name}").`);
      if (options.output) await print({ profile: name, server, subject: whoami.subject, email: whoami.email }, format);
    },
  );

  program
    .command("logout")
    .description("forget the profile's token (revoke it in the console or with plexctl token revoke)")
    .option("--profile <name>", "the profile to sign out of (else the current one)")
    .action((options: { profile?: string }) => {
      const config = readConfig();
      const name = options.profile ?? config.current ?? "default";
      if (!config.profiles[name]) throw usage(`no profile named "${name}"`);
      delete config.profiles[name].token;
      writeConfig(config);
      note(`Signed out of profile "${name}".`);
    });

  withCommon(program.command("whoami").description("who the current token acts as")).action(async (options: CommonOptions) => {
    const ctx = context(options);
    await ctx.out(await unwrap(ctx.api.GET("/v1/auth/whoami")));
  });

  const profile = program.command("profile").description("profiles in $XDG_CONFIG_HOME/plexctl/config.json");
  profile
    .command("list")
    .description("every profile, its server and whether it holds a token (never the token)")
    .option("-o, --output <format>", "table, json or yaml")
    .action(async (options: { output?: string }) => {
      const config = readConfig();
      const rows = Object.entries(config.profiles).map(([name, p]) => ({
        name,
        server: p.server ?? "",
        current: name === config.current,
        signed_in: Boolean(p.token),
      }));
      await print({ items: rows }, outputFormat(options.output));
    });
  profile
    .command("use")
    .description("make a profile the current one")
    .argument("<name>")
    .action((name: string) => {
      const config = readConfig();
      if (!config.profiles[name]) throw new CliError(`no profile named "${name}"`, EXIT.notFound);
      config.current = name;
      writeConfig(config);
      note(`Now using profile "${name}".`);
    });
}
