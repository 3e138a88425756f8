-- Errors in the middle of a script: parse and runtime errors (with and without a caret
-- line), an error part-way through a result, errors in dot-commands; the run goes on and
-- exits 1.
CREATE TABLE e(a INTEGER PRIMARY KEY, b TEXT UNIQUE, c CHECK (c > 0));
INSERT INTO e VALUES(1, 'x', 1), (2, 'y', 2), (3, 'z', 3);
SELECT a, b FROM e WHERE nosuch = 1;
SELECT a, b FROM e WHERE a = 1 AND nosuch = 1;
SELECT count(*) FROM e WHERE count(*) > 1;
SELECT nosuchfn(a) FROM e;
SELECT abs(1, 2);
SELECT max() FROM e;
SELECT * FROM e NATURAL FOO JOIN e;
SELECT x'0g';
SELECT a FROM e, e;
SELECT '日本語', nosuch;
CREATE TABLE "e"(z);
CREATE VIEW e AS SELECT 1;
INSERT INTO e VALUES(4, 'x', 4);
INSERT INTO e VALUES(5, 'w', 0);
INSERT INTO e(a, b, c) VALUES(1, 'v', 1) ON CONFLICT(a) DO NOTHING;
SELECT a, CASE WHEN a < 3 THEN a ELSE abs(-9223372036854775808) END FROM e;
.mode box
SELECT a, CASE WHEN a < 3 THEN b ELSE abs(-9223372036854775808) END AS v FROM e;
.mode list
SELECT 'after', count(*) FROM e;
BEGIN;
INSERT INTO e VALUES(10, 'ten', 10);
BEGIN;
COMMIT;
COMMIT;
ROLLBACK;
SELECT 1; SELECT nosuch; SELECT 3;
SELECT 'a very long line so that the caret moves to the right side', nosuch_column_here FROM e;
SELECT 'abcdefghijklmnopqrstuvwxyz', 'abcdefghijklmnopqrstuvwxyz', 'abcdefghijklmnop', nosuch, 'abcdefghijklmnopqrstuvwxyz', 'abcdefghijklmnopqrstuvwxyz';
.tables e extra
.indexes a b
.width x
.mode insert "two words"
SELECT 1;
.mode list
SELECT 'end';
