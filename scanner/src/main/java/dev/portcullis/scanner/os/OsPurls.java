package dev.portcullis.scanner.os;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import com.github.packageurl.PackageURLBuilder;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.OsInfo;
import dev.portcullis.scanner.analyzer.Package;
import java.util.Map;

/**
 * Completes the package URL of an OS package once the image's distribution is known: the namespace becomes the
 * distribution id (a dpkg database in an Ubuntu image is {@code pkg:deb/ubuntu/...}) and the {@code distro}
 * qualifier is {@code <id>-<version_id>}, e.g. {@code debian-12}, {@code alpine-3.10.3}, as vulnerability
 * matching needs the release.
 */
public final class OsPurls {
    private OsPurls() {
    }

    public static Package qualify(Package p, OsInfo os) {
        if (os == null || (p.ecosystem() != Ecosystem.DEB && p.ecosystem() != Ecosystem.APK
                && p.ecosystem() != Ecosystem.RPM)) {
            return p;
        }
        PackageURL purl = p.purl();
        PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType(purl.getType())
                .withNamespace(os.id()).withName(purl.getName()).withVersion(purl.getVersion())
                .withSubpath(purl.getSubpath());
        Map<String, String> q = purl.getQualifiers();
        if (q != null) {
            q.forEach(b::withQualifier);
        }
        if (os.versionId() != null && !os.versionId().isEmpty()) {
            b.withQualifier("distro", os.id() + "-" + os.versionId());
        }
        try {
            return new Package(p.ecosystem(), p.name(), p.version(), b.build(), p.layer(), p.path(), p.source(),
                    p.licenses(), p.properties());
        } catch (MalformedPackageURLException e) {
            // the namespace comes from os-release, which is untrusted: keep the analyzer's purl rather than fail
            return p;
        }
    }
}
