-- args: -box -noheader
SELECT 1 AS a, 'x' AS b;
.mode column
SELECT 1 AS a, 'x' AS b;
