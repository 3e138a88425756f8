import { describe, expect, it } from "vitest";
import { tokenize, KEYWORDS, isKeyword } from "../src/index.js";

const kinds = (sql: string) => tokenize(sql).map((t) => t.kind);
const texts = (sql: string) => tokenize(sql).map((t) => t.text);

describe("tokenizer", () => {
  it("recognises every keyword in any case, and non-keywords as ID", () => {
    expect(KEYWORDS.length).toBe(147);
    for (const k of KEYWORDS) {
      if (k.kind === "WINDOW" || k.kind === "OVER" || k.kind === "FILTER") continue;
      expect(kinds(k.spelling.toLowerCase())[0]).toBe(k.kind);
    }
    expect(kinds("true false rowid abc _x x1 é")).toEqual(["ID", "ID", "ID", "ID", "ID", "ID", "ID", "EOF"]);
    expect(isKeyword("Select")).toBe(true);
    expect(isKeyword("selects")).toBe(false);
  });

  it("reads every punctuation token", () => {
    expect(kinds("( ) ; , . + - * / % = == <> != < <= > >= << >> & | || ~ -> ->>")).toEqual([
      "LP", "RP", "SEMI", "COMMA", "DOT", "PLUS", "MINUS", "STAR", "SLASH", "REM", "EQ", "EQ", "NE", "NE", "LT", "LE",
      "GT", "GE", "LSHIFT", "RSHIFT", "BITAND", "BITOR", "CONCAT", "BITNOT", "PTR", "PTR", "EOF",
    ]);
  });

  it("reads quoted identifiers, strings and blobs", () => {
    expect(tokenize(`"a""b" [c d] \`e\`\`f\` 'it''s' x'0aFF' X''`).map((t) => [t.kind, t.text])).toEqual([
      ["ID", `"a""b"`], ["ID", "[c d]"], ["ID", "`e``f`"], ["STRING", "'it''s'"], ["BLOB", "x'0aFF'"], ["BLOB", "X''"], ["EOF", ""],
    ]);
  });

  it("reads numbers: integers, hex, reals, exponents, digit separators", () => {
    expect(tokenize("1 0x1F 1.5 .5 5. 1e10 1.5E-3 2e+7 1_000 0x1_F 0x_1F").map((t) => t.kind)).toEqual([
      "INTEGER", "INTEGER", "FLOAT", "FLOAT", "FLOAT", "FLOAT", "FLOAT", "FLOAT", "QNUMBER", "QNUMBER", "ILLEGAL", "EOF",
    ]);
  });

  it("marks malformed tokens ILLEGAL with SQLite's extent", () => {
    expect(tokenize("1e").map((t) => [t.kind, t.text])[0]).toEqual(["ILLEGAL", "1e"]);
    expect(tokenize("0x").map((t) => [t.kind, t.text])[0]).toEqual(["ILLEGAL", "0x"]);
    expect(tokenize("12abc")[0].kind).toBe("ILLEGAL");
    expect(tokenize("1.5e+")[0].text).toBe("1.5e");
    expect(tokenize("x'0g'").map((t) => [t.kind, t.text])[0]).toEqual(["ILLEGAL", "x'0g'"]);
    expect(tokenize("x'0'")[0].kind).toBe("ILLEGAL");
    expect(tokenize("'abc")[0]).toMatchObject({ kind: "ILLEGAL", text: "'abc" });
    expect(tokenize('"abc')[0]).toMatchObject({ kind: "ILLEGAL", text: '"abc' });
    expect(tokenize("[abc")[0]).toMatchObject({ kind: "ILLEGAL", text: "[abc" });
    expect(tokenize("`abc")[0]).toMatchObject({ kind: "ILLEGAL", text: "`abc" });
    expect(kinds("^ ! $ @ : #")).toEqual(["ILLEGAL", "ILLEGAL", "ILLEGAL", "ILLEGAL", "ILLEGAL", "ILLEGAL", "EOF"]);
  });

  it("reads every parameter form, TCL-style ones included", () => {
    expect(texts("? ?12 :name @name $name #name $a::b(c) $x(y z)")).toEqual(["?", "?12", ":name", "@name", "$name", "#name", "$a::b(c)", "$x(y", "z", ")", ""]);
    expect(kinds("$a::b(c)")).toEqual(["VARIABLE", "EOF"]);
    expect(kinds("$x(y z)")[0]).toBe("ILLEGAL");
  });

  it("skips both comment styles; an unterminated block comment runs to the end", () => {
    expect(texts("a -- b\n c /* d */ e /* f")).toEqual(["a", "c", "e", ""]);
    expect(kinds("/*")).toEqual(["SLASH", "STAR", "EOF"]);
    expect(texts("-- only")).toEqual([""]);
  });

  it("treats WINDOW, OVER and FILTER as keywords only in their contexts", () => {
    expect(kinds("f() OVER (x)").slice(3, 4)).toEqual(["OVER"]);
    expect(kinds("f() OVER w")[3]).toBe("OVER");
    expect(kinds("SELECT over FROM t")[1]).toBe("ID");
    expect(kinds("f() FILTER (WHERE x)")[3]).toBe("FILTER");
    expect(kinds("f() filter")[3]).toBe("ID");
    expect(kinds("WINDOW w AS (x)")[0]).toBe("WINDOW");
    expect(kinds("FROM t window")[2]).toBe("ID");
  });

  it("ends the text at a NUL character and gives offsets into the source", () => {
    expect(texts("SELECT 1\0garbage")).toEqual(["SELECT", "1", ""]);
    const t = tokenize("  SELECT  abc");
    expect(t[1]).toMatchObject({ start: 10, end: 13, text: "abc" });
  });
});
