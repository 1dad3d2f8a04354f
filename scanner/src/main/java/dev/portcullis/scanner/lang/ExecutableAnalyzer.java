package dev.portcullis.scanner.lang;

import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Sink;
import dev.portcullis.scanner.analyzer.Unreadable;
import dev.portcullis.scanner.lang.golang.GoBinaries;
import dev.portcullis.scanner.lang.rust.CargoAuditable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Executable ELF files, read once for what compilers embed: Go build info ({@link GoBinaries}) and
 * cargo-auditable dependency lists ({@link CargoAuditable}). One analyzer for both so that a large binary is
 * streamed once rather than buffered for two readers. Anything not executable is not offered; anything not ELF
 * is dismissed after its first bytes.
 */
public final class ExecutableAnalyzer implements Analyzer {
    static final long MAX_BYTES = 1L << 30;

    @Override
    public String id() {
        return "executables";
    }

    @Override
    public int version() {
        return 1;
    }

    /** Without the mode bits an executable cannot be told from data: see the three-argument form. */
    @Override
    public boolean accepts(String path, long size) {
        return false;
    }

    @Override
    public boolean accepts(String path, long size, int mode) {
        return (mode & 0111) != 0 && size > 1024 && size <= MAX_BYTES && !path.endsWith(".so")
                && !path.contains(".so.") && !path.endsWith(".sh") && !path.endsWith(".py");
    }

    @Override
    public void analyze(LayerFile file, Sink sink) throws IOException {
        byte[] header = file.content().readNBytes(ElfSections.HEADER_BYTES);
        if (header.length < 4 || header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F') {
            return;
        }
        Optional<ElfSections> sections = ElfSections.of(header, file.size());
        InputStream in = sections.map(s -> s.tap(file.content())).orElse(file.content());
        GoBinaries.analyze(in, header.length, file, sink);
        if (sections.isEmpty()) {
            return;
        }
        in.transferTo(OutputStream.nullOutputStream());
        try {
            sections.get().section(CargoAuditable.SECTION).ifPresent(s -> CargoAuditable.analyze(s, file, sink));
        } catch (PackageDataException e) {
            sink.unreadable(new Unreadable(file.layer(), file.path(), e.getMessage()));
        }
    }
}
