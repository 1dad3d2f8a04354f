package dev.portcullis.scanner.lang.golang;

import static dev.portcullis.scanner.lang.testing.Fixtures.analyze;
import static dev.portcullis.scanner.lang.testing.Fixtures.purls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.scanner.lang.ExecutableAnalyzer;
import dev.portcullis.scanner.lang.Listed;
import dev.portcullis.scanner.analyzer.CollectingSink;
import dev.portcullis.scanner.lang.testing.CorpusImage;
import dev.portcullis.scanner.lang.testing.Inventory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GoAnalyzersTest {
    private final ExecutableAnalyzer binary = new ExecutableAnalyzer();

    @Test
    void findsExactlyTheGoAppInventory() throws Exception {
        CorpusImage image = CorpusImage.open("go-app");
        CollectingSink sink = image.scan(binary);

        assertThat(Inventory.actual(sink.packages)).containsExactlyInAnyOrderElementsOf(
                Inventory.expected(image.inventory()));
        assertThat(sink.unreadable).isEmpty();
    }

    @Test
    void dependenciesAndReplacementsFromBuildInfo() {
        String modinfo = "0w\u00af\f\u0092t\b\u0002A\u00e1\u00c1\u0007\u00e6\u00d6\u0018\u00e6"
                + "path\texample.com/app/cmd\n"
                + "mod\texample.com/app\tv1.4.0\th1:abc=\n"
                + "dep\tgithub.com/Masterminds/semver/v3\tv3.2.1\th1:x=\n"
                + "dep\tgolang.org/x/net\tv0.7.0\th1:y=\n"
                + "=>\tgithub.com/fork/net\tv0.8.0\th1:z=\n"
                + "dep\texample.com/local\tv0.0.0\n"
                + "=>\t../local\t\t\n"
                + "build\tGOOS=linux\n"
                + "\u00f92C1\u0086\u0018 r\u0000\u0082B\u0010A\u0016\u00d8\u00f2";
        // place the header past the first read chunk so that it straddles the carry-over
        byte[] elf = elf(70_001, "go1.21.5 X:boringcrypto", modinfo, 0x2);

        CollectingSink sink = analyze(binary, "srv/app", elf, 0755);

        assertThat(sink.unreadable).isEmpty();
        assertThat(purls(sink)).containsExactly("pkg:golang/stdlib@v1.21.5", "pkg:golang/example.com/app@v1.4.0",
                "pkg:golang/github.com/masterminds/semver/v3@v3.2.1", "pkg:golang/github.com/fork/net@v0.8.0",
                "pkg:golang/example.com/local@v0.0.0");
        assertThat(sink.packages.get(2).name()).isEqualTo("github.com/Masterminds/semver/v3");
        assertThat(sink.packages.get(2).version()).isEqualTo("3.2.1");
    }

    @Test
    void onlyExecutableElfFilesAreRead() {
        assertThat(binary.accepts("usr/bin/x", 4096, 0644)).isFalse();
        assertThat(binary.accepts("usr/lib/libc.so.6", 4096, 0755)).isFalse();
        assertThat(binary.accepts("usr/bin/x", 4096, 0755)).isTrue();
        byte[] script = ("#!/bin/sh\n" + "x".repeat(2000)).getBytes(StandardCharsets.UTF_8);
        assertThat(analyze(binary, "usr/bin/run", script, 0755).packages).isEmpty();
        byte[] cBinary = new byte[4096];
        System.arraycopy(new byte[] {0x7f, 'E', 'L', 'F'}, 0, cBinary, 0, 4);
        CollectingSink notGo = analyze(binary, "usr/bin/c", cBinary, 0755);
        assertThat(notGo.packages).isEmpty();
        assertThat(notGo.unreadable).isEmpty();
    }

    @Test
    void oldPointerFormatAndTruncationAreUnreadable() {
        assertThat(analyze(binary, "bin/old", elf(64, "go1.16", "", 0x0), 0755).unreadable)
                .singleElement().satisfies(u -> assertThat(u.reason()).contains("before Go 1.18"));
        assertThat(analyze(binary, "bin/cut", Arrays.copyOf(elf(1100, "go1.20", "x".repeat(300), 0x2),
                1100 + 32 + 100), 0755).unreadable).singleElement()
                .satisfies(u -> assertThat(u.reason()).contains("truncated"));
    }

    @Test
    void goModRequiresAndReplacements() {
        String mod = """
                module example.com/app

                go 1.21

                require github.com/pkg/errors v0.9.1

                require (
                	golang.org/x/text v0.3.7 // indirect
                	example.com/old v1.0.0
                	example.com/local v1.0.0
                )

                replace example.com/old => example.com/new v1.2.0
                replace example.com/local => ../local
                """;
        assertThat(GoMod.parse(mod.getBytes(StandardCharsets.UTF_8))).containsExactly(
                new Listed("github.com/pkg/errors", "v0.9.1", false),
                new Listed("golang.org/x/text", "v0.3.7", false),
                new Listed("example.com/new", "v1.2.0", false),
                new Listed("example.com/local", "v1.0.0", false));
        assertThat(purls(analyze(GoMod.analyzer(), "src/go.mod", mod))).first()
                .isEqualTo("pkg:golang/github.com/pkg/errors@v0.9.1");
    }

    /** An ELF-looking file with the build info header at {@code offset} (rounded up to 16). */
    static byte[] elf(int offset, String version, String modinfo, int flags) {
        int at = (offset + 15) / 16 * 16;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x7f, 'E', 'L', 'F'});
        out.writeBytes(new byte[at - 4]);
        out.writeBytes(BuildInfo.MAGIC);
        out.write(8);
        out.write(flags);
        out.writeBytes(new byte[16]);
        for (String s : new String[] {version, modinfo}) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            int n = b.length;
            while (n >= 0x80) {
                out.write((n & 0x7f) | 0x80);
                n >>>= 7;
            }
            out.write(n);
            out.writeBytes(b);
        }
        out.writeBytes(new byte[2048]);
        return out.toByteArray();
    }
}
