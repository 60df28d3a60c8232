import { appendAuditEvent } from "@/lib/db/audit";
import { writeSetting } from "@/lib/db/settings";
import { createUser } from "@/lib/users/service";
import { DEMO_SEEDED_KEY, demoSeeded } from "./status";
import { DEMO_PASSWORD, demoUsers } from "./users";
import { seedDemoExperiments } from "./experiments";
import { seedDemoLoadRuns } from "./loadRuns";

/** Seeds the demo (a user per role, the guide's experiments, two finished load tests of varcas's prompts) once per database; false if it was already there. */
export async function seedDemo(): Promise<boolean> {
  if (await demoSeeded()) return false;
  const users: Record<string, string> = {};
  for (const u of demoUsers) {
    const created = await createUser(null, { email: u.email, name: u.name, role: u.role, password: DEMO_PASSWORD }).catch(() => null);
    if (created) users[u.role] = created.id;
  }
  await seedDemoExperiments(users);
  await seedDemoLoadRuns({
    via: "session",
    userId: users.ENGINEER ?? null,
    email: "engineer@assay.local",
    name: "Eli Engineer",
    role: "ENGINEER",
  });
  await writeSetting(DEMO_SEEDED_KEY, new Date().toISOString());
  await appendAuditEvent({ actorId: null, actorLabel: "system", action: "demo.seeded", entityType: "Setting", entityId: DEMO_SEEDED_KEY });
  return true;
}
