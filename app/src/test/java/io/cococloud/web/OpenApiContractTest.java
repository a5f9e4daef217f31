package io.cococloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import io.cococloud.support.IntegrationTest;

/** openapi.yaml is the contract: it parses, and every endpoint the server maps is in it. */
@IntegrationTest
class OpenApiContractTest {

    static OpenAPI spec;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @BeforeAll
    static void parse() {
        Path file = Path.of(System.getProperty("cococloud.repo", "../")).resolve("openapi.yaml");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readLocation(file.toUri().toString(), null, options);
        assertThat(result.getMessages()).as("problems parsing %s", file).isEmpty();
        spec = result.getOpenAPI();
        assertThat(spec).isNotNull();
    }

    @Test
    void everyMappedEndpointIsDescribed() {
        List<String> missing = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            if (!handler.getBeanType().getPackageName().startsWith("io.cococloud")) {
                return;
            }
            for (String path : patterns(info)) {
                for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                    PathItem item = spec.getPaths().get(path);
                    if (item == null || item.readOperationsMap().keySet().stream()
                            .noneMatch(m -> m.name().equals(method.name()))) {
                        missing.add(method + " " + path);
                    }
                }
            }
        });
        assertThat(missing).as("endpoints missing from openapi.yaml").isEmpty();
    }

    @Test
    void everyDescribedAdminEndpointExists() {
        List<String> mapped = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, handler) -> patterns(info).forEach(path -> info
                .getMethodsCondition().getMethods().forEach(m -> mapped.add(m + " " + path))));
        List<String> extra = new ArrayList<>();
        spec.getPaths().forEach((path, item) -> item.readOperationsMap().keySet().forEach(method -> {
            String key = method.name().toUpperCase(Locale.ROOT) + " " + path;
            if (path.startsWith("/admin/") && !mapped.contains(key)) {
                extra.add(key);
            }
        }));
        assertThat(extra).as("openapi.yaml describes endpoints the server does not have").isEmpty();
    }

    @Test
    void everyOperationHasAnIdAndSuccessResponse() {
        spec.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            assertThat(operation.getOperationId()).as("%s %s operationId", method, path).isNotBlank();
            assertThat(operation.getResponses().keySet()).as("%s %s responses", method, path)
                    .anyMatch(code -> code.startsWith("2"));
        }));
    }

    /** Spring's trailing {@code /**} is OpenAPI's {@code /{path}} (a path that may hold slashes). */
    private static List<String> patterns(RequestMappingInfo info) {
        return info.getPathPatternsCondition() == null ? List.of()
                : info.getPathPatternsCondition().getPatternValues().stream()
                        .map(p -> p.endsWith("/**") ? p.substring(0, p.length() - 3) + "/{path}" : p).toList();
    }
}
