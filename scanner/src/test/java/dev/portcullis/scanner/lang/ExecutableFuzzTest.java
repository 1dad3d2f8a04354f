package dev.portcullis.scanner.lang;

import static dev.portcullis.scanner.lang.testing.Fuzz.parsesOrRejects;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.CollectingSink;
import dev.portcullis.scanner.lang.testing.Fixtures;
import java.io.ByteArrayInputStream;

/**
 * The executable analyzer (ELF header, section table window, Go build info, cargo-auditable) on arbitrary bytes
 * after an ELF magic: problems must come out as unreadable entries, never as exceptions. A normal build replays
 * the seeds in {@code ExecutableFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (see bench/fuzz/README.md).
 */
class ExecutableFuzzTest {
    private final ExecutableAnalyzer analyzer = new ExecutableAnalyzer();

    @FuzzTest(maxDuration = "30s")
    void readsAnyElf(byte[] input) throws Exception {
        byte[] elf = new byte[input.length + 4];
        elf[0] = 0x7f;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        System.arraycopy(input, 0, elf, 4, input.length);
        parsesOrRejects(() -> analyzer.analyze(new LayerFile(Fixtures.LAYER, "bin/x", elf.length, 0755,
                new ByteArrayInputStream(elf)), new CollectingSink()));
    }
}
