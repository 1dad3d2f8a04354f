package dev.portcullis.vulndb.version;

import java.util.Comparator;

/**
 * The {@code [epoch:]version[-release]} shape dpkg and rpm versions share (dpkg calls the parts upstream version and
 * revision). Splitting and the epoch-first comparison live here; each scheme validates the parts and compares them
 * with its own algorithm.
 */
record EpochVersionRelease(long epoch, String version, String release) {

    /** Splits {@code v}; the release is empty when there is no {@code -}. Bounded: at most 256 characters. */
    static EpochVersionRelease split(String scheme, String v) {
        if (v == null || v.isBlank() || v.length() > 256) {
            throw new InvalidVersionException(scheme, String.valueOf(v), "empty or too long");
        }
        String s = v.strip();
        long epoch = 0;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            String e = s.substring(0, colon);
            if (e.isEmpty() || e.length() > 9 || !e.chars().allMatch(Character::isDigit)) {
                throw new InvalidVersionException(scheme, v, "epoch is not a number");
            }
            epoch = Long.parseLong(e);
            s = s.substring(colon + 1);
        }
        String release = "";
        int dash = s.lastIndexOf('-');
        if (dash >= 0) {
            release = s.substring(dash + 1);
            s = s.substring(0, dash);
        }
        return new EpochVersionRelease(epoch, s, release);
    }

    /** Epoch first, then version, then release, the parts compared by {@code parts}. */
    int compareTo(EpochVersionRelease other, Comparator<String> parts) {
        int c = Long.compare(epoch, other.epoch);
        if (c != 0) {
            return c;
        }
        c = parts.compare(version, other.version);
        return c != 0 ? c : parts.compare(release, other.release);
    }
}
