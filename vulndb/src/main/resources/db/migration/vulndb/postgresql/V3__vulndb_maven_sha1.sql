-- Maven coordinates by the SHA-1 of the artifact's file, from an imported index (docs: "SHA-1 index"): identifies
-- jars that carry no pom.properties and whose manifest and file name do not say who they are. An import replaces
-- the whole index.
CREATE TABLE vulndb_maven_sha1 (
    sha1         TEXT PRIMARY KEY,
    group_id     TEXT NOT NULL,
    artifact_id  TEXT NOT NULL,
    version      TEXT NOT NULL
);
