-- args: -csv -header -cmd ".nullvalue N"
SELECT 1 AS a, NULL AS b, 'c d' AS c;
