package dev.portcullis.vulndb.model;

import java.util.List;
import java.util.Objects;

/** An OSV range: its type ({@code ECOSYSTEM}, {@code SEMVER}, {@code GIT}) and events in feed order. */
public record Range(String type, List<Event> events) {
    public Range {
        Objects.requireNonNull(type, "type");
        events = List.copyOf(events);
    }

    /** One OSV range event. */
    public record Event(Kind kind, String version) {
        public Event {
            Objects.requireNonNull(kind, "kind");
            if (version == null || version.isBlank()) {
                throw new IllegalArgumentException(kind.osvName() + " event has no version");
            }
        }
    }

    /** The OSV event kinds. */
    public enum Kind {
        INTRODUCED("introduced"), FIXED("fixed"), LAST_AFFECTED("last_affected"), LIMIT("limit");

        private final String osvName;

        Kind(String osvName) {
            this.osvName = osvName;
        }

        public String osvName() {
            return osvName;
        }
    }
}
