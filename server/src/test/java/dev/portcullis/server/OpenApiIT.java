package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI 3.1 document the server serves, read by a real OpenAPI parser: it parses without a message, and it
 * describes exactly the routes of {@link GateRoutes}, each with the access the table declares.
 */
class OpenApiIT {
    @Test
    void theServedDocumentDescribesEveryGateRouteAndNothingElse() throws Exception {
        String served;
        try (TestServer server = TestServer.start()) {
            HttpResponse<byte[]> r = server.http().get("/api/v1/openapi.json");
            assertThat(r.statusCode()).isEqualTo(200);
            served = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(served, null, options);
        assertThat(result.getMessages()).isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api.getOpenapi()).startsWith("3.1");

        Set<String> described = new HashSet<>();
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
                String access = String.valueOf(op.getValue().getExtensions().get("x-portcullis-access"));
                described.add(op.getKey() + " " + path.getKey() + " " + access);
                assertThat(op.getValue().getOperationId()).as(path.getKey()).isNotBlank();
            }
        }
        Set<String> table = new HashSet<>();
        for (GateRoutes.Entry e : GateRoutes.of(new GateEndpoints(null, null, null))) {
            table.add(e.method() + " " + e.template() + " " + e.access().name().toLowerCase(Locale.ROOT));
        }
        assertThat(described).containsExactlyInAnyOrderElementsOf(table);
    }
}
