-- Columnar modes with multi-line values, tabs and control characters.
CREATE TABLE w(a, b);
INSERT INTO w VALUES('one
two
three', 'x'), ('tab	stop', 'y'), ('short', 'z'), ('cr'||char(13)||char(10)||'lf', 'q'), ('ctl'||char(1)||'x', 'c');
.headers on
.mode column
SELECT * FROM w;
.mode box
SELECT * FROM w;
.mode table
SELECT * FROM w;
.mode markdown
SELECT * FROM w;
.mode box --wrap 3
SELECT * FROM w;
.mode table --quote
SELECT * FROM w;
.mode line
SELECT * FROM w;
.mode list
SELECT * FROM w;
