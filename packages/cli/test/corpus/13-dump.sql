-- .dump of every value type, indexes, views, triggers and AUTOINCREMENT.
CREATE TABLE t1(a INTEGER PRIMARY KEY, b TEXT, c REAL, d BLOB, e);
INSERT INTO t1 VALUES(1, 'it''s', 2.5, x'00ff', NULL);
INSERT INTO t1 VALUES(2, 'two
lines', -0.0, x'', 9223372036854775807);
INSERT INTO t1 VALUES(3, 'cr'||char(13)||'here', 100.0, NULL, -9223372036854775808);
INSERT INTO t1 VALUES(4, '\n literal', 0.5, x'414243', 'text');
CREATE TABLE seq(id INTEGER PRIMARY KEY AUTOINCREMENT, v);
INSERT INTO seq(v) VALUES('a'), ('b');
CREATE TABLE "select"("from" TEXT, "two words" INT);
INSERT INTO "select" VALUES('k', 1);
CREATE INDEX t1b ON t1(b);
CREATE VIEW v AS SELECT a, b FROM t1 -- view comment
;
CREATE TRIGGER trg AFTER DELETE ON t1 BEGIN DELETE FROM seq WHERE id = old.a; END;
.dump
.dump t1
.dump sel%
.headers on
.mode column
.dump seq
SELECT 'mode and headers restored', 1;
