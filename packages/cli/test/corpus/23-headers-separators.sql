-- .headers, .separator and .nullvalue together, in the modes that use them.
CREATE TABLE h(a INTEGER, "b c" TEXT, d REAL, e BLOB, f);
INSERT INTO h VALUES(1, 'one', 1.5, x'41', NULL), (NULL, 'two, "2"', NULL, NULL, 'x|y'), (-3, NULL, -0.0, x'', '');
SELECT * FROM h;
.headers on
SELECT * FROM h;
.nullvalue NIL
SELECT * FROM h;
.separator " :: "
SELECT * FROM h;
.separator "," "\r\n"
SELECT * FROM h;
.separator | "\n"
.mode csv
SELECT * FROM h;
.separator ;
SELECT * FROM h;
.mode tabs
SELECT * FROM h;
.mode list
SELECT * FROM h;
.mode quote
SELECT * FROM h;
.mode json
SELECT * FROM h;
.mode insert
SELECT * FROM h;
.mode column
SELECT * FROM h;
.mode box
SELECT * FROM h;
.mode line
SELECT * FROM h;
.headers off
.mode column
SELECT * FROM h;
.mode markdown
SELECT * FROM h;
.mode ascii
SELECT * FROM h;
.mode list
.separator ^ ~
SELECT * FROM h;
.nullvalue ''
.separator |
.headers on
SELECT a AS "", "b c" AS " " FROM h;
SELECT 1 WHERE 0;
.show
