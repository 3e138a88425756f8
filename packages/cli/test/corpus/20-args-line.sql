-- args: -line -echo
SELECT 1 AS a, 'x' AS bb;
