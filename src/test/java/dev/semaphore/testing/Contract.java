package dev.semaphore.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.stream.Collectors;

/**
 * Validates our responses against upstream's API description
 * ({@code ../shared/reference/semaphore-api-docs.yml}, Swagger 2.0). Every response a test
 * receives for a documented route passes through here, so drift from the contract fails the build.
 *
 * <p>Adjustments to the spec, each to what upstream itself sends: every property may be null
 * (upstream answers null for its optional pointer fields, e.g. {@code alert_chat}), and an access
 * key's type may be {@code string}, an inventory's {@code tofu-workspace} or
 * {@code terragrunt-workspace} (types upstream has that its enums lack), and a backup's template
 * {@code survey_vars} is an array (as upstream's own example of it shows).
 */
public final class Contract {
    private static final Path SPEC = Path.of(System.getProperty("semaphore.api.spec",
            "../shared/reference/semaphore-api-docs.yml"));
    private static final OpenApiInteractionValidator VALIDATOR = create();
    /**
     * Upstream routes the spec leaves out whose literal segment a documented template would swallow
     * ({@code /integrations/aliases} read as {@code /integrations/{integration_id}}).
     */
    private static final java.util.regex.Pattern UNDOCUMENTED_LITERALS =
            java.util.regex.Pattern.compile("/integrations/aliases(/|$)");

    private Contract() {
    }

    /** Checks a response against the spec (errors: that they carry {"error": ...}). */
    public static void check(Response response) {
        if (response.status() >= 400) {
            checkError(response);
            return;
        }
        operationOf(response);
    }

    /**
     * The documented operation ("GET /users/{id}") this successful response was validated against,
     * or null when the spec documents none; a response that breaks the spec fails here.
     */
    public static String operationOf(Response response) {
        String apiPath = response.path().replaceFirst("^/api", "").replaceFirst("\\?.*$", "");
        if (UNDOCUMENTED_LITERALS.matcher(apiPath).find()) {
            return null;
        }
        Request.Method method = Request.Method.valueOf(response.method());
        for (String candidate : new String[] {apiPath, apiPath.endsWith("/") ? apiPath : apiPath + "/"}) {
            SimpleResponse.Builder builder = SimpleResponse.Builder.status(response.status());
            response.headers().firstValue("Content-Type").ifPresent(t -> builder.withContentType(t));
            if (!response.body().isEmpty()) {
                builder.withBody(response.body());
            }
            ValidationReport report = VALIDATOR.validateResponse(candidate, method, builder.build());
            if (report.getMessages().stream().anyMatch(m -> m.getKey().endsWith("path.missing")
                    || m.getKey().endsWith("operation.notAllowed"))) {
                continue;
            }
            if (report.hasErrors()) {
                throw new AssertionError("response breaks the upstream API contract: " + response + "\n"
                        + report.getMessages().stream().map(Object::toString).collect(Collectors.joining("\n")));
            }
            return method + " " + candidate.replaceFirst("^/user/tokens/[^/]+", "/user/tokens/{token}")
                    .replaceAll("/\\d+", "/{id}");
        }
        return null;
    }

    /** Upstream documents error statuses without bodies but sends {"error": "..."}; so do we, always. */
    private static void checkError(Response response) {
        if (response.method().equals("HEAD")) {
            return;
        }
        JsonNode error;
        try {
            error = new ObjectMapper().readTree(response.body()).get("error");
        } catch (IOException e) {
            throw new AssertionError("error response is not JSON: " + response);
        }
        if (error == null || !error.isTextual() || error.asText().isBlank()) {
            throw new AssertionError("error response without an {\"error\": ...} message: " + response);
        }
    }

    private static OpenApiInteractionValidator create() {
        try {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            JsonNode spec = yaml.readTree(Files.readString(SPEC));
            spec.path("definitions").forEach(Contract::allowNulls);
            ((com.fasterxml.jackson.databind.node.ArrayNode) spec.path("definitions").path("AccessKey")
                    .path("properties").path("type").path("enum")).add("string");
            ((com.fasterxml.jackson.databind.node.ArrayNode) spec.path("definitions").path("Inventory")
                    .path("properties").path("type").path("enum")).add("tofu-workspace").add("terragrunt-workspace");
            // Upstream 2.17+ survey types (its newer description lists text; its code select too).
            ((com.fasterxml.jackson.databind.node.ArrayNode) spec.path("definitions").path("TemplateSurveyVar")
                    .path("properties").path("type").path("enum")).add("text").add("select");
            // A backup's survey_vars are an array in upstream's own example and backups; its schema says string.
            ((ObjectNode) spec.path("definitions").path("ProjectBackup").path("properties").path("templates")
                    .path("items").path("properties").path("survey_vars")).removeAll().put("type", "array");
            ((com.fasterxml.jackson.databind.node.ArrayNode) spec.path("definitions").path("ProjectBackup")
                    .path("properties").path("keys").path("items").path("properties").path("type").path("enum"))
                    .add("string");
            return OpenApiInteractionValidator.createForInlineApiSpecification(yaml.writeValueAsString(spec))
                    .withLevelResolver(LevelResolver.create()
                            // Error statuses are checked by the tests themselves ({"error": ...}).
                            .withLevel("validation.response.status.unknown", ValidationReport.Level.IGNORE)
                            // We may add fields beyond upstream's (as upstream itself does); never remove.
                            .withLevel("validation.schema.additionalProperties", ValidationReport.Level.IGNORE)
                            // raw_output is documented without a body although upstream sends the log text.
                            .withLevel("validation.response.body.unexpected", ValidationReport.Level.IGNORE)
                            .build())
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the upstream API spec at " + SPEC.toAbsolutePath(), e);
        }
    }

    private static void allowNulls(JsonNode schema) {
        if (!(schema instanceof ObjectNode object)) {
            return;
        }
        JsonNode properties = object.get("properties");
        if (properties != null) {
            for (Iterator<JsonNode> it = properties.elements(); it.hasNext(); ) {
                JsonNode property = it.next();
                if (property instanceof ObjectNode p) {
                    p.put("x-nullable", true);
                }
                allowNulls(property);
            }
        }
        allowNulls(object.get("items"));
    }
}
