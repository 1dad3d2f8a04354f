package dev.portcullis.scanner.lang;

import static dev.portcullis.scanner.lang.testing.Fixtures.analyze;
import static dev.portcullis.scanner.lang.testing.Fixtures.purls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.scanner.analyzer.CollectingSink;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class ExecutableAnalyzerTest {
    private final ExecutableAnalyzer analyzer = new ExecutableAnalyzer();

    private static final String AUDIT = """
            {"packages":[
              {"name":"myapp","version":"0.1.0","source":"local","dependencies":[1,2],"root":true},
              {"name":"serde","version":"1.0.152","source":"crates.io"},
              {"name":"cc","version":"1.0.79","source":"crates.io","kind":"build"},
              {"name":"forked","version":"0.2.0","source":"git"}]}""";

    @Test
    void cargoAuditableSectionOfARustBinary() {
        byte[] elf = elfWithSections(200_000, ".dep-v0", zlib(AUDIT.getBytes(StandardCharsets.UTF_8)));

        CollectingSink sink = analyze(analyzer, "usr/local/bin/myapp", elf, 0755);

        assertThat(sink.unreadable).isEmpty();
        assertThat(purls(sink)).containsExactly("pkg:cargo/serde@1.0.152", "pkg:cargo/forked@0.2.0");
        assertThat(sink.packages).allSatisfy(p -> assertThat(p.properties()).containsEntry("evidence",
                "cargo-auditable"));
    }

    @Test
    void anElfWithoutTheSectionYieldsNothing() {
        CollectingSink sink = analyze(analyzer, "usr/bin/tool", elfWithSections(5000, ".comment",
                "GCC: (Debian 12.2.0-14) 12.2.0".getBytes(StandardCharsets.UTF_8)), 0755);
        assertThat(sink.packages).isEmpty();
        assertThat(sink.unreadable).isEmpty();
    }

    @Test
    void aSectionOutsideTheWindowOrCorruptDataIsUnreadable() {
        CollectingSink far = analyze(analyzer, "bin/far", elfWithSections(200, ".dep-v0", zlib(AUDIT.getBytes(
                StandardCharsets.UTF_8)), ElfSections.WINDOW + 1000), 0755);
        assertThat(far.unreadable).singleElement().satisfies(u -> assertThat(u.reason()).contains("outside"));
        CollectingSink corrupt = analyze(analyzer, "bin/bad", elfWithSections(5000, ".dep-v0",
                "not zlib".getBytes(StandardCharsets.UTF_8)), 0755);
        assertThat(corrupt.unreadable).singleElement().satisfies(u -> assertThat(u.reason()).contains("zlib"));
    }

    static byte[] zlib(byte[] data) {
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        byte[] buf = new byte[data.length + 64];
        int n = d.deflate(buf);
        d.end();
        return Arrays.copyOf(buf, n);
    }

    static byte[] elfWithSections(int padding, String name, byte[] content) {
        return elfWithSections(padding, name, content, 0);
    }

    /**
     * A little-endian ELF64 file: header, {@code padding} bytes, the named section, {@code gap} bytes (other
     * sections such as debug info), the section-name table, then the section header table (null, named, shstrtab).
     */
    static byte[] elfWithSections(int padding, String name, byte[] content, int gap) {
        byte[] names = ("\0" + name + "\0.shstrtab\0").getBytes(StandardCharsets.ISO_8859_1);
        long sectionAt = 64 + padding;
        long namesAt = sectionAt + content.length + gap;
        long shoff = namesAt + names.length;
        ByteBuffer h = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        h.putShort(0x10, (short) 2).putShort(0x12, (short) 62).putLong(0x28, shoff).putShort(0x3a, (short) 64)
                .putShort(0x3c, (short) 3).putShort(0x3e, (short) 2);
        ByteBuffer table = ByteBuffer.allocate(3 * 64).order(ByteOrder.LITTLE_ENDIAN);
        table.putInt(64, 1).putLong(64 + 24, sectionAt).putLong(64 + 32, content.length);
        table.putInt(128, 2 + name.length()).putInt(128 + 4, 3).putLong(128 + 24, namesAt)
                .putLong(128 + 32, names.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.array());
        out.writeBytes(new byte[padding]);
        out.writeBytes(content);
        out.writeBytes(new byte[gap]);
        out.writeBytes(names);
        out.writeBytes(table.array());
        return out.toByteArray();
    }
}
