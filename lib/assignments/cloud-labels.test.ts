import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createCloud } from "@/lib/clouds/service";
import { isDomainError } from "@/lib/errors";
import { addMember, assignCloudToProject, createProject } from "@/lib/projects/service";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";
import { usableCloudLabels } from "./service";

describe("the Cloud names a Project's people see beside its credentials", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("members see the Clouds usable in their Project, nothing else; outsiders see nothing", async () => {
    const operator = await createTestUser({ platformAdmin: true, label: "operator" });
    const member = await createTestUser({ label: "member" });
    const outsider = await createTestUser({ label: "outsider" });
    const project = await createProject(operator, { name: "Labels", slug: uniqueSlug("labels") });
    await addMember(operator, project.id, member.email, "deploy");
    const cloudInput = (name: string) => ({
      display_name: name,
      slug: uniqueSlug(),
      provider: "aws" as const,
      external_id: randomUUID(),
      endpoint: {},
      region_defaults: {},
    });
    const usable = await createCloud(operator, cloudInput("Usable"));
    await createCloud(operator, cloudInput("Elsewhere"));
    await assignCloudToProject(operator, usable.id, project.id);

    assert.deepEqual(await usableCloudLabels(member, project.id), { [usable.id]: { displayName: "Usable", slug: usable.slug } });
    await assert.rejects(usableCloudLabels(outsider, project.id), (error) => isDomainError(error) && [403, 404].includes(error.status));
  });
});
