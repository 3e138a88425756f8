-- Every storage class through the default list mode, with and without headers.
CREATE TABLE v(id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, n);
INSERT INTO v VALUES(1, 0, 0.1, 'plain', x'41424344', NULL);
INSERT INTO v VALUES(2, 9223372036854775807, 1e100, 'it''s', x'', NULL);
INSERT INTO v VALUES(3, -9223372036854775808, -0.0, '', x'00', 'x');
INSERT INTO v VALUES(4, -1, 1.5e-7, 'tab	here', x'68656c6c6f', 42);
INSERT INTO v VALUES(5, 4294967296, 2.5, 'line1
line2', NULL, 3.14);
SELECT * FROM v;
.headers on
SELECT * FROM v ORDER BY id DESC;
SELECT typeof(i), typeof(r), typeof(t), typeof(b), typeof(n) FROM v;
SELECT 1, 'one', 1.0, x'01', NULL;
SELECT 9223372036854775807 + 0, -9223372036854775807 - 1, 100.0, 1e-300, 3.14159;
.headers off
SELECT count(*), sum(i > 0), max(t), min(r) FROM v;
SELECT * FROM v WHERE 0;
