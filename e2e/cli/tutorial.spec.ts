import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";
import { countCanary, makeCanary } from "../../testing/canary";
import { cast, expect, test } from "../fixtures";
import { BIN_DIR, deviceLogin, plexctl, readText } from "./plexctl";

// Every tutorial step is a new Node process; on a busy machine that takes a while.
test.describe.configure({ timeout: 240_000 });

const THE_DOMAIN_ID = "00000000-0000-7000-8000-000000000001";

test("tutorials 000/001 with plexctl: device login, recover demo-cloud with jq, issue from a file and from stdin, get, list", async ({
  playwright,
  target,
}) => {
  const cli = plexctl(target);
  // Step 1's login, as written: the person approves in the console (here: the operator over the API).
  const login = await deviceLogin(cli, playwright, target, cast.operator, [
    "--profile-name",
    "operator",
    "--domain-id",
    THE_DOMAIN_ID,
    "--idp-binding-id",
    THE_DOMAIN_ID,
  ]);
  expect(login.code, login.stderr).toBe(0);
  expect(login.stderr).toContain(`${target.baseURL}/device`);
  expect(login.stderr).toContain(`as ${cast.operator} (profile "operator")`);
  expect(statSync(cli.profileFile()).mode & 0o777).toBe(0o600);

  const canary = makeCanary("tutorial");
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
    execFile(
      "bash",
      [path.join(__dirname, "tutorial.sh")],
      { env: { ...cli.env, PATH: `${BIN_DIR}:${process.env.PATH}`, SECRET_VALUE: canary } as Record<string, string> as NodeJS.ProcessEnv },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${out}\n${err}`)) : resolve({ stdout: out, stderr: err })),
    ),
  );
  const values = Object.fromEntries(
    stdout
      .trim()
      .split("\n")
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  const uuid = /^[0-9a-f-]{36}$/;
  expect(values.CLOUD_ID).toMatch(uuid);
  expect(values.CREDENTIAL_ID).toMatch(uuid);
  expect(values.STDIN_CREDENTIAL_ID).toMatch(uuid);
  const read = JSON.parse(values.GET);
  expect(read).toMatchObject({
    id: values.CREDENTIAL_ID,
    cloud_id: values.CLOUD_ID,
    display_name: "demo-credential",
    version: 1,
    status: "active",
  });
  expect(Object.keys(read).sort()).toEqual([
    "cloud_id",
    "created_at",
    "display_name",
    "expires_at",
    "id",
    "status",
    "updated_at",
    "version",
  ]);
  expect(JSON.parse(values.LIST)).toEqual(expect.arrayContaining([values.CREDENTIAL_ID, values.STDIN_CREDENTIAL_ID]));

  // The secret went in, and came out nowhere: not on stdout or stderr, not in the profile, not in the server's log.
  for (const place of [stdout, stderr, login.stdout, login.stderr, readText(cli.profileFile()), readText(target.serverLog)])
    expect(countCanary(place, canary)).toBe(0);
});
