package dev.portcullis.scanner.analyzer;

import dev.portcullis.scanner.lang.ExecutableAnalyzer;
import dev.portcullis.scanner.lang.dotnet.DotnetPackages;
import dev.portcullis.scanner.lang.golang.GoMod;
import dev.portcullis.scanner.lang.java.JarAnalyzer;
import dev.portcullis.scanner.lang.npm.NodeModulesAnalyzer;
import dev.portcullis.scanner.lang.npm.NpmLockfiles;
import dev.portcullis.scanner.lang.php.Composer;
import dev.portcullis.scanner.lang.python.PythonLockfiles;
import dev.portcullis.scanner.lang.python.PythonMetadataAnalyzer;
import dev.portcullis.scanner.lang.ruby.RubyGems;
import dev.portcullis.scanner.lang.rust.CargoLock;
import dev.portcullis.scanner.misconfig.FilePermissionAnalyzer;
import dev.portcullis.scanner.misconfig.ImageConfigChecks;
import dev.portcullis.scanner.misconfig.PackageCacheAnalyzer;
import dev.portcullis.scanner.os.ApkAnalyzer;
import dev.portcullis.scanner.os.DpkgAnalyzer;
import dev.portcullis.scanner.os.OsReleaseAnalyzer;
import dev.portcullis.scanner.os.RpmAnalyzer;
import dev.portcullis.scanner.secret.ConfigSecretsAnalyzer;
import dev.portcullis.scanner.secret.SecretFileAnalyzer;
import java.util.ArrayList;
import java.util.List;

/** The one list of all analyzers. Add a new analyzer here; nothing is discovered by reflection. */
public final class Analyzers {
    private Analyzers() {
    }

    /**
     * Analyzers of layer files; the scanner feeds every regular file of every layer to each that accepts it. These
     * read evidence of what is installed (not lockfiles, see {@link #lockfiles()}), misconfigurations and secrets.
     */
    public static List<Analyzer> all() {
        return List.of(
                // OS package databases
                new OsReleaseAnalyzer(),
                new DpkgAnalyzer(),
                new ApkAnalyzer(),
                new RpmAnalyzer(),
                // language ecosystems: installed packages
                new JarAnalyzer(),
                new NodeModulesAnalyzer(),
                new PythonMetadataAnalyzer(),
                new ExecutableAnalyzer(),
                RubyGems.installed(),
                Composer.installed(),
                DotnetPackages.depsJson(),
                // misconfigurations in layer files
                new FilePermissionAnalyzer(),
                new PackageCacheAnalyzer(),
                // secrets in files
                new SecretFileAnalyzer()
        );
    }

    /** Analyzers of the image configuration (misconfiguration checks, secrets in {@code Env} and labels). */
    public static List<ImageAnalyzer> image() {
        return List.of(
                new ImageConfigChecks(),
                new ConfigSecretsAnalyzer()
        );
    }

    /**
     * Listed dependencies (lockfiles, requirement pins) for scanning a source tree. An image scan does not run
     * them: there the installed metadata is the evidence, and a lockfile beside it would report every package
     * twice, or packages that were never installed.
     */
    public static List<Analyzer> lockfiles() {
        List<Analyzer> all = new ArrayList<>();
        all.addAll(NpmLockfiles.all());
        all.addAll(PythonLockfiles.all());
        all.add(GoMod.analyzer());
        all.add(RubyGems.gemfileLock());
        all.add(CargoLock.analyzer());
        all.add(Composer.lock());
        all.add(DotnetPackages.packagesLock());
        return List.copyOf(all);
    }
}
