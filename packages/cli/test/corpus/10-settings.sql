-- .separator, .width, .echo, .changes, .show and the -header/-csv style options.
CREATE TABLE s(a, b);
INSERT INTO s VALUES(1, 'x'), (2, 'y');
.separator ; ~
SELECT * FROM s;
.separator "\t" "\n"
SELECT * FROM s;
.separator ,
SELECT * FROM s;
.separator |
.show
.echo on
SELECT 'echoed';
.echo off
.changes on
INSERT INTO s VALUES(3, 'z');
UPDATE s SET b = 'w';
SELECT 'changes shown';
.changes off
DELETE FROM s WHERE a = 3;
.mode column
.width 3 10
SELECT 'abcdefgh', 'x';
.width -6 4
SELECT 12, 'abcdefghij';
.width
SELECT * FROM s;
.headers off
SELECT * FROM s;
.mode box
.width 4
SELECT 'abcdefghij' AS long, 'short';
.width
.mode list
.headers on
.show
