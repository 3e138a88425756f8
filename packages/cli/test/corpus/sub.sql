-- read by 16-import.sql
SELECT 'from sub', count(*) FROM people;
SELECT * FROM nosuch_in_sub;
.headers off
SELECT 'sub done';
