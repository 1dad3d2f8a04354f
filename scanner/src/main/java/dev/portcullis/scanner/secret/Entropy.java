package dev.portcullis.scanner.secret;

import java.util.HashMap;
import java.util.Map;

/** Shannon entropy in bits per character: random tokens score high, words and placeholders low. */
final class Entropy {
    /** Random base64 of 12+ characters scores above this; English words and simple patterns below. */
    static final double SECRET_THRESHOLD = 3.5;

    private Entropy() {
    }

    static double bitsPerChar(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        Map<Character, Integer> counts = new HashMap<>();
        for (int i = 0; i < s.length(); i++) {
            counts.merge(s.charAt(i), 1, Integer::sum);
        }
        double bits = 0;
        for (int c : counts.values()) {
            double p = (double) c / s.length();
            bits -= p * Math.log(p) / Math.log(2);
        }
        return bits;
    }
}
