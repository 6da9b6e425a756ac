package dev.semaphore.apidocs;

import dev.semaphore.security.Access;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Our OpenAPI description of every route we serve (upstream's and ours), written by hand beside the
 * code and held to the registered routes by a test; Swagger UI reads it at {@code /swagger}.
 */
public final class ApiDocsController implements RouteGroup {
    private final byte[] document;

    public ApiDocsController() {
        try (InputStream in = ApiDocsController.class.getResourceAsStream("/openapi.yml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yml is missing from the jar");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void register(Api api) {
        api.get("/openapi.yml", Access.PUBLIC, ctx -> ctx.contentType("application/yaml; charset=utf-8")
                .result(document));
    }
}
