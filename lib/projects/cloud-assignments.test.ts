import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createCloud } from "@/lib/clouds/service";
import { assignCloudToProject, createProject } from "@/lib/projects/service";
import { closeTestDatabase, createTestUser, testDatabase, uniqueSlug } from "@/testing/database";

describe("granting a Cloud to a Project", () => {
  before(testDatabase);
  after(closeTestDatabase);

  test("a second grant of a live pair is 409 duplicate_live_cloud_assignment, not the first grant again", async () => {
    const operator = await createTestUser({ platformAdmin: true, label: "operator" });
    const project = await createProject(operator, { name: "Grants", slug: uniqueSlug("grants") });
    const cloud = await createCloud(operator, {
      display_name: "Granted",
      slug: uniqueSlug(),
      provider: "aws",
      external_id: randomUUID(),
      endpoint: {},
      region_defaults: {},
    });
    const first = await assignCloudToProject(operator, cloud.id, project.id);
    await assert.rejects(assignCloudToProject(operator, cloud.id, project.id), { code: "duplicate_live_cloud_assignment", status: 409 });
    const db = await testDatabase();
    assert.equal(await db.cloudAssignment.count({ where: { cloudId: cloud.id, projectId: project.id } }), 1);
    assert.equal((await db.cloudAssignment.findUniqueOrThrow({ where: { id: first.id } })).state, "approved");
  });
});
