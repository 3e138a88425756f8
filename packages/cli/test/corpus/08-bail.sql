-- args: -bail
SELECT 'before';
CREATE TABLE t(a UNIQUE);
INSERT INTO t VALUES(1);
INSERT INTO t VALUES(1);
SELECT 'never printed';
