-- Advisory documents are stored deflated (JSON compresses about tenfold; 500,000 OSV records stay well below a
-- gigabyte). The data is a copy of upstream feeds: it is dropped here and comes back with the next import, and the
-- download validators are cleared so that the next `db update` fetches every source again.
DROP TABLE vulndb_advisory;
CREATE TABLE vulndb_advisory (
    feed      TEXT NOT NULL,
    id        TEXT NOT NULL,
    hash      TEXT NOT NULL,
    document  BLOB NOT NULL,
    PRIMARY KEY (feed, id)
);
DELETE FROM vulndb_affected;
DELETE FROM vulndb_feed;
UPDATE vulndb_source SET etag = NULL, last_modified = NULL;
