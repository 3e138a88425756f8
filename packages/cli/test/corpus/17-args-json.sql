-- args: -json
SELECT 1 AS a, 'x' AS b, NULL AS c;
SELECT 2.5 AS r;
