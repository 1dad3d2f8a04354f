package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import dev.portcullis.server.ConfigLoader;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code portcullis break-glass grant}: the security role lets one image digest through for a bounded time,
 * whatever its findings; audited, marked on its verdict, and judged normally again once it ends.
 * {@code portcullis break-glass list}: the overrides in force (or, with {@code --all}, every one ever granted).
 */
@Command(name = "break-glass", mixinStandardHelpOptions = true, description = "Let one image digest through the"
        + " gate for a bounded time (security role).", subcommands = {BreakGlassCommand.Grant.class,
        BreakGlassCommand.ListOverrides.class})
final class BreakGlassCommand extends CommandGroup {

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Promote an image despite its"
            + " verdict until the duration ends.")
    static final class Grant implements Callable<Integer> {
        @Parameters(paramLabel = "REF", description = "unscanned/TEAM/REPO@sha256:DIGEST (or :TAG, resolved to"
                + " its digest now).")
        String ref;

        @Mixin
        ServerOption server;

        @Option(names = "--reason", paramLabel = "TEXT", required = true)
        String reason;

        @Option(names = "--ticket", paramLabel = "URL", required = true)
        String ticket;

        @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "4h",
                description = "How long (default: ${DEFAULT-VALUE}), e.g. 30m, 4h.")
        String duration;

        @Override
        public Integer call() {
            ImageRef image;
            ObjectNode body = Json.object();
            try {
                image = ImageRef.parse(ref);
                body.put("durationSeconds", ConfigLoader.duration(duration, "--duration").toSeconds());
            } catch (IllegalArgumentException | ConfigLoader.ConfigException e) {
                System.err.println("portcullis break-glass: " + e.getMessage());
                return 2;
            }
            body.put("repository", image.repository().toString());
            body.put("reference", image.reference());
            body.put("reason", reason);
            body.put("ticket", ticket);
            return PolicyCommand.remote(() -> {
                JsonNode r = server.connect().send("POST", "/api/v1/break-glass", Optional.of(body));
                System.out.println("break-glass for " + r.path("digest").asText() + " until "
                        + r.path("until").asText() + " (granted by " + r.path("grantedBy").asText() + ")");
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The break-glass overrides in force,"
            + " newest first (security role).")
    static final class ListOverrides implements Callable<Integer> {
        @Mixin
        ServerOption server;

        @Option(names = "--all", description = "Also the overrides that ended.")
        boolean all;

        @Override
        public Integer call() {
            return PolicyCommand.remote(() -> {
                JsonNode r = server.connect().send("GET", "/api/v1/break-glass?active=" + !all, Optional.empty());
                JsonNode list = r.path("breakGlass");
                if (list.isEmpty()) {
                    System.out.println(all ? "no break-glass was ever granted" : "no break-glass is in force");
                }
                for (JsonNode g : list) {
                    System.out.println(g.path("digest").asText() + "  until " + g.path("until").asText()
                            + (g.path("active").asBoolean() ? "" : " (ended)") + "  by "
                            + g.path("grantedBy").asText() + "  " + g.path("ticket").asText() + "  "
                            + g.path("reason").asText());
                }
                return 0;
            });
        }
    }
}
