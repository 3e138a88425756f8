-- BLOBs: raw bytes in text modes (ending at a NUL), X'..' in quote and insert modes.
CREATE TABLE b(x BLOB);
INSERT INTO b VALUES(x'68656c6c6f'), (x''), (x'00ff00'), (x'ff'), (x'e697a5'), (NULL);
SELECT x, length(x), hex(x) FROM b;
.headers on
.mode quote
SELECT x FROM b;
.mode insert
SELECT x FROM b;
.mode csv
SELECT x FROM b;
.mode json
SELECT x FROM b;
.mode line
SELECT x FROM b;
.mode box
SELECT hex(x), x FROM b WHERE x IS NOT NULL AND x NOT GLOB '*[^a-z]*';
