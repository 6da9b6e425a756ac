package dev.semaphore.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.common.Times;
import dev.semaphore.db.Database;
import dev.semaphore.secret.AccessKeyService;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.task.Task;
import dev.semaphore.task.TaskService;
import dev.semaphore.task.TaskTrigger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Handles a delivery to {@code /api/integrations/{alias}}: a project alias reaches the project's
 * searchable integrations whose matchers all match, an integration's own alias reaches that one
 * without matchers. Each reached integration checks the caller (in constant time) and queues a task
 * of its template with the values it extracts. What each integration made of the delivery is
 * recorded. The caller learns nothing: the answer is always 204.
 */
public final class IntegrationReceiver implements AutoCloseable {
    /** How long what was read of an alias is reused; changes made through this server apply at once. */
    private static final long CACHE_NANOS = Duration.ofSeconds(2).toNanos();
    private static final int EXCERPT = 2048;
    private static final Pattern SECRET_FIELD = Pattern.compile("(?i).*(pass|secret|token|auth|signature|credential|key).*");

    private final Database db;
    private final AccessKeyService keys;
    private final TaskService tasks;
    private final DeliveryLog log;
    private final IntegrationStore store = new IntegrationStore();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Reached(Integration integration, List<Matcher> matchers, List<ExtractValue> values,
                           KeySecret secret) {
    }

    private record Resolved(long projectId, boolean projectAlias, List<Reached> integrations) {
    }

    private record Cached(long until, Optional<Resolved> resolved) {
    }

    /** What arrived: the method, the headers (names in any case) and the raw body. */
    public record Request(String method, Map<String, String> headers, byte[] body) {
        String header(String name) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }
    }

    public IntegrationReceiver(Database db, AccessKeyService keys, TaskService tasks, IntegrationService integrations,
                               Duration retention) {
        this.db = db;
        this.keys = keys;
        this.tasks = tasks;
        this.log = new DeliveryLog(db, retention);
        integrations.onChange(cache::clear);
    }

    /** A task a delivery queued, and through what. */
    public record Queued(long taskId, long templateId, long projectId, long integrationId) {
    }

    /** Handles one delivery; returns the tasks it queued (a caller it refused is told none of this). */
    public List<Queued> receive(String alias, Request request) {
        Optional<Resolved> resolved = resolve(alias);
        if (resolved.isEmpty()) {
            return List.of();
        }
        String text = new String(request.body(), StandardCharsets.UTF_8);
        JsonNode json = parse(text);
        List<Queued> queued = new ArrayList<>();
        for (Reached reached : resolved.get().integrations()) {
            Integration integration = reached.integration();
            String outcome;
            Long taskId = null;
            String refusal = authenticate(integration, reached.secret(), request);
            if (refusal != null) {
                outcome = "refused: " + refusal;
            } else if (resolved.get().projectAlias() && (refusal = unmatched(reached.matchers(), request, text, json)) != null) {
                outcome = "not matched: " + refusal;
            } else {
                try {
                    Task task = tasks.enqueue(integration.projectId(), taskRequest(integration, reached.values(),
                            request, text, json), new TaskTrigger.ByIntegration(integration.id(),
                            managersNames(integration, reached.values())));
                    taskId = task.id();
                    queued.add(new Queued(task.id(), task.templateId(), integration.projectId(), integration.id()));
                    outcome = "task " + task.id() + " queued";
                } catch (ApiException e) {
                    outcome = "no task: " + e.getMessage();
                }
            }
            log.add(new IntegrationStore.NewDelivery(integration.projectId(), integration.id(), alias, Times.now(),
                    request.method(), outcome, taskId, excerpt(text, json, reached.secret())));
        }
        return queued;
    }

    /** Starts recording deliveries in the background; a server calls it once its database is ready. */
    public void start() {
        log.start();
    }

    /** Writes the deliveries that wait (for tests that read them at once). */
    public void flush() {
        log.flush();
    }

    private Optional<Resolved> resolve(String alias) {
        long now = System.nanoTime();
        Cached cached = cache.get(alias);
        if (cached != null && cached.until() - now > 0) {
            return cached.resolved();
        }
        if (cache.size() > 10_000) {
            cache.clear(); // a flood of made-up aliases must not grow this without end
        }
        Optional<Resolved> resolved = db.read(h -> store.target(h, alias).map(target -> {
            List<Integration> reached = target.integrationId() == null
                    ? store.ofProject(h, target.projectId()).stream().filter(Integration::searchable).toList()
                    : store.find(h, target.projectId(), target.integrationId()).stream().toList();
            List<Reached> all = new ArrayList<>();
            for (Integration integration : reached) {
                all.add(new Reached(integration, store.matchers(h, integration.id()), store.values(h, integration.id()),
                        secretOf(integration)));
            }
            return new Resolved(target.projectId(), target.integrationId() == null, all);
        }));
        cache.put(alias, new Cached(now + CACHE_NANOS, resolved));
        return resolved;
    }

    /** The caller's secret, read through the key feature; none when the integration checks no caller. */
    private KeySecret secretOf(Integration integration) {
        if (integration.authSecretId() == null) {
            return new KeySecret.None();
        }
        try {
            return keys.secret(integration.projectId(), integration.authSecretId());
        } catch (RuntimeException gone) {
            return null; // a deleted or unreadable key: the integration refuses every caller
        }
    }

    /** Null when the caller proved itself as the integration asks; else why not (never the secret). */
    static String authenticate(Integration integration, KeySecret secret, Request request) {
        String method = integration.authMethod();
        if (Integration.unauthenticated(method)) {
            return null;
        }
        if (secret == null || secret instanceof KeySecret.None) {
            return method + ": the integration's key cannot be read";
        }
        String password = switch (secret) {
            case KeySecret.LoginPassword lp -> lp.password();
            case KeySecret.Text text -> text.value();
            default -> null;
        };
        if (password == null) {
            return method + ": the integration's key is not a login/password or string key";
        }
        return switch (method) {
            case "token" -> same(request.header(integration.authHeader()), password) ? null
                    : "token: header " + integration.authHeader() + (request.header(integration.authHeader()) == null
                            ? " missing" : " does not match");
            case "hmac" -> same(request.header(integration.authHeader()), hmac(password, request.body())) ? null
                    : "hmac: header " + integration.authHeader() + " is not the body's HMAC-SHA256";
            case "github" -> same(request.header("X-Hub-Signature-256"), "sha256=" + hmac(password, request.body()))
                    ? null : "github: X-Hub-Signature-256 is not the body's signature";
            case "bitbucket" -> same(request.header("X-Hub-Signature"), "sha256=" + hmac(password, request.body()))
                    ? null : "bitbucket: X-Hub-Signature is not the body's signature";
            case "basic" -> basic(request.header("Authorization"), secret) ? null
                    : "basic: the Authorization header does not carry the login and password";
            default -> "unknown auth method " + method;
        };
    }

    private static boolean basic(String header, KeySecret secret) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)
                || !(secret instanceof KeySecret.LoginPassword lp)) {
            return false;
        }
        String given;
        try {
            given = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return same(given, lp.login() + ":" + lp.password());
    }

    private static boolean same(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.strip().getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Null when every matcher matches; else the first that does not, named. */
    static String unmatched(List<Matcher> matchers, Request request, String text, JsonNode json) {
        for (Matcher m : matchers) {
            String actual = m.matchType().equals("header") ? request.header(m.key())
                    : "string".equals(m.bodyDataType()) ? text
                    : json == null ? null : textAt(json, m.key());
            boolean ok = switch (m.method()) {
                case "equals" -> m.value().equals(actual);
                case "unequals" -> !m.value().equals(actual);
                case "contains" -> actual != null && actual.contains(m.value());
                default -> false;
            };
            if (!ok) {
                String name = m.name() == null || m.name().isEmpty() ? "#" + m.id() : m.name();
                return "matcher " + name + " (" + m.matchType() + (m.key().isEmpty() ? "" : " " + m.key()) + " "
                        + m.method() + " \"" + m.value() + "\")";
            }
        }
        return null;
    }

    private static String textAt(JsonNode json, String path) {
        JsonNode value = BodyPath.parse(path).find(json);
        return value == null ? null : BodyPath.text(value);
    }

    /** The integration's task params with the extracted values: environment variables and task params. */
    static ObjectNode taskRequest(Integration integration, List<ExtractValue> values, Request request, String text,
                                  JsonNode json) {
        ObjectNode body = Json.tree(integration.taskParams()) instanceof ObjectNode o ? o.deepCopy()
                : Json.mapper().createObjectNode();
        body.put("template_id", integration.templateId());
        ObjectNode environment = Json.tree(body.path("environment").asText("{}")) instanceof ObjectNode e ? e
                : Json.mapper().createObjectNode();
        ObjectNode params = body.get("params") instanceof ObjectNode p ? p : body.putObject("params");
        boolean setEnvironment = false;
        for (ExtractValue v : values) {
            JsonNode value = v.valueSource().equals("header") ? textNode(request.header(v.key()))
                    : "string".equals(v.bodyDataType()) ? TextNode.valueOf(text)
                    : json == null ? null : BodyPath.parse(v.key()).find(json);
            if (value == null) {
                continue;
            }
            if (v.variableType().equals("task")) {
                params.set(v.variable(), value);
            } else if (!environment.has(v.variable())) {
                environment.put(v.variable(), BodyPath.text(value));
                setEnvironment = true;
            }
        }
        if (setEnvironment) {
            body.put("environment", environment.toString());
        }
        return body;
    }

    /**
     * The variable names the integration's managers chose: its extracted environment values' and those of its own
     * task params' environment. Checked when saved, they reach the task; a caller supplies only values.
     */
    private static java.util.Set<String> managersNames(Integration integration, List<ExtractValue> values) {
        java.util.Set<String> names = new java.util.HashSet<>();
        values.stream().filter(v -> !v.variableType().equals("task")).forEach(v -> names.add(v.variable()));
        JsonNode own = Json.tree(Json.tree(integration.taskParams()).path("environment").asText("{}"));
        if (own != null) {
            own.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    private static JsonNode textNode(String value) {
        return value == null ? null : TextNode.valueOf(value);
    }

    private static JsonNode parse(String text) {
        try {
            return text.isBlank() ? null : Json.mapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    /** The start of the body, with secret-looking JSON fields and the integration's secret replaced by ***. */
    static String excerpt(String text, JsonNode json, KeySecret secret) {
        String shown = text;
        if (json != null && json.isContainerNode()) {
            JsonNode copy = json.deepCopy();
            redact(copy);
            shown = copy.toString();
        }
        if (secret instanceof KeySecret.LoginPassword lp && lp.password() != null && lp.password().length() >= 3) {
            shown = shown.replace(lp.password(), "***");
        } else if (secret instanceof KeySecret.Text t && t.value() != null && t.value().length() >= 3) {
            shown = shown.replace(t.value(), "***");
        }
        return shown.length() > EXCERPT ? shown.substring(0, EXCERPT) + "…" : shown;
    }

    private static void redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = object.get(name);
                if (child.isValueNode() && SECRET_FIELD.matcher(name).matches() && !child.isNull()) {
                    object.put(name, "***");
                } else {
                    redact(child);
                }
            }
        } else if (node.isArray()) {
            node.forEach(IntegrationReceiver::redact);
        }
    }

    @Override
    public void close() {
        log.close();
    }
}
