-- Integers and REALs whose text is the same in SQLite 3.40 and 3.53.
.headers on
SELECT 0, 1, -1, 2147483647, 2147483648, -2147483649, 9007199254740993, 9223372036854775807, -9223372036854775808;
SELECT 0.1, 0.5, 2.5, -2.5, 3.14, 1e100, -1e100, 1.5e-7, 1e-300, 100.0, -0.0, 0.0, 123.456;
SELECT 1e308 * 10, -1e308 * 10, 5 / 2, 5 / 2.0, 7 % 3, 1.0 * 3;
SELECT 10 / 0, abs(-5), round(2.5), CAST('12abc' AS INTEGER), CAST(3.9 AS INTEGER);
.mode quote
SELECT 0.5, 2.5, 100.0, -0.0, 1e15, 1e16, 0.25, 123.125, 9223372036854775807;
.mode insert
SELECT 0.5, -2.5, 1e15, 1e308 * 10, -1e308 * 10;
.mode json
SELECT 0.5, -2.5, 1e15, 1e308 * 10, -1e308 * 10, 42;
.mode csv
SELECT 0.1, 1e100, 1.5e-7, -0.0;
.mode line
SELECT 0.1 AS a, 1e100 AS bb, 1.5e-7 AS ccc;
