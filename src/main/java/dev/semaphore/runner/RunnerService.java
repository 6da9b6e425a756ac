package dev.semaphore.runner;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.common.JsonBody;
import dev.semaphore.common.Secrets;
import dev.semaphore.common.Times;
import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.task.dispatch.RunnerPool;
import dev.semaphore.user.User;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runners: registered by themselves (with the server's {@code runner_registration_token}) or made by
 * an admin or a project's manager, each given a token once. A runner is online while it keeps asking
 * for work ({@code touched} within {@code runners.offline_timeout_sec}); the dispatcher gives a task to
 * the least busy active, online runner of the task's project (or a server-wide one) whose tag matches.
 */
public final class RunnerService implements RunnerPool {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunnerService.class);
    private static final java.net.http.HttpClient WEBHOOKS = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(5)).build();
    /** A runner as made, with the token it authenticates with (shown this once). */
    /** @param token null for a runner made unregistered; @param privateKey the key pair's half the server made, or null */
    public record Registered(Runner runner, String token, String privateKey) {
    }

    /** Upstream's one-time registration token of a runner made unregistered. */
    public record RegistrationToken(String registrationToken, long runnerId, Long projectId) {
    }

    /** How long a one-time registration token may be used. */
    static final Duration REGISTRATION_TOKEN_LIFE = Duration.ofHours(24);

    private final Database db;
    private final EventLog events;
    private final String registrationToken;
    private final Duration offlineAfter;
    private final RunnerStore store = new RunnerStore();

    public RunnerService(Database db, EventLog events, String registrationToken, Duration offlineAfter) {
        this.db = db;
        this.events = events;
        this.registrationToken = registrationToken == null ? "" : registrationToken;
        this.offlineAfter = offlineAfter;
    }

    /** {@code POST /api/internal/runners}: a runner registers itself; the body is upstream's {@code RunnerRegistration}. */
    public Registered register(JsonBody body) {
        String given = body.optionalString("registration_token").orElse("");
        boolean serverToken = !registrationToken.isEmpty() && MessageDigest.isEqual(
                given.getBytes(StandardCharsets.UTF_8), registrationToken.getBytes(StandardCharsets.UTF_8));
        if (!serverToken) {
            return registerMadeRunner(given, body);
        }
        Long project = body.optionalLong("project_id").orElse(null);
        RunnerStore.Fields fields = fields(body, project, project == null);
        return create(null, fields, true, null, "registered itself");
    }

    /** A runner made unregistered takes its token with its one-time registration token, once. */
    private Registered registerMadeRunner(String given, JsonBody body) {
        if (given.isBlank()) {
            throw ApiException.badRequest("Invalid registration token");
        }
        String publicKey = body.optionalString("public_key").filter(k -> !k.isBlank()).orElse(null);
        if (publicKey != null) {
            RunnerPayload.publicKey(publicKey);
        }
        String registrationHash = Secrets.sha256Hex(given);
        String token = Secrets.token(32);
        return db.tx(h -> {
            Runner runner = store.byRegistrationHash(h, registrationHash, Times.now())
                    .orElseThrow(() -> ApiException.badRequest("Invalid registration token"));
            if (!store.registerWith(h, runner.id(), registrationHash, Secrets.sha256Hex(token), publicKey)) {
                throw ApiException.badRequest("Invalid registration token");
            }
            events.record(h, null, runner.projectId(), ObjectType.RUNNER, runner.id(), runner.name(),
                    "Runner " + label(runner.name(), runner.id()) + " registered with its one-time token");
            return new Registered(described(store.find(h, runner.id()).orElseThrow(), Map.of()), token, null);
        });
    }

    /**
     * A runner made by an admin ({@code projectId} null) or for a project by its manager. Unless the body
     * says {@code registered: false} (then it has no token until it registers with a one-time registration
     * token, and is inactive), it is given its token now and, without a {@code public_key} in the body, a key
     * pair whose private half is answered this once, as upstream does.
     */
    public Registered create(User actor, Long projectId, JsonBody body) {
        boolean registered = body.bool("registered", true);
        RunnerStore.Fields fields = fields(body, projectId, projectId == null);
        if (!registered) {
            fields = new RunnerStore.Fields(fields.projectId(), fields.name(), fields.webhook(),
                    fields.maxParallelTasks(), false, fields.tag(), fields.publicKey());
            return create(actor, fields, false, null, "created, to register with a one-time token");
        }
        String privateKey = null;
        if (fields.publicKey() == null) {
            java.security.KeyPair pair = RunnerPayload.keyPair();
            privateKey = RunnerPayload.pem("PRIVATE KEY", pair.getPrivate().getEncoded());
            fields = new RunnerStore.Fields(fields.projectId(), fields.name(), fields.webhook(),
                    fields.maxParallelTasks(), fields.active(), fields.tag(),
                    RunnerPayload.pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        }
        return create(actor, fields, true, privateKey, "created");
    }

    private Registered create(User actor, RunnerStore.Fields fields, boolean registered, String privateKey,
                              String how) {
        // An unregistered runner's token is one no one was given: it authenticates nothing until it registers.
        String token = Secrets.token(32);
        return db.tx(h -> {
            long id = store.insert(h, fields, Secrets.sha256Hex(token), registered, Times.now());
            events.record(h, actor == null ? null : actor.id(), fields.projectId(), ObjectType.RUNNER, id,
                    fields.name(), "Runner " + label(fields.name(), id) + " " + how);
            return new Registered(described(store.find(h, id).orElseThrow(), Map.of()), registered ? token : null,
                    privateKey);
        });
    }

    /** A new one-time registration token for a runner made unregistered; 400 once it has registered. */
    public RegistrationToken registrationToken(User actor, Long projectId, long id) {
        Runner runner = get(projectId, id);
        if (runner.registered()) {
            throw ApiException.badRequest("Runner is already registered");
        }
        String token = Secrets.token(32);
        db.txRun(h -> {
            store.setRegistrationToken(h, id, Secrets.sha256Hex(token), Times.now().plus(REGISTRATION_TOKEN_LIFE));
            events.record(h, actor.id(), projectId, ObjectType.RUNNER, id, runner.name(),
                    "Registration token of runner " + label(runner.name(), id) + " made");
        });
        return new RegistrationToken(token, id, projectId);
    }

    /**
     * @param serverWide a runner of no project (made by an admin, or registered with the server's
     *        registration token): its webhook may be on this machine
     */
    private static RunnerStore.Fields fields(JsonBody body, Long projectId, boolean serverWide) {
        String name = body.optionalString("name").orElse("").strip();
        if (name.length() > 255) {
            throw ApiException.badRequest("field 'name' must be at most 255 characters");
        }
        String webhook = webhook(body.optionalString("webhook").orElse("").strip(), serverWide);
        int max = body.optionalInt("max_parallel_tasks", 0).orElse(0);
        String tag = tag(body);
        String publicKey = body.optionalString("public_key").filter(k -> !k.isBlank()).orElse(null);
        if (publicKey != null) {
            RunnerPayload.publicKey(publicKey); // refused now (400) rather than at every poll
        }
        boolean active = body.bool("active", body.bool("enabled", true));
        return new RunnerStore.Fields(projectId, name, webhook, max, active, tag, publicKey);
    }

    /**
     * What a runner's webhook may point at, for the server posts to it: an http(s) URL without credentials
     * in it, never at a link-local address (cloud metadata services), an unspecified or a multicast one,
     * and at this machine only for a server-wide runner (an admin's, or one registered with the server's
     * token), never for a project's. A host that does not resolve now is checked again at each post.
     */
    private static String webhook(String url, boolean mayBeLoopback) {
        if (url.isEmpty()) {
            return url;
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw ApiException.badRequest("field 'webhook' must be an http(s) URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw ApiException.badRequest("field 'webhook' must be an http(s) URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.badRequest("field 'webhook' may not hold a login or password");
        }
        String refused = refusedTarget(uri.getHost(), mayBeLoopback);
        if (refused != null) {
            throw ApiException.badRequest("field 'webhook' " + refused);
        }
        return url;
    }

    /** Why the server may not post to this host, or null. Unknown hosts pass: they go nowhere. */
    private static String refusedTarget(String host, boolean mayBeLoopback) {
        java.net.InetAddress[] addresses;
        try {
            addresses = java.net.InetAddress.getAllByName(host);
        } catch (java.net.UnknownHostException unknown) {
            return null;
        }
        for (java.net.InetAddress address : addresses) {
            if (address.isLinkLocalAddress() || address.isAnyLocalAddress() || address.isMulticastAddress()) {
                return "may not point at " + address.getHostAddress() + " (link-local, unspecified or multicast)";
            }
            if (address.isLoopbackAddress() && !mayBeLoopback) {
                return "may not point at this machine (" + address.getHostAddress() + "): only a server-wide"
                        + " runner's may";
            }
        }
        return null;
    }

    /** Upstream's one {@code tag}, or the first of newer clients' {@code tags}. */
    private static String tag(JsonBody body) {
        String tag;
        if (body.object().path("tags").isArray() && !body.object().path("tags").isEmpty()) {
            tag = body.object().path("tags").get(0).asText("").strip();
        } else if (body.object().path("tags").isTextual()) {
            tag = body.object().path("tags").asText().split(",")[0].strip();
        } else {
            return body.optionalString("tag").orElse("").strip();
        }
        if (tag.length() > 255) {
            throw ApiException.badRequest("field 'tags' must be at most 255 characters");
        }
        return tag;
    }

    public List<Runner> list(Long projectId) {
        return db.read(h -> {
            Map<Long, Integer> load = store.load(h);
            return store.list(h, projectId).stream().map(r -> described(r, load)).toList();
        });
    }

    public Runner get(Long projectId, long id) {
        return db.read(h -> store.find(h, id).filter(r -> java.util.Objects.equals(r.projectId(), projectId))
                .map(r -> described(r, store.load(h)))).orElseThrow(() -> notFound(id));
    }

    public void update(User actor, Long projectId, long id, JsonBody body) {
        Runner current = get(projectId, id);
        String name = body.optionalString("name").orElse(current.name()).strip();
        String webhook = body.has("webhook") ? webhook(body.optionalString("webhook").orElse("").strip(),
                current.projectId() == null) : current.webhook();
        int max = body.optionalInt("max_parallel_tasks", 0).orElse(current.maxParallelTasks());
        boolean active = body.bool("active", current.active());
        String tag = body.has("tag") || body.has("tags") ? tag(body) : current.tag();
        db.txRun(h -> {
            store.update(h, id, name, webhook, max, active, tag);
            events.record(h, actor.id(), projectId, ObjectType.RUNNER, id, name, "Runner " + label(name, id) + " updated");
        });
    }

    public void setActive(User actor, Long projectId, long id, boolean active) {
        Runner current = get(projectId, id);
        db.txRun(h -> {
            store.setActive(h, id, active);
            events.record(h, actor.id(), projectId, ObjectType.RUNNER, id, current.name(),
                    "Runner " + label(current.name(), id) + (active ? " activated" : " deactivated"));
        });
    }

    /** The runner wipes its working directories at its next poll. */
    public void clearCache(User actor, Long projectId, long id) {
        Runner current = get(projectId, id);
        db.txRun(h -> {
            store.requestCleaning(h, id, Times.now());
            events.record(h, actor.id(), projectId, ObjectType.RUNNER, id, current.name(),
                    "Runner " + label(current.name(), id) + " asked to clear its cache");
        });
    }

    public void delete(User actor, Long projectId, long id) {
        Runner current = get(projectId, id);
        db.txRun(h -> {
            store.delete(h, id);
            events.record(h, actor == null ? null : actor.id(), projectId, ObjectType.RUNNER, id, current.name(),
                    "Runner " + label(current.name(), id) + " deleted");
        });
    }

    /** The runner a token belongs to (and it is seen now: it polls); empty for an unknown token. */
    public Optional<Runner> authenticate(String token, String version, String load) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        String hash = Secrets.sha256Hex(token.strip());
        return db.tx(h -> {
            Optional<Runner> runner = store.byTokenHash(h, hash);
            // Liveness counts in seconds: a runner reporting every 100 ms is not written down every time.
            Instant now = Times.now();
            runner.filter(r -> r.touched() == null || r.touched().isBefore(now.minusSeconds(1)))
                    .ifPresent(r -> store.touch(h, r.id(), now, clip(version, 64), clip(load, 32)));
            return runner;
        });
    }

    /** The runner is still there: it holds a long poll open (seen every second, as when it asks anew). */
    public void stillThere(Runner runner) {
        db.txRun(h -> store.touch(h, runner.id(), Times.now(), null, null));
    }

    /** {@code DELETE /api/internal/runners}: a runner removes itself. */
    public void unregister(Runner runner) {
        db.txRun(h -> {
            store.delete(h, runner.id());
            events.record(h, null, runner.projectId(), ObjectType.RUNNER, runner.id(), runner.name(),
                    "Runner " + label(runner.name(), runner.id()) + " unregistered itself");
        });
    }

    /** Whether the runner should wipe its cache now; asking clears the request. */
    public boolean takeCleaningRequest(Runner runner) {
        if (runner.cleaningRequested() == null) {
            return false;
        }
        db.txRun(h -> store.cleaned(h, runner.id()));
        return true;
    }

    @Override
    public Choice choose(long projectId, String tag) {
        List<Runner> candidates = db.read(h -> {
            Map<Long, Integer> load = store.load(h);
            return store.all(h).stream().filter(r -> r.projectId() == null || r.projectId() == projectId)
                    .filter(r -> tag == null || tag.isEmpty() || tag.equals(r.tag()))
                    .map(r -> described(r, load)).toList();
        });
        String wanted = tag == null || tag.isEmpty() ? "" : " with tag " + tag;
        if (candidates.isEmpty()) {
            return Choice.none("no runner" + wanted + " is registered for this project");
        }
        List<Runner> usable = candidates.stream().filter(Runner::active).filter(Runner::online).toList();
        if (usable.isEmpty()) {
            return Choice.none("every runner" + wanted + " is inactive or offline");
        }
        return usable.stream().filter(r -> r.maxParallelTasks() <= 0 || r.runningTasks() < r.maxParallelTasks())
                .min(Comparator.comparingInt(Runner::runningTasks).thenComparingLong(Runner::id))
                .map(r -> Choice.of(r.id()))
                .orElseGet(() -> Choice.busy("every runner" + wanted + " runs as many tasks as it may"));
    }

    @Override
    public List<Long> silentSince(Instant before) {
        return db.read(h -> store.all(h).stream().filter(r -> r.touched() == null || r.touched().isBefore(before))
                .map(Runner::id).toList());
    }

    @Override
    public String name(long runnerId) {
        return db.read(h -> store.find(h, runnerId)).map(r -> label(r.name(), r.id())).orElse("#" + runnerId + " (deleted)");
    }

    @Override
    public void notify(long runnerId, String action, long projectId, long taskId, long templateId) {
        Optional<Runner> runner = db.read(h -> store.find(h, runnerId));
        if (runner.isEmpty() || runner.get().webhook().isBlank()) {
            return;
        }
        java.net.URI target;
        try {
            target = java.net.URI.create(runner.get().webhook());
        } catch (IllegalArgumentException badUrl) {
            LOG.warn("runner {} has a webhook that is not a URL", runnerId);
            return;
        }
        // Checked again now: the name may resolve elsewhere than when it was saved.
        String refused = target.getHost() == null ? "has no host"
                : refusedTarget(target.getHost(), runner.get().projectId() == null);
        if (refused != null) {
            LOG.warn("the webhook of runner {} was not called: it {}", runnerId, refused);
            return;
        }
        String body = Json.mapper().createObjectNode().put("action", action).put("project_id", projectId)
                .put("task_id", taskId).put("template_id", templateId).put("runner_id", runnerId).toString();
        try {
            WEBHOOKS.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(runner.get().webhook()))
                            .timeout(java.time.Duration.ofSeconds(10)).header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        if (error != null || response.statusCode() >= 300) {
                            LOG.warn("the webhook of runner {} did not take {} of task {}: {}", runnerId, action, taskId,
                                    error != null ? error.getMessage() : "status " + response.statusCode());
                        }
                    });
        } catch (IllegalArgumentException badUrl) {
            LOG.warn("runner {} has a webhook that is not a URL", runnerId);
        }
    }

    @Override
    public boolean exists(long runnerId) {
        return db.read(h -> store.find(h, runnerId)).isPresent();
    }

    private Runner described(Runner runner, Map<Long, Integer> load) {
        boolean online = runner.touched() != null && runner.touched().isAfter(Times.now().minus(offlineAfter));
        return runner.withLoad(online, load.getOrDefault(runner.id(), 0));
    }

    private static String clip(String text, int max) {
        return text == null ? null : text.length() > max ? text.substring(0, max) : text;
    }

    static String label(String name, long id) {
        return name == null || name.isEmpty() ? "#" + id : name + " (#" + id + ")";
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("runner " + id + " not found");
    }
}
