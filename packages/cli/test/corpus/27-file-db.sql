-- args: test.db -header
-- A database file named on the command line: .databases, writes that persist to a
-- second .open of the same file, .open of another file and back.
.databases
CREATE TABLE f(a INTEGER PRIMARY KEY, b TEXT);
INSERT INTO f(b) VALUES('one'), ('two');
.open test.db
SELECT * FROM f;
.open other.db
.tables
CREATE TABLE g(x);
.tables
.open test.db
.tables
SELECT count(*) AS n FROM f;
.databases
