-- .tables, .indexes, .schema and .dump over indexes (unique, partial, multi-column, DESC,
-- COLLATE, automatic), views (with a column list) and triggers (BEFORE/AFTER/INSTEAD OF,
-- UPDATE OF, WHEN), with comments kept in the stored text.
CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE UNIQUE, qty INT DEFAULT 0, price REAL, note);
CREATE TABLE tagq(pid INTEGER, tag TEXT, PRIMARY KEY (pid, tag));
CREATE INDEX item_qty ON item(qty DESC, price);
CREATE UNIQUE INDEX item_note ON item(note COLLATE NOCASE) WHERE note IS NOT NULL;
CREATE INDEX tag_tag ON tagq(tag) /* tag lookups */ ;
CREATE VIEW itemv(n, total) AS SELECT name, qty * price FROM item;
CREATE VIEW itemq AS SELECT item.name, tagq.tag FROM item JOIN tagq ON tagq.pid = item.id -- joined
;
CREATE TABLE audit(at INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT);
CREATE TRIGGER item_ins AFTER INSERT ON item BEGIN INSERT INTO audit(what) VALUES('ins ' || new.name); END;
CREATE TRIGGER item_upd BEFORE UPDATE OF qty, price ON item WHEN new.qty < 0 BEGIN
  SELECT RAISE(ABORT, 'negative qty');
END;
CREATE TRIGGER itemv_ins INSTEAD OF INSERT ON itemv BEGIN
  INSERT INTO item(name, qty, price) VALUES(new.n, 1, new.total);
END;
INSERT INTO item(name, qty, price, note) VALUES('apple', 3, 0.5, 'red'), ('Pear', 0, 2.25, NULL);
INSERT INTO tagq VALUES(1, 'fruit'), (1, 'red'), (2, 'fruit');
INSERT INTO itemv VALUES('fig', 4.5);
UPDATE item SET qty = -1 WHERE name = 'apple';
SELECT * FROM audit;
.tables
.tables it%
.indexes
.indexes item
.indexes tagq
.schema item
.schema it%
.schema --indent itemv
.schema audit
.dump item
.dump ta%
.dump
.headers on
.mode column
SELECT * FROM itemv ORDER BY n;
SELECT * FROM itemq ORDER BY 1, 2;
