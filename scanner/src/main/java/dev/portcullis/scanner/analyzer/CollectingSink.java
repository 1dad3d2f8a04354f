package dev.portcullis.scanner.analyzer;

import java.util.ArrayList;
import java.util.List;

/**
 * A sink that keeps everything it is told, in order: what the image-configuration analyzers report during a scan,
 * and what analyzer tests look at.
 */
public final class CollectingSink implements Sink {
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
