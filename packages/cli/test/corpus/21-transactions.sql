-- DML in transactions, RETURNING, upsert, changes.
CREATE TABLE k(id INTEGER PRIMARY KEY, v TEXT UNIQUE, n INTEGER DEFAULT 0);
BEGIN;
INSERT INTO k(v) VALUES('a'), ('b'), ('c');
UPDATE k SET n = n + 1 WHERE v <> 'b';
COMMIT;
.headers on
SELECT * FROM k;
BEGIN;
DELETE FROM k;
ROLLBACK;
SELECT count(*) FROM k;
INSERT INTO k(v) VALUES('d') RETURNING id, v;
INSERT INTO k(v) VALUES('a') ON CONFLICT(v) DO UPDATE SET n = n + 10 RETURNING *;
.mode box
SELECT v, n, changes(), total_changes() FROM k ORDER BY v;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x, x * x FROM c;
SELECT group_concat(v, '-') FROM k;
COMMIT;
