package dev.semaphore.api;

import static dev.semaphore.api.TasksApiTest.git;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Contract;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Incoming webhooks end to end: integrations set up through the API, deliveries sent over HTTP the
 * way GitHub, Bitbucket and plain HTTP callers send them (signatures made here with the JDK's Mac),
 * real bash tasks started from them, and what each delivery came to, read back.
 */
@ParameterizedClass
@EnumSource(Dialect.class)
class IntegrationsApiTest {
    private static final String SECRET = "hook-secret-7f3a";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Path repo;

    @Parameter
    Dialect dialect;

    @BeforeAll
    static void makeRepository() throws Exception {
        repo = Files.createTempDirectory(TestDatabases.tempDir(), "hooked");
        Files.writeString(repo.resolve("deploy.sh"), "echo \"deploy args: $*\"\n");
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", ".");
        git(repo, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "-m", "first");
    }

    private TestServer server() {
        return TestServers.of(dialect);
    }

    private record Setup(ProjectFixture fixture, long template, long key) {
        Client admin() {
            return fixture.admin();
        }

        String path(String rest) {
            return fixture.path(rest);
        }

        long integration(Map<String, ?> fields) {
            Map<String, Object> body = new HashMap<>(Map.of("name", TestServer.unique("hook"), "template_id", template));
            body.putAll(fields);
            Response created = admin().post(path("/integrations"), body);
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(Contract.operationOf(created)).isEqualTo("POST /project/{id}/integrations");
            return created.json().get("id").asLong();
        }

        /** A new alias (of the integration, or of the project for null) and its URL. */
        String alias(Long integration) {
            Response created = admin().post(path("/integrations" + (integration == null ? "" : "/" + integration)
                    + "/aliases"), "");
            assertThat(created.status()).as(created.toString()).isEqualTo(200); // upstream's
            return created.json().get("url").asText();
        }

        List<JsonNode> tasksOf(long integration) {
            List<JsonNode> tasks = new ArrayList<>();
            admin().get(path("/tasks")).json().forEach(t -> {
                if (t.path("integration_id").asLong() == integration) {
                    tasks.add(t);
                }
            });
            return tasks;
        }

        List<String> outcomes(TestServer server, long integration) {
            server.services().receiver().flush();
            List<String> outcomes = new ArrayList<>();
            admin().get(path("/integrations/" + integration + "/deliveries")).json()
                    .forEach(d -> outcomes.add(d.get("outcome").asText()));
            return outcomes;
        }
    }

    private Setup setup() {
        ProjectFixture fixture = ProjectFixture.create(server(), "hooks");
        long repository = fixture.create("/repositories", Map.of("name", "scripts", "git_url", repo.toString(),
                "git_branch", "main", "ssh_key_id", fixture.noneKey()));
        long template = fixture.create("/templates", Map.of("name", "deploy", "app", "bash", "playbook", "deploy.sh",
                "repository_id", repository, "allow_parallel_tasks", true,
                "task_params", Map.of("allow_override_vars", true)));
        long key = fixture.create("/keys", Map.of("name", "hook secret", "type", "login_password",
                "login_password", Map.of("login", "hooker", "password", SECRET)));
        return new Setup(fixture, template, key);
    }

    private static int send(String url, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String push(String branch, String commit) {
        return "{\"ref\":\"refs/heads/" + branch + "\",\"head_commit\":{\"id\":\"" + commit + "\"},"
                + "\"repository\":{\"name\":\"app\"},\"commits\":[{\"id\":\"" + commit + "\"}],"
                + "\"hook\":{\"config\":{\"secret\":\"" + SECRET + "\"}},\"password\":\"hunter2\"}";
    }

    @Test
    void aSignedGitHubPushThatMatchesStartsATaskWithTheValuesItExtracts() throws Exception {
        Setup s = setup();
        long hook = s.integration(Map.of("auth_method", "github", "auth_secret_id", s.key(), "searchable", true,
                "task_params", Map.of("message", "from github")));
        Response matcher = s.admin().post(s.path("/integrations/" + hook + "/matchers"), Map.of("name", "main only",
                "match_type", "body", "method", "equals", "body_data_type", "json", "key", "ref",
                "value", "refs/heads/main"));
        assertThat(matcher.status()).as(matcher.toString()).isEqualTo(200);
        assertThat(Contract.operationOf(matcher)).isEqualTo("POST /project/{id}/integrations/{id}/matchers");
        Response value = s.admin().post(s.path("/integrations/" + hook + "/values"), Map.of("name", "commit",
                "value_source", "body", "body_data_type", "json", "key", "commits.[0].id", "variable", "COMMIT_ID"));
        assertThat(value.status()).as(value.toString()).isEqualTo(201);
        s.admin().post(s.path("/integrations/" + hook + "/values"), Map.of("value_source", "header",
                "key", "X-GitHub-Event", "variable", "EVENT"));
        String url = s.alias(null); // the project's alias: searchable integrations whose matchers match

        String body = push("main", "c0ffee42");
        assertThat(send(url, body, Map.of("Content-Type", "application/json", "X-GitHub-Event", "push",
                "X-Hub-Signature-256", "sha256=" + hmac(body)))).isEqualTo(204);
        String forged = push("main", "bad1bad1");
        assertThat(send(url, forged, Map.of("X-Hub-Signature-256", "sha256=" + hmac(body)))).isEqualTo(204);
        String other = push("feature", "feedbeef");
        assertThat(send(url, other, Map.of("X-Hub-Signature-256", "sha256=" + hmac(other)))).isEqualTo(204);

        List<JsonNode> tasks = s.tasksOf(hook);
        assertThat(tasks).hasSize(1);
        JsonNode task = s.fixture().await(tasks.get(0).get("id").asLong(), "success", "error");
        assertThat(task.get("status").asText()).isEqualTo("success");
        assertThat(task.get("message").asText()).isEqualTo("from github");
        assertThat(s.fixture().plainOutput(task.get("id").asLong())).contains("COMMIT_ID=c0ffee42").contains("EVENT=push");

        List<String> outcomes = s.outcomes(server(), hook);
        assertThat(outcomes).hasSize(3);
        assertThat(outcomes.get(2)).isEqualTo("task " + task.get("id").asLong() + " queued");
        assertThat(outcomes.get(1)).startsWith("refused: github");
        assertThat(outcomes.get(0)).startsWith("not matched: matcher main only");
        String recorded = s.admin().get(s.path("/integrations/" + hook + "/deliveries")).body();
        assertThat(recorded).contains("c0ffee42").doesNotContain(SECRET).doesNotContain("hunter2");
        assertThat(s.admin().get(s.path("/events")).body()).contains("by integration " + hook);
    }

    /**
     * The names of extracted values are a manager's, set on the integration like survey variables: they reach a
     * template that takes no other variables from a task, and as data (Ansible's {@code !unsafe}): a caller's
     * {@code {{ ... }}} is printed, never evaluated.
     */
    @Test
    void extractedValuesReachATemplateThatTakesOnlySurveyVariablesAsData() throws Exception {
        Path playbooks = Files.createTempDirectory(TestDatabases.tempDir(), "hooked-ansible");
        Files.writeString(playbooks.resolve("show.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - debug:
                        msg: "ref is [{{ REF }}] in {{ STAGE }}"
                """);
        Files.writeString(playbooks.resolve("show.sh"), "echo \"shell args: $*\"\n");
        ProjectFixture p = ProjectFixture.create(server(), "strict-hooks");
        long repository = p.create("/repositories", Map.of("name", "plays", "git_url", playbooks.toString(),
                "ssh_key_id", p.noneKey()));
        long inventory = p.create("/inventory", Map.of("name", "here", "type", "static",
                "inventory", "localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"));
        long ansible = p.create("/templates", Map.of("name", "show", "app", "ansible", "playbook", "show.yml",
                "repository_id", repository, "inventory_id", inventory, "allow_parallel_tasks", true));
        long bash = p.create("/templates", Map.of("name", "show-sh", "app", "bash", "playbook", "show.sh",
                "repository_id", repository, "allow_parallel_tasks", true));
        for (long template : List.of(ansible, bash)) {
            Response created = p.admin().post(p.path("/integrations"), Map.of("name", TestServer.unique("strict"),
                    "template_id", template, "task_params", Map.of("environment", "{\"STAGE\": \"prod\"}")));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            long hook = created.json().get("id").asLong();
            assertThat(p.admin().post(p.path("/integrations/" + hook + "/values"), Map.of("value_source", "body",
                    "body_data_type", "json", "key", "ref", "variable", "REF")).status()).isEqualTo(201);
            String url = p.admin().post(p.path("/integrations/" + hook + "/aliases"), "").json().get("url").asText();

            assertThat(send(url, "{\"ref\": \"{{ 6 * 7 }}\", \"STAGE\": \"evil\"}",
                    Map.of("Content-Type", "application/json"))).isEqualTo(204);
            List<Long> ids = new ArrayList<>();
            p.admin().get(p.path("/tasks")).json().forEach(t -> {
                if (t.path("integration_id").asLong() == hook) {
                    ids.add(t.get("id").asLong());
                }
            });
            assertThat(ids).hasSize(1);
            JsonNode task = p.await(ids.get(0), 120_000, "success", "error");
            String output = p.plainOutput(ids.get(0));
            assertThat(task.get("status").asText()).as(output).isEqualTo("success");
            assertThat(output).doesNotContain("Ignored the task's variables");
            if (template == ansible) {
                assertThat(output).contains("ref is [{{ 6 * 7 }}] in prod").doesNotContain("[42]");
            } else {
                // upstream passes a variable group's and a task's variables to a script as name=value arguments
                assertThat(output).contains("shell args:").contains("REF={{ 6 * 7 }}").contains("STAGE=prod")
                        .doesNotContain("evil");
            }
        }
    }

    @Test
    void tokenHmacBitbucketAndBasicCallersAreCheckedEachTheirWay() throws Exception {
        Setup s = setup();
        long token = s.integration(Map.of("auth_method", "token", "auth_secret_id", s.key(), "auth_header", "X-Token"));
        long hmac = s.integration(Map.of("auth_method", "hmac", "auth_secret_id", s.key(), "auth_header", "X-Sig"));
        long bitbucket = s.integration(Map.of("auth_method", "bitbucket", "auth_secret_id", s.key()));
        long basic = s.integration(Map.of("auth_method", "basic", "auth_secret_id", s.key()));
        long open = s.integration(Map.of());
        // Upstream's documented word for no authentication.
        long none = s.integration(Map.of("auth_method", "none"));
        assertThat(s.admin().get(s.path("/integrations/" + none)).json().get("auth_method").asText()).isEqualTo("none");
        String body = "{\"event\":\"ping\"}";
        String basicAuth = "Basic " + Base64.getEncoder().encodeToString(("hooker:" + SECRET).getBytes(StandardCharsets.UTF_8));
        Map<Long, List<Map<String, String>>> goodAndBad = Map.of(
                token, List.of(Map.of("X-Token", SECRET), Map.of("X-Token", SECRET + "x")),
                hmac, List.of(Map.of("X-Sig", hmac(body)), Map.of("X-Sig", hmac(body + " "))),
                bitbucket, List.of(Map.of("X-Hub-Signature", "sha256=" + hmac(body)), Map.of()),
                basic, List.of(Map.of("Authorization", basicAuth), Map.of("Authorization", "Basic Zm9vOmJhcg==")),
                open, List.of(Map.of(), Map.of()),
                none, List.of(Map.of(), Map.of()));
        for (var entry : goodAndBad.entrySet()) {
            String url = s.alias(entry.getKey()); // the integration's own alias: no matchers
            for (Map<String, String> headers : entry.getValue()) {
                assertThat(send(url, body, headers)).isEqualTo(204);
            }
        }
        assertThat(s.tasksOf(token)).hasSize(1);
        assertThat(s.tasksOf(hmac)).hasSize(1);
        assertThat(s.tasksOf(bitbucket)).hasSize(1);
        assertThat(s.tasksOf(basic)).hasSize(1);
        assertThat(s.tasksOf(open)).hasSize(2);
        assertThat(s.tasksOf(none)).hasSize(2);
        assertThat(s.outcomes(server(), token).get(0)).isEqualTo("refused: token: header X-Token does not match");
        assertThat(s.outcomes(server(), bitbucket).get(0)).startsWith("refused: bitbucket");
    }

    @Test
    void anAcceptedDeliveryIsToldTheTaskItQueuedAndARefusedOneNothing() throws Exception {
        Setup s = setup();
        long token = s.integration(Map.of("auth_method", "token", "auth_secret_id", s.key(), "auth_header", "X-Token"));
        String url = s.alias(token);
        HttpResponse<Void> accepted = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("X-Token", SECRET)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(accepted.statusCode()).isEqualTo(204);
        long task = s.tasksOf(token).get(0).get("id").asLong();
        assertThat(accepted.headers().firstValue("X-Semaphore-Task-ID")).hasValue(Long.toString(task));
        assertThat(accepted.headers().firstValue("X-Semaphore-Template-ID")).hasValue(Long.toString(s.template()));
        assertThat(accepted.headers().firstValue("X-Semaphore-Project-ID")).hasValue(Long.toString(s.fixture().project()));
        assertThat(accepted.headers().firstValue("X-Semaphore-Integration-ID")).hasValue(Long.toString(token));
        HttpResponse<Void> refused = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("X-Token", "wrong")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(refused.statusCode()).isEqualTo(204);
        assertThat(refused.headers().firstValue("X-Semaphore-Task-ID")).isEmpty();
    }

    @Test
    void integrationsAreReadChangedAndDeletedWithTheirMatchersValuesAndAliases() throws Exception {
        Setup s = setup();
        long hook = s.integration(Map.of("searchable", true));
        String one = s.path("/integrations/" + hook);
        Response read = s.admin().get(one);
        assertThat(Contract.operationOf(read)).isEqualTo("GET /project/{id}/integrations/{id}");
        assertThat(read.json().get("task_params").isObject()).isTrue();
        Response list = s.admin().get(s.path("/integrations"));
        assertThat(Contract.operationOf(list)).isEqualTo("GET /project/{id}/integrations");
        Response update = s.admin().put(one, Map.of("name", "renamed", "template_id", s.template(),
                "params", Map.of("message", "m")));
        assertThat(update.status()).as(update.toString()).isEqualTo(204);
        assertThat(s.admin().get(one).json().get("task_params").get("message").asText()).isEqualTo("m");

        long matcher = s.admin().post(one + "/matchers", Map.of("match_type", "header", "method", "contains",
                "key", "User-Agent", "value", "GitHub")).json().get("id").asLong();
        Response changed = s.admin().put(one + "/matchers/" + matcher, Map.of("match_type", "header",
                "method", "equals", "key", "User-Agent", "value", "curl"));
        assertThat(changed.status()).isEqualTo(204);
        assertThat(Contract.operationOf(changed)).isEqualTo("PUT /project/{id}/integrations/{id}/matchers/{id}");
        assertThat(s.admin().get(one + "/matchers").json().get(0).get("method").asText()).isEqualTo("equals");
        long value = s.admin().post(one + "/values", Map.of("value_source", "body", "body_data_type", "string",
                "variable", "PAYLOAD")).json().get("id").asLong();
        assertThat(s.admin().put(one + "/values/" + value, Map.of("value_source", "body", "body_data_type", "json",
                "key", "a.b", "variable", "AB")).status()).isEqualTo(204);
        assertThat(s.admin().get(one + "/values").json().get(0).get("variable").asText()).isEqualTo("AB");

        String url = s.alias(hook);
        assertThat(s.admin().get(one + "/aliases").json().get(0).get("url").asText()).isEqualTo(url);
        Response madeAlias = s.admin().post(s.path("/integrations/aliases"), "");
        assertThat(madeAlias.status()).as("upstream answers 200").isEqualTo(200);
        long projectAlias = madeAlias.json().get("id").asLong();
        assertThat(s.admin().post(one + "/aliases", "").status()).isEqualTo(200);
        assertThat(s.admin().delete(s.path("/integrations/aliases/" + projectAlias)).status()).isEqualTo(204);
        assertThat(s.admin().get(one + "/refs").json().has("templates")).isTrue();
        // Nothing refers to matchers or values; upstream's clients may still ask.
        assertThat(s.admin().get(one + "/matchers/" + matcher + "/refs").json().has("schedules")).isTrue();
        assertThat(s.admin().get(one + "/values/" + value + "/refs").json().has("schedules")).isTrue();

        // In use: the template and the key say so; deleting the integration frees them.
        Response keyInUse = s.admin().put(one, Map.of("name", "renamed", "template_id", s.template(),
                "auth_method", "token", "auth_secret_id", s.key(), "auth_header", "X-T"));
        assertThat(keyInUse.status()).isEqualTo(204);
        assertThat(s.admin().delete(s.path("/keys/" + s.key())).error()).contains("renamed");
        assertThat(s.admin().delete(s.path("/templates/" + s.template())).error()).contains("renamed");
        assertThat(s.admin().delete(one + "/matchers/" + matcher).status()).isEqualTo(204);
        assertThat(s.admin().delete(one + "/values/" + value).status()).isEqualTo(204);
        Response deleted = s.admin().delete(one);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(s.admin().get(one).status()).isEqualTo(404);
        assertThat(send(url, "{}", Map.of())).isEqualTo(204); // its alias went with it: nothing to run
        assertThat(s.admin().delete(s.path("/keys/" + s.key())).status()).isEqualTo(204);
        assertThat(s.admin().get(s.path("/events")).body()).contains("Integration renamed deleted");
    }

    @Test
    void badIntegrationsMatchersAndValuesAreRefusedNamingTheField() throws Exception {
        Setup s = setup();
        Map<String, Map<String, Object>> badIntegrations = Map.of(
                "auth_method", Map.of("auth_method", "magic"),
                "auth_secret_id", Map.of("auth_method", "token", "auth_header", "X-T"),
                "auth_header", Map.of("auth_method", "token", "auth_secret_id", s.key()),
                "task_params.message", Map.of("task_params", Map.of("message", "m".repeat(1025))));
        badIntegrations.forEach((field, fields) -> {
            Map<String, Object> body = new HashMap<>(Map.of("name", "bad", "template_id", s.template()));
            body.putAll(fields);
            Response refused = s.admin().post(s.path("/integrations"), body);
            assertThat(refused.status()).as(field + ": " + refused).isEqualTo(400);
            assertThat(refused.error()).as(field).contains("'" + field);
        });
        assertThat(s.admin().get(s.path("/integrations")).json()).isEmpty();

        long hook = s.integration(Map.of());
        String one = s.path("/integrations/" + hook);
        Map<String, Map<String, Object>> badMatchers = Map.of(
                "key", Map.of("match_type", "body", "method", "equals", "body_data_type", "json", "key", "a..b"),
                "match_type", Map.of("match_type", "cookie", "method", "equals"),
                "method", Map.of("match_type", "body", "method", "like", "body_data_type", "string"));
        badMatchers.forEach((field, fields) -> {
            Response refused = s.admin().post(one + "/matchers", fields);
            assertThat(refused.status()).as(field + ": " + refused).isEqualTo(400);
            assertThat(refused.error()).as(field).contains("'" + field);
        });
        assertThat(s.admin().post(one + "/matchers", Map.of("match_type", "header", "method", "equals")).error())
                .contains("'key'");
        for (String reserved : List.of("PATH", "LD_PRELOAD", "SEMAPHORE_ADMIN", "ansible_connection",
                "ansible_ssh_common_args")) {
            Response refused = s.admin().post(one + "/values", Map.of("value_source", "header", "key", "X-A",
                    "variable", reserved));
            assertThat(refused.status()).as(reserved).isEqualTo(400);
            assertThat(refused.error()).as(reserved).contains("'variable'").contains("reserved");
        }
        assertThat(s.admin().post(one + "/values", Map.of("value_source", "header", "key", "X-A",
                "variable", "playbook", "variable_type", "task")).error()).contains("'variable'");
        assertThat(s.admin().get(one + "/matchers").json()).isEmpty();
        assertThat(s.admin().get(one + "/values").json()).isEmpty();
    }

    @Test
    void aFloodStartsOnlyTheTasksThatMatchedAndIsRecordedWhole() throws Exception {
        Setup s = setup();
        long hook = s.integration(Map.of("searchable", true));
        s.admin().post(s.path("/integrations/" + hook + "/matchers"), Map.of("match_type", "body", "method", "equals",
                "body_data_type", "json", "key", "ref", "value", "refs/heads/release"));
        String url = s.alias(null);
        int count = 300;
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(32)) {
            List<java.util.concurrent.Future<Integer>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String ref = i % 100 == 0 ? "release" : "main";
                int n = i;
                sent.add(pool.submit(() -> send(url, "{\"ref\":\"refs/heads/" + ref + "\",\"n\":" + n + "}", Map.of())));
            }
            for (var answer : sent) {
                assertThat(answer.get()).isEqualTo(204);
            }
        }
        assertThat(s.tasksOf(hook)).hasSize(3);
        server().services().receiver().flush();
        JsonNode recorded = s.admin().get(s.path("/integrations/" + hook + "/deliveries?limit=1000")).json();
        assertThat(recorded).hasSize(count);
    }

    @Test
    void theReceiverTellsACallerNothingAndRefusesOversizedBodies() throws Exception {
        Setup s = setup();
        long hook = s.integration(Map.of());
        String url = s.alias(hook);
        String base = url.substring(0, url.lastIndexOf('/'));
        assertThat(send(base + "/no-such-alias", "{}", Map.of())).isEqualTo(204);
        // Expect: 100-continue lets the refusal arrive before the body is sent (else the server's close races it).
        HttpResponse<Void> huge = HTTP.send(HttpRequest.newBuilder(URI.create(url)).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(1_100_000))).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(s.tasksOf(hook)).isEmpty();
        HttpResponse<Void> get = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(get.statusCode()).isEqualTo(204);
        assertThat(s.tasksOf(hook)).hasSize(1);
        assertThat(s.outcomes(server(), hook)).hasSize(1);
        s.fixture().await(s.tasksOf(hook).get(0).get("id").asLong(), "success", "error");
        // A project goes with its integrations, aliases and recorded deliveries.
        assertThat(s.admin().delete(s.path("")).status()).isEqualTo(204);
    }
}
