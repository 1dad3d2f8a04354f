package dev.portcullis.scanner.analyzer;

/** Where analyzers report what they found in a file. Implementations are thread-confined to one layer walk. */
public interface Sink {

    void pkg(Package pkg);

    /** Facts about the operating system, from {@code etc/os-release} and friends. */
    void os(OsInfo os);

    void misconfiguration(Misconfiguration finding);

    void secret(SecretFinding finding);

    /** Something that could not be read: the gate treats it as a gap in what it knows (fail closed). */
    void unreadable(Unreadable problem);
}
