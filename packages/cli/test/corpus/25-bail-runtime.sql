-- args: -bail -header
-- -bail stops at a runtime error part-way through a result; the rows before it are printed.
CREATE TABLE b(a);
INSERT INTO b VALUES(1), (2), (3);
SELECT a, CASE WHEN a < 3 THEN a ELSE abs(-9223372036854775808) END AS v FROM b;
SELECT 'never printed';
