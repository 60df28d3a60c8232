import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { internalWordsIn, screenTextOfSource } from "../support/uiWords";
import { sourceFiles } from "../support/sourceFiles";

// Pages and layouts (route handlers answer JSON, not screens) and every component.
const files = [...sourceFiles("app", (name) => name.endsWith(".tsx")), ...sourceFiles("components", (name) => /\.tsx?$/.test(name))];

describe("no internal words in the UI's sources (the rendered pages are scanned in tests/e2e/accessibility)", () => {
  it("the scan finds them where they are, and not in comments, imports or method notes", () => {
    const sample = [
      `import PgBoss from "pg-boss";`,
      `// the guide's example, as a comment`,
      `/** statsmodels in a doc comment */`,
      `const help = "in the guide's words";`,
      `<p>Computed by statsmodels</p>`,
      `<MethodNote><p>Sources: statsmodels' zt_ind_solve_power</p></MethodNote>`,
      `<a href="https://example.com">link</a>`,
    ].join("\n");
    const found = internalWordsIn(screenTextOfSource(sample));
    expect(found.map((f) => f.split("”")[0].slice(1))).toEqual(["the guide", "guide's", "statsmodels"]);
  });

  it.each(files)("%s", (file) => {
    expect(internalWordsIn(screenTextOfSource(fs.readFileSync(file, "utf8")))).toEqual([]);
  });
});
