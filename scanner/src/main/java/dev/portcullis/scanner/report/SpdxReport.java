package dev.portcullis.scanner.report;

import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.analyzer.Package;
import java.io.IOException;
import java.io.OutputStream;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.spdx.core.InvalidSPDXAnalysisException;
import org.spdx.jacksonstore.MultiFormatStore;
import org.spdx.library.LicenseInfoFactory;
import org.spdx.library.ModelCopyManager;
import org.spdx.library.SpdxModelFactory;
import org.spdx.library.model.v2.ExternalRef;
import org.spdx.library.model.v2.ReferenceType;
import org.spdx.library.model.v2.SpdxConstantsCompatV2;
import org.spdx.library.model.v2.SpdxDocument;
import org.spdx.library.model.v2.SpdxItem;
import org.spdx.library.model.v2.SpdxPackage;
import org.spdx.library.model.v2.enumerations.ReferenceCategory;
import org.spdx.library.model.v2.enumerations.RelationshipType;
import org.spdx.library.model.v2.license.AnyLicenseInfo;
import org.spdx.library.model.v2.license.SpdxNoAssertionLicense;
import org.spdx.storage.IModelStore;
import org.spdx.storage.simple.InMemSpdxStore;

/**
 * SPDX 2.3 JSON, built and serialised with the official SPDX Java library (model v2 + Jackson store). The image
 * is the described package; every package occurrence is a package with a purl external reference, contained by
 * the image. The namespace UUID is injected and the creation time comes from the scan, so output is
 * reproducible. Licences that are not valid SPDX expressions (dpkg and rpm often use free text) are recorded
 * as {@code NOASSERTION} for the concluded licence and kept in the licence comment.
 */
public final class SpdxReport {
    private static final String NAMESPACE = "https://portcullis.dev/spdx/";
    /** The SPDX library's switch between the licence list in its jar and a download from spdx.org. */
    static final String JAR_LICENSES_ONLY = "org.spdx.useJARLicenseInfoOnly";

    static {
        // The library reads this switch only as a system property. Without it, the first licence lookup downloads
        // the licence list from spdx.org: a scan must never reach the network (air-gapped gates, reproducible
        // SBOMs), so the list shipped in the jar is used unless the operator set the property explicitly.
        if (System.getProperty(JAR_LICENSES_ONLY) == null) {
            System.setProperty(JAR_LICENSES_ONLY, "true");
        }
    }

    private final Tool tool;
    private final Supplier<UUID> namespaces;

    public SpdxReport(Tool tool, Supplier<UUID> namespaces) {
        this.tool = tool;
        this.namespaces = namespaces;
    }

    public void write(ScanResult result, OutputStream out) throws IOException {
        SpdxModelFactory.init();
        try {
            MultiFormatStore store = new MultiFormatStore(new InMemSpdxStore(), MultiFormatStore.Format.JSON_PRETTY);
            ModelCopyManager copies = new ModelCopyManager();
            String uri = NAMESPACE + sanitize(result.reference()) + "-" + namespaces.get();
            SpdxDocument doc = new SpdxDocument(store, uri, copies, true);
            doc.setSpecVersion("SPDX-2.3");
            doc.setName(result.reference() + " " + result.platform());
            doc.setDataLicense(LicenseInfoFactory.parseSPDXLicenseStringCompatV2("CC0-1.0", store, uri, copies));
            doc.setCreationInfo(doc.createCreationInfo(List.of("Tool: " + tool.name() + "-" + tool.version()),
                    DateTimeFormatter.ISO_INSTANT.format(result.scannedAt().truncatedTo(ChronoUnit.SECONDS))));
            AnyLicenseInfo none = new SpdxNoAssertionLicense(store, uri);
            SpdxPackage image = doc.createPackage(store.getNextId(IModelStore.IdType.SpdxId),
                            result.reference(), none, SpdxConstantsCompatV2.NOASSERTION_VALUE, none)
                    .setDownloadLocation(SpdxConstantsCompatV2.NOASSERTION_VALUE)
                    .setFilesAnalyzed(false)
                    .setVersionInfo(result.manifestDigest() == null ? null : result.manifestDigest().toString())
                    .setComment("platform " + result.platform() + ", config " + result.configDigest())
                    .build();
            List<SpdxItem> describes = new ArrayList<>();
            describes.add(image);
            doc.setDocumentDescribes(describes);
            ReferenceType purlType = new ReferenceType(SpdxConstantsCompatV2.SPDX_LISTED_REFERENCE_TYPES_PREFIX
                    + "purl");
            for (Package p : result.packages()) {
                AnyLicenseInfo declared = declared(p, store, uri, copies, none);
                SpdxPackage pkg = doc.createPackage(store.getNextId(IModelStore.IdType.SpdxId), p.name(), none,
                                SpdxConstantsCompatV2.NOASSERTION_VALUE, declared)
                        .setVersionInfo(p.version())
                        .setDownloadLocation(SpdxConstantsCompatV2.NOASSERTION_VALUE)
                        .setFilesAnalyzed(false)
                        .setSourceInfo("found at " + p.path() + " in layer " + p.layer())
                        .setLicenseComments(p.licenses().isEmpty() ? null : String.join(" AND ", p.licenses()))
                        .addExternalRef(doc.createExternalRef(ReferenceCategory.PACKAGE_MANAGER, purlType,
                                p.purl().canonicalize(), null))
                        .build();
                image.addRelationship(doc.createRelationship(pkg, RelationshipType.CONTAINS, null));
            }
            store.serialize(out);
        } catch (InvalidSPDXAnalysisException e) {
            throw new IOException("SPDX generation failed: " + e.getMessage(), e);
        }
    }

    /** The declared licence when the metadata gives a valid SPDX expression, else NOASSERTION. */
    private static AnyLicenseInfo declared(Package p, IModelStore store, String uri, ModelCopyManager copies,
                                           AnyLicenseInfo none) {
        if (p.licenses().size() != 1) {
            return none;
        }
        try {
            AnyLicenseInfo l = LicenseInfoFactory.parseSPDXLicenseStringCompatV2(p.licenses().getFirst(), store,
                    uri, copies);
            return l.verify().isEmpty() && !l.toString().contains("LicenseRef") ? l : none;
        } catch (InvalidSPDXAnalysisException | RuntimeException e) {
            return none;
        }
    }

    private static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
