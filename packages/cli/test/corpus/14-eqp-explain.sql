-- .eqp on prints the plan before each query; EXPLAIN QUERY PLAN draws a tree.
CREATE TABLE t(a INTEGER PRIMARY KEY, b);
INSERT INTO t VALUES(1, 'x');
.eqp on
SELECT * FROM t;
SELECT b FROM t WHERE a = 1;
.eqp off
EXPLAIN QUERY PLAN SELECT * FROM t;
SELECT 'done';
