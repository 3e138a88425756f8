-- NULL rendering with .nullvalue in every mode.
CREATE TABLE n(a, b, c);
INSERT INTO n VALUES(NULL, 1, NULL), ('x', NULL, NULL);
.nullvalue <null>
.headers on
.mode list
SELECT * FROM n;
.mode csv
SELECT * FROM n;
.mode line
SELECT * FROM n;
.mode column
SELECT * FROM n;
.mode box
SELECT * FROM n;
.mode table
SELECT * FROM n;
.mode markdown
SELECT * FROM n;
.mode json
SELECT * FROM n;
.mode insert
SELECT * FROM n;
.mode quote
SELECT * FROM n;
.mode tabs
SELECT * FROM n;
.nullvalue ''
.mode list
SELECT NULL, NULL;
.nullvalue NULL
SELECT NULL AS "null", 'NULL';
-- Unbound parameters are NULL (the shell binds nothing), anonymous and named alike.
.mode list
SELECT ?1, :a, ?, @b, $c, ?, typeof(?);
CREATE TABLE p(x);
INSERT INTO p VALUES(?), (:v);
SELECT count(*), count(x) FROM p;
EXPLAIN QUERY PLAN SELECT * FROM n WHERE a = ?;
