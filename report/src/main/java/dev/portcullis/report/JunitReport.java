package dev.portcullis.report;

import dev.portcullis.policy.Reason;
import java.nio.charset.StandardCharsets;

/**
 * JUnit XML, the report format every CI system shows: one test suite for the image, one failing test case per
 * rejection (the message says what to change), one passing test case per warning with the warning as output, and a
 * passing {@code verdict} case when nothing rejects.
 */
final class JunitReport {
    private JunitReport() {
    }

    static byte[] render(VerdictReport r) {
        StringBuilder cases = new StringBuilder();
        for (Reason x : r.verdict().rejections()) {
            cases.append("    <testcase classname=\"").append(Markup.escape(x.rule())).append("\" name=\"")
                    .append(Markup.escape(name(x))).append("\">\n      <failure type=\"").append(x.action().yamlName())
                    .append("\" message=\"").append(Markup.escape(x.message())).append("\">")
                    .append(Markup.escape(Explanation.of(x))).append("</failure>\n    </testcase>\n");
        }
        for (Reason x : r.verdict().warnings()) {
            cases.append("    <testcase classname=\"").append(Markup.escape(x.rule())).append("\" name=\"")
                    .append(Markup.escape(name(x))).append("\">\n      <system-out>")
                    .append(Markup.escape(Explanation.of(x))).append("</system-out>\n    </testcase>\n");
        }
        if (r.verdict().rejections().isEmpty()) {
            cases.append("    <testcase classname=\"gate\" name=\"verdict\"/>\n");
        }
        int tests = r.verdict().rejections().size() + r.verdict().warnings().size()
                + (r.verdict().rejections().isEmpty() ? 1 : 0);
        String suite = r.repository() + "@" + r.digest();
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<testsuites name=\"portcullis gate\" tests=\"" + tests + "\" failures=\""
                + r.verdict().rejections().size() + "\">\n"
                + "  <testsuite name=\"" + Markup.escape(suite) + "\" tests=\"" + tests + "\" failures=\""
                + r.verdict().rejections().size() + "\" errors=\"0\" skipped=\"0\" timestamp=\""
                + r.verdict().evaluatedAt() + "\">\n"
                + cases
                + "  </testsuite>\n</testsuites>\n";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private static String name(Reason x) {
        return x.packageName().isEmpty() ? x.item() : x.item() + " in " + x.packageName();
    }
}
