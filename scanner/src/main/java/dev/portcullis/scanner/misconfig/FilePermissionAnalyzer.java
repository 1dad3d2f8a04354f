package dev.portcullis.scanner.misconfig;

import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.Severity;
import dev.portcullis.scanner.analyzer.Sink;

/**
 * Files whose permissions widen what a process in the container can do: setuid/setgid files (CIS 4.8) and
 * world-writable regular files. Judged from the tar header's mode alone; the content is not read. Each layer
 * reports the files it adds, so the layer in the finding names who introduced the file.
 */
public final class FilePermissionAnalyzer implements Analyzer {
    private static final int SETUID = 04000;
    private static final int SETGID = 02000;
    private static final int WORLD_WRITABLE = 0002;

    @Override
    public String id() {
        return "file-permissions";
    }

    @Override
    public int version() {
        return 1;
    }

    /** The mode is what matters: see the three-argument form. */
    @Override
    public boolean accepts(String path, long size) {
        return false;
    }

    @Override
    public boolean accepts(String path, long size, int mode) {
        return (mode & (SETUID | SETGID | WORLD_WRITABLE)) != 0;
    }

    @Override
    public void analyze(LayerFile file, Sink sink) {
        int mode = file.mode();
        String octal = String.format("%04o", mode & 07777);
        if ((mode & (SETUID | SETGID)) != 0) {
            String kind = (mode & SETUID) != 0 && (mode & SETGID) != 0 ? "setuid and setgid"
                    : (mode & SETUID) != 0 ? "setuid" : "setgid";
            sink.misconfiguration(new Misconfiguration("setuid-setgid-file", Severity.MEDIUM,
                    kind + " file", file.path(), kind + " (mode " + octal + ") in layer " + file.layer(), "4.8"));
        }
        if ((mode & WORLD_WRITABLE) != 0) {
            sink.misconfiguration(new Misconfiguration("world-writable-file", Severity.MEDIUM,
                    "world-writable file", file.path(), "mode " + octal + " in layer " + file.layer(), null));
        }
    }
}
