SELECT 'before';
.bail on
SELECT * FROM missing;
SELECT 'never printed';
