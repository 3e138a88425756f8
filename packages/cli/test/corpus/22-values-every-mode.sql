-- Every value type through every output mode, headers on and off. REALs here print the same
-- in 3.40 and 3.53 as text; the literal modes (quote, insert, json) leave out the REALs
-- whose %!.20g differs (those are in reals-353.test.ts).
CREATE TABLE v(k INTEGER PRIMARY KEY, x);
INSERT INTO v(x) VALUES(0), (1), (-1), (9223372036854775807), (-9223372036854775808), (4294967296);
INSERT INTO v(x) VALUES(1e300), (-1e300), (1e-300), (0.1), (-0.0), (2.5), (-1.5), (65536.0), (123456.789), (1e-5);
INSERT INTO v(x) VALUES(''), ('plain'), ('日本語 ☃ é'), ('emoji 😀'), ('it''s "quoted"'), ('comma,here'), ('tab	here'), ('<b>&amp;</b>'), ('back\slash'), ('{brace} [x] $y');
INSERT INTO v(x) VALUES(x''), (x'00ff'), (x'cafe'), (x'68656c6c6f'), (NULL);
CREATE VIEW lit AS SELECT k, x FROM v WHERE typeof(x) <> 'real' OR x IN (-0.0, 2.5, -1.5, 65536.0);
.mode list
SELECT typeof(x), x FROM v;
.mode csv
SELECT typeof(x), x FROM v;
.mode tabs
SELECT typeof(x), x FROM v;
.mode line
SELECT typeof(x) AS type, x FROM v WHERE k % 3 = 0;
.mode column
SELECT k, typeof(x), x FROM v;
.mode box
SELECT k, typeof(x), x FROM v;
.mode table
SELECT k, typeof(x), x FROM v;
.mode markdown
SELECT k, typeof(x), x FROM v;
.mode html
SELECT k, x FROM v;
.mode tcl
SELECT k, x FROM v;
.mode ascii
SELECT k, x FROM v WHERE k < 4;
.mode quote
SELECT * FROM lit;
.mode insert vals
SELECT * FROM lit;
.mode json
SELECT * FROM lit;
.headers on
.mode list
SELECT typeof(x), x FROM v WHERE k % 2 = 1;
.mode csv
SELECT typeof(x), x FROM v WHERE k % 2 = 1;
.mode tabs
SELECT typeof(x), x FROM v WHERE k % 2 = 1;
.mode column
SELECT k, typeof(x), x FROM v WHERE k % 2 = 0;
.mode box
SELECT k, typeof(x), x FROM v WHERE k % 2 = 0;
.mode table
SELECT k, typeof(x), x AS "the value" FROM v WHERE k % 2 = 0;
.mode markdown
SELECT k, typeof(x), x FROM v WHERE k % 2 = 0;
.mode html
SELECT k, x AS "<x>" FROM v WHERE k % 4 = 0;
.mode tcl
SELECT k, x AS "a b" FROM v WHERE k % 4 = 0;
.mode quote
SELECT * FROM lit;
.mode insert
SELECT * FROM lit;
.mode json
SELECT x AS "j""son", typeof(x) FROM lit;
.mode line
SELECT k AS key, x AS "a longer name" FROM v WHERE k % 5 = 0;
