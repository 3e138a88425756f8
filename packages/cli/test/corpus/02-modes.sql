-- Each output mode, headers off then on.
CREATE TABLE m(a INTEGER, b TEXT, c REAL, d BLOB, e);
INSERT INTO m VALUES(1, 'alpha', 2.5, x'cafe', NULL);
INSERT INTO m VALUES(-20, 'with "quotes"', 100.0, x'', 'x,y');
INSERT INTO m VALUES(300, 'comma, here', 0.5, NULL, 'it''s');
.mode list
SELECT * FROM m;
.mode csv
SELECT * FROM m;
.mode line
SELECT * FROM m;
.mode column
SELECT * FROM m;
.mode box
SELECT * FROM m;
.mode table
SELECT * FROM m;
.mode markdown
SELECT * FROM m;
.mode json
SELECT * FROM m;
.mode insert
SELECT * FROM m;
.mode insert target_tbl
SELECT * FROM m;
.mode quote
SELECT * FROM m;
.mode tabs
SELECT * FROM m;
.mode html
SELECT * FROM m;
.mode tcl
SELECT * FROM m;
.headers on
.mode list
SELECT * FROM m;
.mode csv
SELECT * FROM m;
.mode line
SELECT * FROM m;
.mode column
SELECT * FROM m;
.mode box
SELECT * FROM m;
.mode table
SELECT * FROM m;
.mode markdown
SELECT * FROM m;
.mode json
SELECT * FROM m;
.mode insert
SELECT * FROM m;
.mode quote
SELECT * FROM m;
.mode tabs
SELECT * FROM m;
.mode html
SELECT * FROM m;
.mode tcl
SELECT * FROM m;
.mode
.mode box
.mode
.mode bogus
