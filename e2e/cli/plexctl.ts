import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { APIRequestContext, PlaywrightWorkerArgs } from "@playwright/test";
import type { Target } from "../fixtures";
import { csrfHeaders, signInWithPassword } from "../api/callers";

/**
 * Running plexctl the way a user does: the launcher in cli/bin, in its own
 * process, with its own config home (so profiles never leak between tests
 * or into the machine's), talking HTTP to the target server.
 */
export type Playwright = PlaywrightWorkerArgs["playwright"];

export const PLEXCTL = path.resolve(__dirname, "../../cli/bin/plexctl.mjs");
/** A directory whose `plexctl` is this checkout's, for shell scripts (the tutorials' `export PATH="$PWD/bin:$PATH"`). */
export const BIN_DIR = path.resolve(__dirname, "bin");

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Cli {
  configHome: string;
  env: Record<string, string>;
  run(args: string[], options?: { input?: string | Buffer; env?: Record<string, string | undefined> }): Promise<Run>;
  /** Starts a command and hands back the process, for login's interactive device flow. */
  start(
    args: string[],
    options?: { env?: Record<string, string | undefined> },
  ): { stderrUntil(pattern: RegExp): Promise<RegExpMatchArray>; done: Promise<Run> };
  profileFile(): string;
}

export function plexctl(target: Target): Cli {
  const configHome = mkdtempSync(path.join(tmpdir(), "plexctl-e2e-"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: configHome,
    XDG_CONFIG_HOME: configHome,
    PLEXSPHERE_URL: target.baseURL,
  };
  const spawnCli = (args: string[], extra: Record<string, string | undefined> = {}): ChildProcessWithoutNullStreams =>
    spawn(process.execPath, [PLEXCTL, ...args], {
      env: Object.fromEntries(Object.entries({ ...env, ...extra }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
    });
  const collect = (child: ChildProcessWithoutNullStreams) => {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    const done = new Promise<Run>((resolve) => child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr })));
    return { done, stderr: () => stderr };
  };
  return {
    configHome,
    env,
    async run(args, options = {}) {
      const child = spawnCli(args, options.env);
      const result = collect(child);
      child.stdin.end(options.input ?? "");
      return result.done;
    },
    start(args, options = {}) {
      const child = spawnCli(args, options.env);
      child.stdin.end();
      const result = collect(child);
      return {
        done: result.done,
        async stderrUntil(pattern) {
          for (let waited = 0; waited < 30_000; waited += 100) {
            const match = result.stderr().match(pattern);
            if (match) return match;
            if (child.exitCode !== null) break;
            await new Promise((r) => setTimeout(r, 100));
          }
          throw new Error(`plexctl never printed ${pattern}; stderr so far:\n${result.stderr()}`);
        },
      };
    },
    profileFile: () => path.join(configHome, "plexctl", "config.json"),
  };
}

/** A signed-in browser-like API context for a demo-cast member, with the CSRF headers its writes need. */
export async function signedInApprover(
  playwright: Playwright,
  target: Target,
  email: string,
): Promise<{ context: APIRequestContext; headers: Record<string, string> }> {
  const context = await playwright.request.newContext({ baseURL: target.baseURL });
  await signInWithPassword(context, email);
  return { context, headers: await csrfHeaders(context, target.baseURL) };
}

/**
 * `plexctl login` through the device flow, approved over the API by the
 * signed-in person (what pressing Approve on the verification page does).
 */
export async function deviceLogin(cli: Cli, playwright: Playwright, target: Target, email: string, args: string[] = []): Promise<Run> {
  const login = cli.start(["login", ...args]);
  const [, userCode] = await login.stderrUntil(/enter the code ([A-Z2-7]{4}-[A-Z2-7]{4})/);
  const approver = await signedInApprover(playwright, target, email);
  const approved = await approver.context.post("/v1/auth/device/approve", { headers: approver.headers, data: { user_code: userCode } });
  if (approved.status() !== 200) throw new Error(`approve failed: ${approved.status()} ${await approved.text()}`);
  await approver.context.dispose();
  return login.done;
}

export const readText = (file: string) => readFileSync(file, "utf8");
