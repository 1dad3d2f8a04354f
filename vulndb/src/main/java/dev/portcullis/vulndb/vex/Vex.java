package dev.portcullis.vulndb.vex;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.portcullis.vulndb.match.Finding;
import dev.portcullis.vulndb.match.VexAssessment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Applies VEX statements to findings after matching. A statement applies when it names the finding's advisory or
 * one of its aliases and a product whose package URL is the finding's package (type, namespace, name; and version
 * when the statement gives one; qualifiers ignored). The finding is kept with the assessment attached; of several
 * applicable statements the last one given wins: documents are given in order of precedence (a team's own
 * assessment after the vendor's it refines), as with layered configuration. Statements that disagree on the status
 * are reported, so that a contradiction is never resolved silently.
 */
public final class Vex {
    private final List<VexStatement> statements;

    public Vex(List<VexStatement> statements) {
        this.statements = List.copyOf(statements);
    }

    /**
     * Two applicable statements with different statuses for one finding: {@code winner} (given later) is applied,
     * {@code overruled} is not.
     */
    public record Disagreement(Finding finding, VexStatement overruled, VexStatement winner) {
    }

    public List<Finding> apply(List<Finding> findings) {
        return apply(findings, d -> { });
    }

    public List<Finding> apply(List<Finding> findings, Consumer<Disagreement> disagreements) {
        List<Finding> out = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            VexStatement applicable = null;
            for (VexStatement s : statements) {
                if (s.vulnerabilities().stream().anyMatch(f::isKnownAs) && covers(s, f.pkg().purl())) {
                    if (applicable != null && !applicable.status().equals(s.status())) {
                        disagreements.accept(new Disagreement(f, applicable, s));
                    }
                    applicable = s;
                }
            }
            out.add(applicable == null ? f : f.withVex(new VexAssessment(applicable.status(),
                    applicable.justification(), applicable.detail(), applicable.document())));
        }
        return out;
    }

    private static boolean covers(VexStatement s, String purl) {
        if (purl.isEmpty()) {
            return false;
        }
        PackageURL installed = parse(purl);
        if (installed == null) {
            return false;
        }
        for (String product : s.products()) {
            PackageURL p = parse(product);
            if (p != null && p.getType().equals(installed.getType())
                    && Objects.equals(p.getNamespace(), installed.getNamespace())
                    && p.getName().equals(installed.getName())
                    && (p.getVersion() == null || p.getVersion().equals(installed.getVersion()))) {
                return true;
            }
        }
        return false;
    }

    private static PackageURL parse(String purl) {
        try {
            return new PackageURL(purl);
        } catch (MalformedPackageURLException e) {
            // a product named by something other than a package URL cannot cover an installed package
            return null;
        }
    }
}
