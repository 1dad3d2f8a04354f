package dev.portcullis.scanner.report;

import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.analyzer.Package;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;
import org.cyclonedx.model.vulnerability.Vulnerability;

/**
 * CycloneDX 1.6 JSON, built with the official cyclonedx-core-java model. The image is the metadata component,
 * the distribution an {@code operating-system} component, each package occurrence a {@code library} component
 * whose {@code bom-ref} is {@link #bomRef(Package)}, so that vulnerability findings can point at it. The serial
 * number comes from an injected UUID supplier and the timestamp from the scan, so output is reproducible.
 */
public final class CycloneDxReport {
    private final Tool tool;
    private final Supplier<UUID> serials;

    public CycloneDxReport(Tool tool, Supplier<UUID> serials) {
        this.tool = tool;
        this.serials = serials;
    }

    /** The {@code bom-ref} of a package occurrence: its purl and where it was found. */
    public static String bomRef(Package p) {
        return p.purl().canonicalize() + "#" + p.path();
    }

    public void write(ScanResult result, OutputStream out) throws IOException {
        write(result, List.of(), out);
    }

    /**
     * @param vulnerabilities findings to embed (their {@code affects} refer to {@link #bomRef(Package)}); empty
     *                        for an SBOM alone
     */
    public void write(ScanResult result, List<Vulnerability> vulnerabilities, OutputStream out) throws IOException {
        Bom bom = new Bom();
        bom.setSerialNumber("urn:uuid:" + serials.get());
        Metadata metadata = new Metadata();
        metadata.setTimestamp(Date.from(result.scannedAt()));
        Component writer = new Component();
        writer.setType(Component.Type.APPLICATION);
        writer.setName(tool.name());
        writer.setVersion(tool.version());
        ToolInformation tools = new ToolInformation();
        tools.setComponents(List.of(writer));
        metadata.setToolChoice(tools);
        Component image = new Component();
        image.setType(Component.Type.CONTAINER);
        image.setBomRef("image");
        image.setName(result.reference());
        if (result.manifestDigest() != null) {
            image.setVersion(result.manifestDigest().toString());
        }
        image.setProperties(List.of(property("portcullis:platform", result.platform()),
                property("portcullis:config-digest", result.configDigest().toString())));
        metadata.setComponent(image);
        bom.setMetadata(metadata);

        List<Component> components = new ArrayList<>();
        if (result.os() != null) {
            Component os = new Component();
            os.setType(Component.Type.OPERATING_SYSTEM);
            os.setBomRef("os");
            os.setName(result.os().id());
            os.setVersion(result.os().versionId());
            if (result.os().prettyName() != null) {
                os.setDescription(result.os().prettyName());
            }
            if (result.os().endOfLife() != null) {
                os.setProperties(List.of(property("portcullis:end-of-life", result.os().endOfLife().toString())));
            }
            components.add(os);
        }
        Set<String> refs = new HashSet<>();
        for (Package p : result.packages()) {
            if (refs.add(bomRef(p))) {
                components.add(component(p));
            }
        }
        bom.setComponents(components);
        if (!vulnerabilities.isEmpty()) {
            bom.setVulnerabilities(vulnerabilities);
        }
        try {
            out.write(BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString()
                    .getBytes(StandardCharsets.UTF_8));
        } catch (GeneratorException e) {
            throw new IOException("CycloneDX generation failed: " + e.getMessage(), e);
        }
    }

    private static Component component(Package p) {
        Component c = new Component();
        c.setType(Component.Type.LIBRARY);
        c.setBomRef(bomRef(p));
        c.setName(p.name());
        c.setVersion(p.version());
        c.setPurl(p.purl().canonicalize());
        if (!p.licenses().isEmpty()) {
            LicenseChoice choice = new LicenseChoice();
            for (String l : p.licenses()) {
                License license = new License();
                license.setName(l);
                choice.addLicense(license);
            }
            c.setLicenses(choice);
        }
        String sha1 = p.properties().get("sha1");
        if (sha1 != null) {
            c.setHashes(List.of(new Hash(Hash.Algorithm.SHA1, sha1)));
        }
        List<Property> props = new ArrayList<>();
        props.add(property("portcullis:ecosystem", p.ecosystem().purlType()));
        props.add(property("portcullis:layer", p.layer().toString()));
        props.add(property("portcullis:path", p.path()));
        if (p.source() != null) {
            props.add(property("portcullis:source-name", p.source().name()));
            if (p.source().version() != null) {
                props.add(property("portcullis:source-version", p.source().version()));
            }
        }
        p.properties().entrySet().stream().filter(e -> !e.getKey().equals("sha1"))
                .sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> props.add(property("portcullis:" + e.getKey(), e.getValue())));
        c.setProperties(props);
        return c;
    }

    private static Property property(String name, String value) {
        Property p = new Property();
        p.setName(name);
        p.setValue(value);
        return p;
    }
}
