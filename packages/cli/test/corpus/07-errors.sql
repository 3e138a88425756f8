-- Errors go to stderr in the shell's words; the run continues (no -bail) and exits 1.
CREATE TABLE e(a INTEGER PRIMARY KEY, b TEXT NOT NULL UNIQUE);
INSERT INTO e VALUES(1, 'one');
selec 1;
SELECT * FROM nosuch;
SELECT nosuchcol FROM e;
INSERT INTO e VALUES(1, 'again');
INSERT INTO e VALUES(2, 'one');
INSERT INTO e VALUES(3, NULL);
SELECT 1; selec 2; SELECT 3;
SELECT 'after errors', count(*) FROM e;
SELECT
  1 +
  ;
SELECT abs(-9223372036854775808);
CREATE TABLE e(x);
SELECT 'still running';
.bogus
.headers
.separator
.nullvalue
.read
.mode bogus
SELECT 'end';
SELECT 'incomplete' +
