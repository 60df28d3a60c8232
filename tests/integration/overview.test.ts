// The overview's figures, on a database of its own so the counts are exact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Identity } from "@/lib/auth/identity";
import { createUser } from "@/lib/users/service";
import { createExperiment, startExperiment, stopExperiment } from "@/lib/experiments/service";
import { createExperimentSchema } from "@/lib/validation/experiments";
import { overviewFor } from "@/lib/overview/service";
import { useFreshDatabase } from "../support/freshDatabase";
import { minimalExperimentBody } from "../support/experiments";

let dropDatabase: () => Promise<void>;
let pm: Identity;

const design = (key: string) => createExperimentSchema.parse(minimalExperimentBody(key));

beforeAll(async () => {
  dropDatabase = await useFreshDatabase("assay_overview");
  const user = await createUser(null, { email: "pm@example.com", name: "Pat PM", role: "PM", password: "a-long-password-1" });
  pm = { via: "session", userId: user.id, email: user.email, name: user.name, role: "PM" };
  for (const key of ["one", "two", "three"]) await createExperiment(pm, design(key));
  await startExperiment(pm, "two", {});
  await startExperiment(pm, "three", {});
  await stopExperiment(pm, "three", { reason: "enough data" });
});
afterAll(async () => {
  await dropDatabase();
});

describe("overviewFor", () => {
  it("counts experiments per status and lists the latest activity, newest first, with the actor's name", async () => {
    const overview = await overviewFor(pm);
    expect(overview.statusCounts).toEqual({ DRAFT: 1, RUNNING: 1, STOPPED: 1, DECIDED: 0 });
    expect(overview.pendingReviews).toBeNull();
    expect(overview.activity.map((a) => `${a.action} ${a.experiment?.key}`).slice(0, 3)).toEqual([
      "experiment.stopped three",
      "experiment.started three",
      "experiment.started two",
    ]);
    expect(overview.activity[0].actor).toBe("Pat PM");
    expect(overview.activity).toHaveLength(6);
  });

  it("shows reviewers the decisions waiting for them", async () => {
    const overview = await overviewFor({ ...pm, role: "REVIEWER" });
    expect(overview.pendingReviews).toBe(0);
  });
});
