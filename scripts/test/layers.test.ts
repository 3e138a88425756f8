// The layering rule of ../shared/design.md holds across the workspace, and the
// checker that enforces it does catch each kind of violation.
import { describe, expect, it } from "vitest";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
// @ts-expect-error: plain ESM script without type declarations
import { checkLayers, checkImport, importsOf } from "../layers.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("package layering", () => {
  it("has no violations in the workspace", () => {
    expect(checkLayers(root)).toEqual([]);
  });

  it("rejects an upward import", () => {
    expect(checkImport("pager", "packages/pager/src/x.ts", "@strata/sql", root)).toMatch(/may not import/);
  });

  it("rejects reaching into another package's sources", () => {
    expect(checkImport("pager", "packages/pager/src/x.ts", "@strata/common/src/varint", root)).toMatch(/internals/);
  });

  it("rejects a relative import that leaves the package", () => {
    expect(checkImport("pager", "packages/pager/src/x.ts", "../../common/src/varint.js", root)).toMatch(/leaves package/);
  });

  it("accepts a permitted import and a local relative one", () => {
    expect(checkImport("pager", "packages/pager/src/x.ts", "@strata/common", root)).toBeNull();
    expect(checkImport("pager", "packages/pager/src/btree/x.ts", "../page-cache.js", root)).toBeNull();
  });

  it("lets a test, not a source file, import its own package by name", () => {
    expect(checkImport("database", "packages/database/test/x.test.ts", "@strata/database/compat", root)).toBeNull();
    expect(checkImport("database", "packages/database/src/x.ts", "@strata/database", root)).toMatch(/its own package/);
  });

  it("finds static, re-export, side-effect and dynamic imports", () => {
    const text = `import { a } from "@strata/common";\nexport * from "./b.js";\nimport "./c.js";\nconst d = await import("@strata/vfs");`;
    expect(importsOf(text).sort()).toEqual(["./b.js", "./c.js", "@strata/common", "@strata/vfs"].sort());
  });
});
