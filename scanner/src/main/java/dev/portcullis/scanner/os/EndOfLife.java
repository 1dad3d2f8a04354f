package dev.portcullis.scanner.os;

import java.time.LocalDate;
import java.util.Map;

/**
 * End of security support for the distribution releases images are commonly built on. Dates are the last day
 * of any free security support the distribution itself publishes (Debian LTS, Alpine's per-branch end, Ubuntu
 * standard support, RHEL maintenance). Releases not in the table have an unknown end of life (null), which
 * policy can treat as it likes; it is not guessed.
 */
final class EndOfLife {
    private static final Map<String, Map<String, LocalDate>> TABLE = Map.of(
            "debian", Map.of(
                    "9", LocalDate.of(2022, 6, 30),
                    "10", LocalDate.of(2024, 6, 30),
                    "11", LocalDate.of(2026, 8, 31),
                    "12", LocalDate.of(2028, 6, 30),
                    "13", LocalDate.of(2030, 6, 30)),
            "alpine", Map.ofEntries(
                    Map.entry("3.10", LocalDate.of(2021, 5, 1)),
                    Map.entry("3.11", LocalDate.of(2021, 11, 1)),
                    Map.entry("3.12", LocalDate.of(2022, 5, 1)),
                    Map.entry("3.13", LocalDate.of(2022, 11, 1)),
                    Map.entry("3.14", LocalDate.of(2023, 5, 1)),
                    Map.entry("3.15", LocalDate.of(2023, 11, 1)),
                    Map.entry("3.16", LocalDate.of(2024, 5, 23)),
                    Map.entry("3.17", LocalDate.of(2024, 11, 22)),
                    Map.entry("3.18", LocalDate.of(2025, 5, 9)),
                    Map.entry("3.19", LocalDate.of(2025, 11, 1)),
                    Map.entry("3.20", LocalDate.of(2026, 4, 1)),
                    Map.entry("3.21", LocalDate.of(2026, 11, 1)),
                    Map.entry("3.22", LocalDate.of(2027, 5, 1))),
            "ubuntu", Map.of(
                    "18.04", LocalDate.of(2023, 5, 31),
                    "20.04", LocalDate.of(2025, 5, 31),
                    "22.04", LocalDate.of(2027, 6, 1),
                    "24.04", LocalDate.of(2029, 5, 31)),
            "rhel", Map.of(
                    "7", LocalDate.of(2024, 6, 30),
                    "8", LocalDate.of(2029, 5, 31),
                    "9", LocalDate.of(2032, 5, 31)));

    /** The end of life of {@code id} {@code versionId}; Alpine point releases share their branch's date. */
    LocalDate of(String id, String versionId) {
        if (id == null || versionId == null) {
            return null;
        }
        Map<String, LocalDate> releases = TABLE.get(id);
        if (releases == null) {
            return null;
        }
        String key = versionId;
        if (!releases.containsKey(key)) {
            // 3.10.3 → 3.10, 8.9 → 8
            String[] parts = versionId.split("\\.");
            if (parts.length == 0) {
                return null; // "." or "..": no release to look up
            }
            key = id.equals("alpine") && parts.length >= 2 ? parts[0] + "." + parts[1] : parts[0];
        }
        return releases.get(key);
    }
}
