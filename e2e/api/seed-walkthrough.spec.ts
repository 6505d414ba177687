import { execFile } from "node:child_process";
import path from "node:path";
import { makeCanary, countCanary } from "../../testing/canary";
import { cast, expect, test, uniqueSlug } from "../fixtures";
import { cloudBody, demoCaller } from "./callers";
import { expectConforms, loadOurOpenApi } from "./contract";

test("the how-to's curl walkthrough works as written: issue from a base64 file, get, list, revoke", async ({
  playwright,
  request,
  target,
}) => {
  await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
  const session = await playwright.request.newContext({ baseURL: target.baseURL });
  const operator = await demoCaller(session, target, cast.operator);
  await session.dispose();
  const cloud = await (await request.post("/v1/clouds", { headers: operator.headers, data: cloudBody(uniqueSlug("walk")) })).json();
  const canary = makeCanary();

  const output = await new Promise<string>((resolve, reject) =>
    execFile(
      "bash",
      [path.join(__dirname, "seed-walkthrough.sh")],
      { env: { ...process.env, PLEXSPHERE_URL: target.baseURL, TOKEN: operator.token, CLOUD_ID: cloud.id, SECRET_VALUE: canary } },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout)),
    ),
  );
  const [created, read, list, revoked] = output.split("\n---\n").map((part) => JSON.parse(part));
  expect(created).toMatchObject({ cloud_id: cloud.id, display_name: "Acme AWS provisioner secret", version: 1, status: "active" });
  expect(read).toEqual(created);
  expect(list.items.map((c: { id: string }) => c.id)).toEqual([created.id]);
  expect(revoked).toMatchObject({ id: created.id, status: "revoked" });
  expect(countCanary(output, canary)).toBe(0);

  // The same reads through the contract validator.
  await expectConforms(
    await request.get(`/v1/cloud-credentials/${created.id}`, { headers: operator.headers }),
    "GET /v1/cloud-credentials/{id}",
    200,
  );
});
