package dev.portcullis.scanner.testing;

import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.OsInfo;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.Sink;
import dev.portcullis.scanner.analyzer.Unreadable;
import java.util.ArrayList;
import java.util.List;

/** A sink that keeps everything, for analyzer tests. */
public final class RecordingSink implements Sink {
    public final List<Package> packages = new ArrayList<>();
    public final List<OsInfo> os = new ArrayList<>();
    public final List<Misconfiguration> misconfigurations = new ArrayList<>();
    public final List<SecretFinding> secrets = new ArrayList<>();
    public final List<Unreadable> unreadable = new ArrayList<>();

    @Override
    public void pkg(Package pkg) {
        packages.add(pkg);
    }

    @Override
    public void os(OsInfo info) {
        os.add(info);
    }

    @Override
    public void misconfiguration(Misconfiguration finding) {
        misconfigurations.add(finding);
    }

    @Override
    public void secret(SecretFinding finding) {
        secrets.add(finding);
    }

    @Override
    public void unreadable(Unreadable problem) {
        unreadable.add(problem);
    }
}
