// Date and time functions (func/date-time.ts, func/date-funcs.ts) against SQLite 3.53
// (better-sqlite3): fixed cases from lang_datefunc.html, random time values and modifier
// chains (fast-check), 'localtime'/'utc' under several process time zones, and 'now'
// being one instant within a statement.
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { real, type SqlValue } from "@strata/common";
import Database from "better-sqlite3";
import { callSql, key, sqlite, strata } from "./oracle.js";
import { openMemory, runOracle, runStrata } from "../engine/support.js";

function same(name: string, args: SqlValue[]): void {
  const sql = callSql(name, args);
  expect({ sql, got: key(strata(name, args)) }).toEqual({ sql, got: key(sqlite(sql)) });
}

const ALL_FORMATS = "%d|%e|%f|%F|%G|%g|%H|%k|%I|%l|%j|%J|%m|%M|%p|%P|%R|%s|%S|%T|%u|%w|%U|%V|%W|%Y|%%";

const VALUES: SqlValue[] = [
  "2013-10-07", "2013-10-07 08:23:19.120", "2013-10-07T08:23:19.120Z", "2013-10-07 04:23:19.120-04:00",
  "2013-10-07 08:23", "2013-10-07 08:23:19", "08:23", "08:23:19.5", "12:00:00+05:30", "2023-02-31", "2024-02-30",
  "2023-04-31 10:00", "0000-01-01", "9999-12-31 23:59:59.999", "-0001-06-15", "1582-10-04", "2000-01-01 24:00",
  "2013-13-01", "2013-10-32", "2013-1-07", "13-10-07", " 2013-10-07", "2013-10-07  ", "2013-10-07 x",
  2460000.5, 0, -1, 5373484.4999, 5373484.5, 1700000000, real(2451545.0), real(1e20), "2451545", "2451545.25",
  "1700000000", null, "", "abc", "2013-10-07T08:23:19.1234567", "2013-10-07 08:23:19.9999", "2013-10-07 08:60",
  "2013-10-07 25:00", "2013-10-07 08:23:19 +14:00", "2013-10-07 08:23:19 -14:59", "2013-10-07 08:23:19 +15:00",
  "2013-10-07 08:23:19z", "2013-10-07 08:23:19 Z ", "2013-10-07\t08:23", "2013-10-07TT08:23",
];

const MODIFIERS: string[] = [
  "+1 day", "-1 days", "+1.5 days", "+3 hours", "-90 minutes", "+30.5 seconds", "+1 month", "-1 months", "+13 months",
  "+1 year", "-2 years", "+1.5 months", "+0.5 years", "start of month", "start of year", "start of day", "weekday 0",
  "weekday 3", "weekday 6", "weekday 7", "weekday 1.5", "unixepoch", "julianday", "auto", "subsec", "subsecond",
  "ceiling", "floor", "+01:30", "-01:30:15.5", "+12:00", "+0001-02-03", "-0001-02-03", "+0001-02-03 04:05:06",
  "+00001-00-00", "+0001-12-00", "+0001-00-31", "START OF MONTH", "+1 DAYS", "+1 dayss", "+1 d", "bogus", "",
  " +1 day", "+1  day", "+5 weeks", "1 day", "+1 hour ", "+999999999 days", "+14713 years", "-176546 months",
  "+1e3 seconds", "+.5 day", "utc", "localtime",
];

describe("date and time functions vs SQLite 3.53", () => {
  it("every time value through each function", () => {
    for (const v of VALUES) {
      for (const f of ["date", "time", "datetime", "julianday", "unixepoch"]) same(f, [v]);
      same("strftime", [ALL_FORMATS, v]);
    }
  });
  it("every modifier on a few time values", () => {
    for (const v of ["2013-10-07 08:23:19.120", "2023-01-31", "2024-02-29 12:00", 2460000.5, 1700000000, "12:30", "2000-03-31"]) {
      for (const m of MODIFIERS) {
        for (const f of ["datetime", "julianday", "unixepoch"]) same(f, [v, m]);
        same("strftime", [ALL_FORMATS, v, m]);
      }
    }
  });
  it("documented examples", () => {
    const cases: [string, SqlValue[]][] = [
      ["date", ["now", "start of month", "+1 month", "-1 day"]],
      ["datetime", [1092941466, "unixepoch"]],
      ["datetime", [1092941466, "auto"]],
      ["datetime", [1092941466, "unixepoch", "localtime"]],
      ["unixepoch", ["2004-01-01 02:34:56"]],
      ["date", ["now", "start of year", "+9 months", "weekday 2"]],
      ["datetime", ["2013-10-07 08:23:19.120", "subsec"]],
      ["unixepoch", ["2013-10-07 08:23:19.120", "subsec"]],
      ["strftime", ["%s", "2013-10-07 08:23:19.120", "subsec"]],
      ["date", ["2023-01-31", "+1 month", "floor"]],
      ["date", ["2023-01-31", "+1 month", "ceiling"]],
      ["date", ["2024-02-29", "+1 year", "floor"]],
      ["date", ["2023-01-31", "+0000-01-00", "floor"]],
      ["julianday", [2460000.5, "julianday"]],
      ["datetime", [2460000.5, "+1 day", "julianday"]],
      ["datetime", [1700000000, "+1 day", "unixepoch"]],
      ["strftime", ["%Y %x", "2013-10-07"]],
      ["strftime", ["abc%", "2013-10-07"]],
      ["strftime", ["no conversions", "2013-10-07"]],
      ["strftime", ["%", "2013-10-07"]],
      ["strftime", [null, "2013-10-07"]],
      ["strftime", ["%J|%f", "2013-10-07 08:23:19.9999"]],
      ["strftime", ["%j %U %W %V %G %g", "2021-01-01"]],
      ["strftime", ["%j %U %W %V %G %g", "2020-12-31"]],
      ["strftime", ["%j %U %W %V %G %g", "2027-01-03"]],
      ["strftime", ["%F %Y %G %g", "-0044-03-15"]],
      ["strftime", ["%Y-%m-%d"]],
      ["timediff", ["2023-02-15", "2023-03-15"]],
      ["timediff", ["2023-03-15", "2023-02-15"]],
      ["timediff", ["2024-02-29 12:00:00.5", "2023-01-31 23:59:59"]],
      ["timediff", ["1970-01-01", "2000-06-15 12:34:56.789"]],
      ["timediff", ["2000-01-31", "2000-02-29"]],
      ["timediff", [2460000.5, "2023-02-25"]],
      ["timediff", ["x", "2023-02-25"]],
      ["timediff", [null, "2023-02-25"]],
      ["date", [real(2460000.75), "auto"]],
      ["date", [-100000000000, "auto"]],
      ["date", [253402300799, "auto"]],
      ["date", [253402300800, "auto"]],
      ["date", [0, "unixepoch", "auto"]],
      ["date", [0, "start of month", "unixepoch"]],
      ["date", ["2000-01-01", "unixepoch"]],
      ["datetime", [new Uint8Array(Buffer.from("2000-01-01"))]],
      ["date", ["2000-01-01", null]],
      ["date", [-1, "unixepoch"]],
      ["date", ["2013-10-07", "weekday  3"]],
      ["date", ["2013-10-07", "weekday 3 "]],
      ["datetime", ["9999-12-31 23:59:59", "+1 second"]],
      ["datetime", ["0000-01-01", "-1 second"]],
      ["datetime", ["-4713-11-24 12:00:00"]],
      ["datetime", ["-4713-11-24 11:59:59"]],
    ];
    for (const [f, args] of cases) {
      if (args.includes("now")) continue; // compared at the SQL level below
      same(f, args);
    }
  });
  it("wrong argument counts", () => {
    for (const [f, args] of [["timediff", ["2000-01-01"]], ["timediff", ["a", "b", "c"]]] as [string, SqlValue[]][]) {
      const want = sqlite(callSql(f, args));
      expect("error" in want).toBe(true);
      same(f, args);
    }
  });

  // random time values and modifier chains
  const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, "0"));
  const ymd = fc.tuple(fc.constantFrom("", "", "", "-"), digits(4, 9999), digits(2, 13), digits(2, 32))
    .map(([s, y, m, d]) => `${s}${y}-${m}-${d}`);
  const hms = fc.tuple(digits(2, 25), digits(2, 60), fc.option(digits(2, 60)), fc.option(fc.integer({ min: 0, max: 99999 }).map(String)))
    .map(([h, m, s, f]) => `${h}:${m}${s === null ? "" : ":" + s + (f === null ? "" : "." + f)}`);
  const tz = fc.constantFrom("", "", "Z", "+05:30", "-08:00", " +01:00", "-14:00", "+00:00");
  const textValue = fc.oneof(
    fc.tuple(ymd, fc.constantFrom(" ", "T", "  "), hms, tz).map(([a, b, c, d]) => a + b + c + d),
    ymd, hms,
    fc.tuple(hms, tz).map(([a, b]) => a + b),
  );
  const timeValue: fc.Arbitrary<SqlValue> = fc.oneof(
    textValue,
    fc.integer({ min: -300000000000, max: 300000000000 }),
    fc.double({ min: -10, max: 5400000, noNaN: true }).map((x) => real(x)),
    fc.integer({ min: 0, max: 5373484 }).map((n) => real(n + 0.5)),
  );
  const num = fc.oneof(fc.integer({ min: -400, max: 400 }).map(String), fc.double({ min: -1000, max: 1000, noNaN: true }).map((x) => String(Math.round(x * 1000) / 1000)));
  const modifier = fc.oneof(
    fc.tuple(fc.constantFrom("+", "-", ""), num, fc.constantFrom(" day", " days", " hour", " hours", " minute", " minutes", " second", " seconds", " month", " months", " year", " years"))
      .map(([s, n, u]) => (n.startsWith("-") ? n : s + n) + u),
    fc.constantFrom("start of month", "start of year", "start of day", "weekday 0", "weekday 1", "weekday 4", "weekday 6",
      "unixepoch", "julianday", "auto", "subsec", "ceiling", "floor", "localtime", "utc"),
    fc.tuple(fc.constantFrom("+", "-"), digits(4, 20), digits(2, 12), digits(2, 31)).map(([s, y, m, d]) => `${s}${y}-${m}-${d}`),
    fc.tuple(fc.constantFrom("+", "-"), hms).map(([s, t]) => s + t),
  );
  const fmt = fc.array(fc.constantFrom(...ALL_FORMATS.split("|"), "x", " ", "-"), { minLength: 1, maxLength: 8 }).map((a) => a.join(""));

  it("random time values and modifier chains (datetime, julianday, unixepoch, strftime)", () => {
    fc.assert(fc.property(timeValue, fc.array(modifier, { maxLength: 4 }), fmt, (v, mods, f) => {
      same("datetime", [v, ...mods]);
      same("julianday", [v, ...mods]);
      same("unixepoch", [v, ...mods]);
      same("time", [v, ...mods]);
      same("strftime", [f, v, ...mods]);
    }), { numRuns: 3000 });
  });
  it("random timediff", () => {
    fc.assert(fc.property(timeValue, timeValue, (a, b) => same("timediff", [a, b])), { numRuns: 1500 });
  });

  // 'localtime' and 'utc' under several fixed time zones (both engines read the process's TZ)
  const savedTz = process.env.TZ;
  afterAll(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });
  for (const zone of ["UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Europe/London"]) {
    it(`localtime and utc with TZ=${zone}`, () => {
      process.env.TZ = zone;
      for (const v of ["2013-10-07 08:23:19.120", "2021-03-14 06:59:59", "2021-03-14 07:00:00", "2021-11-07 05:30:00",
        "1950-06-01 12:00", "2050-01-01 00:00", "2100-07-01", "0100-07-01 12:00", "9999-12-31 20:00", 1700000000]) {
        for (const mods of [["localtime"], ["utc"], ["localtime", "utc"], ["utc", "localtime"], ["localtime", "localtime"],
          ["utc", "utc"], ["localtime", "start of day", "utc"], ["unixepoch", "localtime"], ["+1 month", "localtime"]]) {
          same("datetime", [v, ...mods]);
          same("strftime", ["%Y-%m-%d %H:%M:%f %s %J", v, ...mods]);
        }
      }
      fc.assert(fc.property(timeValue, fc.array(modifier, { maxLength: 3 }), (v, mods) => {
        same("datetime", [v, ...mods, "localtime"]);
        same("datetime", [v, "utc", ...mods]);
      }), { numRuns: 300 });
    });
  }
});

describe("'now' and CURRENT_* in statements", () => {
  const oracle = new Database(":memory:");
  afterAll(() => oracle.close());
  it("one instant within a statement, and the same shape as SQLite's", () => {
    const conn = openMemory();
    const sql = "SELECT julianday('now') = julianday('now') AS a, datetime('now') = CURRENT_TIMESTAMP AS b, " +
      "date() = CURRENT_DATE AS c, time() = CURRENT_TIME AS d, typeof(unixepoch()) AS e, typeof(julianday('now')) AS f, " +
      "length(datetime('now', 'subsec')) AS g, abs(unixepoch('now') - unixepoch()) < 2 AS h, " +
      "date('now', 'start of month', '+1 month', '-1 day') > date('now', '-1 month') AS i, typeof(strftime('%s')) AS j";
    expect(runStrata(conn, sql)).toEqual(runOracle(oracle, sql));
    // the statement's time is fixed for the whole run: every row sees the same instant
    const many = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 20000) " +
      "SELECT count(DISTINCT strftime('%f', 'now')) AS n FROM c";
    expect(runStrata(conn, many)).toEqual(runOracle(oracle, many));
    // and 'now' is the wall clock
    const now = runStrata(conn, "SELECT unixepoch() AS t") as { rows: [string, unknown][][] };
    expect(Math.abs(Number(now.rows[0][0][1]) - Date.now() / 1000)).toBeLessThan(5);
    conn.close();
  });
  it("a column default of CURRENT_TIMESTAMP", () => {
    const conn = openMemory();
    runStrata(conn, "CREATE TABLE t(a, d DEFAULT CURRENT_TIMESTAMP)");
    runStrata(conn, "INSERT INTO t(a) VALUES (1)");
    const r = runStrata(conn, "SELECT typeof(d) AS x, length(d) AS y, d = datetime(d) AS z FROM t");
    expect(r).toEqual(runOracle(oracle, "SELECT 'text' AS x, 19 AS y, 1 AS z"));
    conn.close();
  });
});
