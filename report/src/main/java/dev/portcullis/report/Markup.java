package dev.portcullis.report;

/**
 * Escaping for HTML and XML text and attribute values. Every string from an image, a feed or a policy goes through
 * {@link #escape} before it reaches a page: image content is hostile input.
 */
final class Markup {
    private Markup() {
    }

    /** Text safe inside an element or a quoted attribute of HTML or XML; characters XML forbids are dropped. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0xD800) || (c >= 0xE000 && c < 0xFFFE)
                            || c >= 0x10000) {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }
}
