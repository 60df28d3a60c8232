// Static checks of the one choke point: the permission table, every API route file and every signed-in page.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { can, coversRole, permissions, ROLES } from "@/lib/auth/permissions";
import { sourceFiles } from "../support/sourceFiles";

const isSource = (name: string) => /\.(ts|tsx)$/.test(name);

describe("the permission table", () => {
  const code = ["app", "components", "lib/navigation", "lib/experiments", "lib/dataPlane"]
    .flatMap((dir) => sourceFiles(dir, isSource))
    .map((f) => fs.readFileSync(f, "utf8"))
    .join("\n");

  it.each(Object.keys(permissions))("%s is checked somewhere (no dead entries)", (action) => {
    expect(code).toContain(`"${action}"`);
  });

  it("gives the admin every action and each role what its job needs", () => {
    for (const action of Object.keys(permissions) as (keyof typeof permissions)[]) expect(can("ADMIN", action)).toBe(true);
    expect(ROLES.filter((r) => can(r, "users:manage"))).toEqual(["ADMIN"]);
    expect(ROLES.filter((r) => can(r, "experiments:edit"))).toEqual(["ADMIN", "PM"]);
    expect(ROLES.filter((r) => can(r, "experiments:editVariantSettings"))).toEqual(["ADMIN", "PM", "ENGINEER"]);
    expect(ROLES.filter((r) => can(r, "decisions:review"))).toEqual(["ADMIN", "REVIEWER"]);
    expect(ROLES.filter((r) => can(r, "experiments:read"))).toEqual(["ADMIN", "PM", "ENGINEER", "REVIEWER"]);
  });
});

describe("every API route goes through the one wrapper", () => {
  it.each(sourceFiles("app/api", (name) => name === "route.ts").filter((f) => !f.includes("[...nextauth]")))("%s", (file) => {
    const source = fs.readFileSync(file, "utf8");
    const handlers = [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE) = (\w+)/g)];
    const reexports = /export \{[^}]+ as (GET|POST)/.test(source);
    expect(handlers.length > 0 || reexports).toBe(true);
    for (const [, , wrapper] of handlers) expect(["withAuth", "withPublic"]).toContain(wrapper);
    expect(source).not.toMatch(/export (async )?function (GET|POST|PUT|PATCH|DELETE)/);
  });
});

describe("every signed-in page checks its own access on the server", () => {
  it.each(sourceFiles("app/(app)", (name) => name === "page.tsx"))("%s", (file) => {
    const source = fs.readFileSync(file, "utf8");
    const match = /pageIdentity\("([^"]+)"/.exec(source);
    expect(match, "call pageIdentity(action, path) from lib/auth/guard").not.toBeNull();
    expect(Object.keys(permissions)).toContain(match![1]);
    // A page that can be refused must say so instead of rendering its data.
    if (match![1] !== "me:read") expect(source).toMatch(/if \(!allowed\) return <Forbidden/);
  });
});

describe("the role-change confirmation says what is true of the permission table", () => {
  it.each([
    // ADMIN keeps an ENGINEER's rights (was: "As ADMIN they can manage users, roles and keys instead").
    ["ENGINEER", "ADMIN", "As ADMIN they keep all of that and can also manage users, roles and keys."],
    ["PM", "ADMIN", "As ADMIN they keep all of that and can also manage users, roles and keys."],
    ["ADMIN", "PM", "As PM they can design, start and stop experiments, but no longer manage users, roles and keys."],
    ["PM", "REVIEWER", "As REVIEWER they can approve or reject deploy decisions instead."],
  ] as const)("%s -> %s", async (from, to, sentence) => {
    const { roleChangeText } = await import("@/components/admin/UsersAdmin");
    expect(roleChangeText("casey@example.com", from, to)).toContain(sentence);
    expect(coversRole("ADMIN", from)).toBe(true);
  });
});
