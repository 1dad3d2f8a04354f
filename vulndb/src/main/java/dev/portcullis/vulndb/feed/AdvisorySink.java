package dev.portcullis.vulndb.feed;

import dev.portcullis.vulndb.model.Advisory;

/** Where importers deliver what they read. */
public interface AdvisorySink {

    /** A document of {@code feed} starts; a snapshot feed is emptied the first time, even if no record follows. */
    void begin(Feed feed);

    void accept(Feed feed, Advisory advisory);

    /** A record withdrawn by its source: it is removed if present. */
    void withdrawn(Feed feed, String id);
}
