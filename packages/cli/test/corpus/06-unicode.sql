-- Unicode text and names; wide characters in columnar modes (counted as characters).
CREATE TABLE u(name TEXT, "名前" TEXT, n INTEGER);
INSERT INTO u VALUES('plain', '日本語', 1), ('café', 'ü', 22), ('😀 emoji', '한국어 텍스트', 333);
.headers on
SELECT * FROM u;
.mode column
SELECT * FROM u;
.mode box
SELECT * FROM u;
.mode table
SELECT * FROM u;
.mode markdown
SELECT * FROM u;
.mode line
SELECT * FROM u;
.mode csv
SELECT * FROM u;
.mode json
SELECT * FROM u;
.mode quote
SELECT * FROM u;
.mode insert
SELECT * FROM u;
.mode list
SELECT upper('straße'), length('日本語'), unicode('é'), char(9731);
