-- Statements across lines, several on one line, comments, triggers, "go" and "/".
CREATE TABLE log(msg TEXT);
CREATE TABLE t(a);
CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN
  INSERT INTO log VALUES('inserted ' || new.a);
  INSERT INTO log VALUES('second; statement');
END;
INSERT INTO t VALUES(1); INSERT INTO t VALUES(2);
SELECT * FROM log;
SELECT 'a;b', "a;b" FROM (SELECT 1 AS "a;b");
-- a comment; with a semicolon
/* a block
   comment; */ SELECT 'after block comment';
SELECT 1
go
SELECT 2
/
SELECT
  'multi',
  'line'
;
   
;
SELECT [x;y] FROM (SELECT 5 AS [x;y]);
SELECT 'trailing'; -- comment after
SELECT 'no semicolon at end'
