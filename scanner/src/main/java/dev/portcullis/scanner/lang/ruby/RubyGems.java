package dev.portcullis.scanner.lang.ruby;

import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.lang.Listed;
import dev.portcullis.scanner.lang.PackageDataException;
import dev.portcullis.scanner.lang.PackageFileAnalyzer;
import dev.portcullis.scanner.lang.Packages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RubyGems: installed gems from the {@code specifications/*.gemspec} files RubyGems writes (Ruby source, read
 * by pattern, never evaluated) and declared gems from {@code Gemfile.lock}.
 */
public final class RubyGems {
    static final int MAX_LINE = 64 * 1024;
    private static final String STRING = "(?:\"([^\"]*)\"|'([^']*)'|%q\\{([^}]*)})(?:\\.freeze)?";
    private static final Pattern NAME = Pattern.compile("^\\s*\\w+\\.name\\s*=\\s*" + STRING);
    private static final Pattern VERSION = Pattern.compile("^\\s*\\w+\\.version\\s*=\\s*" + STRING);
    private static final Pattern LICENSES = Pattern.compile("^\\s*\\w+\\.licen[sc]es?\\s*=\\s*\\[?(.*?)]?\\s*$");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"|'([^']+)'");
    private static final Pattern SPEC = Pattern.compile("^ {4}([A-Za-z0-9_.-]+) \\(([^)]+)\\)$");
    /** Bundler appends the platform to the version of gems with native code: {@code 1.13.1-x86_64-linux}. */
    private static final Pattern PLATFORM = Pattern.compile(
            "-(?:x86|x64|i[3-6]86|arm|aarch64|java|jruby|universal|mingw|mswin|darwin|linux|mri).*$");

    private RubyGems() {
    }

    public static Analyzer installed() {
        return new PackageFileAnalyzer("gemspec", 1, PackageFileAnalyzer.Evidence.INSTALLED,
                path -> path.endsWith(".gemspec") && path.contains("specifications/"), RubyGems::gemspec,
                (d, file, props) -> Packages.create(Ecosystem.RUBYGEMS, null, d.name(), d.version(), file.layer(),
                        file.path(), d.licenses(), props));
    }

    public static Analyzer gemfileLock() {
        return new PackageFileAnalyzer("gemfile-lock", 1, PackageFileAnalyzer.Evidence.LOCKFILE,
                PackageFileAnalyzer.fileNamed("Gemfile.lock"), RubyGems::gemfileLock,
                (d, file, props) -> Packages.create(Ecosystem.RUBYGEMS, null, d.name(), d.version(), file.layer(),
                        file.path(), List.of(), props));
    }

    static List<Listed> gemspec(byte[] bytes) {
        String name = null;
        String version = null;
        List<String> licenses = new ArrayList<>();
        for (String line : lines(bytes, "gemspec")) {
            Matcher m;
            if (name == null && (m = NAME.matcher(line)).find()) {
                name = string(m);
            } else if (version == null && (m = VERSION.matcher(line)).find()) {
                version = string(m);
            } else if (licenses.isEmpty() && (m = LICENSES.matcher(line)).find()) {
                Matcher q = QUOTED.matcher(m.group(1));
                while (q.find()) {
                    licenses.add(q.group(1) != null ? q.group(1) : q.group(2));
                }
            }
        }
        if (name == null || version == null) {
            throw new PackageDataException("gemspec without a name or version");
        }
        return List.of(new Listed(name, version, false, licenses));
    }

    /** The {@code specs:} of the {@code GEM} section: {@code name (version)} at four spaces. */
    static List<Listed> gemfileLock(byte[] bytes) {
        List<Listed> out = new ArrayList<>();
        boolean gem = false;
        for (String line : lines(bytes, "Gemfile.lock")) {
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                gem = line.equals("GEM");
                continue;
            }
            Matcher m = SPEC.matcher(line);
            if (gem && m.matches()) {
                out.add(new Listed(m.group(1), PLATFORM.matcher(m.group(2)).replaceFirst(""), false));
            }
        }
        return out;
    }

    private static String string(Matcher m) {
        return m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
    }

    private static List<String> lines(byte[] bytes, String what) {
        List<String> lines = List.of(new String(bytes, StandardCharsets.UTF_8).split("\r?\n"));
        for (String l : lines) {
            if (l.length() > MAX_LINE) {
                throw new PackageDataException(what + " has a line longer than " + MAX_LINE);
            }
        }
        return lines;
    }
}
