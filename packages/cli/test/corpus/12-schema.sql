-- .tables, .indexes, .schema over tables, indexes, views and triggers.
CREATE TABLE t1(a INTEGER PRIMARY KEY, b TEXT NOT NULL DEFAULT 'x', c REAL);
CREATE INDEX t1b ON t1(b);
CREATE UNIQUE INDEX t1c ON t1(c DESC);
CREATE TABLE "odd name"(x UNIQUE, "select" INTEGER);
CREATE VIEW v1 AS SELECT a, b FROM t1;
CREATE VIEW "view two" AS SELECT x AS "the x", 1 FROM "odd name";
CREATE TRIGGER tr1 AFTER INSERT ON t1 BEGIN INSERT INTO "odd name" VALUES(new.a, 1); END;
CREATE TABLE t2(x BLOB, y) -- a trailing comment
;
CREATE TABLE aa(z);
CREATE TABLE bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb(z);
.tables
.tables t%
.tables nosuch
.indexes
.indexes t1
.indexes "odd name"
.schema
.schema t1
.schema v%
.schema nosuch
.schema --nosys
