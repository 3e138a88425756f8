-- .import of CSV into a new and an existing table; .output, .once and .read.
.import --csv data.csv people
.headers on
SELECT * FROM people;
.schema people
CREATE TABLE typed(id INTEGER, name TEXT, score REAL, note TEXT);
.import --csv --skip 1 data.csv typed
SELECT id, typeof(id), name, score, typeof(score), note FROM typed;
.mode csv
.import data.csv viamode
SELECT count(*) FROM viamode;
.mode list
.output out.txt
SELECT 'to file';
.output
SELECT 'back to stdout';
.once once.txt
SELECT 'once only';
SELECT 'after once';
.read sub.sql
.read nosuchfile.sql
SELECT 'end';
