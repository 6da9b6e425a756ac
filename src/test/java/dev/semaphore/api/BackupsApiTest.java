package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Json;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Project backups in upstream's format: a round trip through the API, an upstream-shaped file, bad backups. */
@ParameterizedClass
@EnumSource(Dialect.class)
class BackupsApiTest {
    @Parameter
    Dialect dialect;

    private TestServer server() {
        return TestServers.of(dialect);
    }

    /** A project with one of everything, made through the API. */
    private ProjectFixture project() {
        ProjectFixture p = ProjectFixture.create(server(), "backup");
        long key = p.create("/keys", Map.of("name", "deploy", "type", "login_password",
                "login_password", Map.of("login", "bot", "password", "s3cret-never-exported")));
        long repository = p.create("/repositories", Map.of("name", "app", "git_url", "https://git.example.test/app.git",
                "git_branch", "main", "ssh_key_id", key));
        p.create("/host_configs", Map.of("type", "url", "host", "https://git.example.test/", "ssh_key_id", key));
        long inventory = p.create("/inventory", Map.of("name", "prod", "type", "static", "inventory",
                "[web]\nweb1\n", "ssh_key_id", key));
        long environment = p.create("/environment", Map.of("name", "vars", "json", "{\"region\":\"eu\"}", "env", "{}"));
        long view = p.create("/views", Map.of("title", "Deploys"));
        long build = p.create("/templates", Map.of("name", "build", "app", "bash", "playbook", "build.sh",
                "repository_id", repository, "type", "build", "start_version", "1.0.0", "view_id", view));
        Map<String, Object> deploy = new java.util.HashMap<>(Map.of("name", "deploy", "app", "ansible",
                "playbook", "site.yml", "repository_id", repository, "inventory_id", inventory,
                "environment_id", environment, "type", "deploy", "build_template_id", build, "autorun", true));
        deploy.put("survey_vars", List.of(Map.of("name", "version", "title", "Version", "type", "")));
        deploy.put("vaults", List.of(Map.of("type", "password", "vault_key_id", key)));
        p.create("/templates", deploy);
        p.create("/schedules", Map.of("template_id", build, "name", "nightly", "cron_format", "0 3 * * *",
                "timezone", "Europe/Berlin"));
        long hook = p.create("/integrations", Map.of("name", "push", "template_id", build, "auth_method", "github",
                "auth_secret_id", key, "searchable", true, "task_params", Map.of("message", "hooked")));
        assertThat(p.admin().post(p.path("/integrations/" + hook + "/matchers"), Map.of("name", "main",
                "match_type", "body", "method", "equals", "body_data_type", "json", "key", "ref",
                "value", "refs/heads/main")).status()).isEqualTo(200);
        p.create("/integrations/" + hook + "/values", Map.of("value_source", "header", "key", "X-GitHub-Event",
                "variable", "EVENT"));
        assertThat(p.admin().post(p.path("/integrations/" + hook + "/aliases"), Map.of()).status()).isEqualTo(200);
        assertThat(p.admin().post(p.path("/integrations/aliases"), Map.of()).status()).isEqualTo(200);
        return p;
    }

    private static JsonNode aliasesCounted(JsonNode backup) {
        ObjectNode copy = backup.deepCopy();
        copy.put("integration_aliases", copy.get("integration_aliases").size());
        copy.get("integrations").forEach(i -> ((ObjectNode) i).put("aliases", i.get("aliases").size()));
        return copy;
    }

    private static List<String> names(Client admin, String path, String field) {
        List<String> out = new ArrayList<>(admin.get(path).json().findValuesAsText(field));
        out.sort(null);
        return out;
    }

    @Test
    void aBackupRestoresIntoAnEqualProjectWithoutSecrets() {
        ProjectFixture p = project();
        Response backup = p.admin().get(p.path("/backup"));
        assertThat(backup.status()).as(backup.toString()).isEqualTo(200);
        assertThat(backup.body()).doesNotContain("s3cret-never-exported");
        ObjectNode renamed = (ObjectNode) backup.json();
        ((ObjectNode) renamed.get("meta")).put("name", TestServer.unique("restored"));

        // A dry run checks everything and lists what would be made, writing nothing.
        Response preview = p.admin().post("/api/projects/restore?dry_run=true", renamed);
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        assertThat(preview.json().get("create").get("templates")).hasSize(2);
        assertThat(preview.json().get("create").get("keys").toString()).contains("deploy").doesNotContain("None");
        assertThat(p.admin().get("/api/projects").json().findValuesAsText("name"))
                .doesNotContain(renamed.get("meta").get("name").asText());

        Response restored = p.admin().post("/api/projects/restore", renamed);
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        String q = "/api/project/" + restored.json().get("id").asLong();
        Client admin = p.admin();
        for (String[] kind : new String[][] {{"/keys", "name"}, {"/repositories", "name"}, {"/inventory", "name"},
                {"/environment", "name"}, {"/views", "title"}, {"/templates", "name"}, {"/schedules", "name"},
                {"/integrations", "name"}}) {
            assertThat(names(admin, q + kind[0], kind[1])).as(kind[0]).isEqualTo(names(admin, p.path(kind[0]), kind[1]));
        }
        // Compared object by object through the API, ids aside.
        JsonNode again = admin.get(q + "/backup").json();
        ((ObjectNode) again.get("meta")).put("name", renamed.get("meta").get("name").asText());
        // Webhook aliases are unique on a server: restored beside the original, they are new ones.
        assertThat(aliasesCounted(again)).isEqualTo(aliasesCounted(renamed));
        assertThat(again.get("host_configs").get(0).get("ssh_key").asText()).isEqualTo("deploy");
        assertThat(again.get("integrations").get(0).get("matchers")).hasSize(1);
        JsonNode deploy = admin.get(q + "/templates").json().findParents("name").stream()
                .filter(t -> t.get("name").asText().equals("deploy")).findFirst().orElseThrow();
        assertThat(deploy.get("build_template_id").isNull()).isFalse();
        JsonNode key = admin.get(q + "/keys").json().findParents("name").stream()
                .filter(k -> k.get("name").asText().equals("deploy")).findFirst().orElseThrow();
        assertThat(key.get("unusable").asText()).contains("backup");
        assertThat(key.get("empty").asBoolean()).as("upstream's restore dialog counts keys to fill by it").isTrue();

        // Moved (the original gone), a project keeps its webhook aliases: callers' URLs still work.
        assertThat(admin.delete(p.path("")).status()).isEqualTo(204);
        ((ObjectNode) renamed.get("meta")).put("name", TestServer.unique("moved"));
        long moved = admin.post("/api/projects/restore", renamed).json().get("id").asLong();
        JsonNode movedBackup = admin.get("/api/project/" + moved + "/backup").json();
        assertThat(movedBackup.get("integration_aliases")).isEqualTo(renamed.get("integration_aliases"));
        assertThat(movedBackup.get("integrations").get(0).get("aliases"))
                .isEqualTo(renamed.get("integrations").get(0).get("aliases"));
    }

    @Test
    void restoringWithUpdateMakesWhatIsMissingChangesWhatDiffersAndDuplicatesNothing() {
        ProjectFixture p = project();
        ObjectNode backup = (ObjectNode) p.admin().get(p.path("/backup")).json();
        String name = backup.get("meta").get("name").asText();
        // The backup now differs: a changed repository branch, a new view, a new inventory.
        ((ObjectNode) backup.get("repositories").get(0)).put("git_branch", "release");
        ((com.fasterxml.jackson.databind.node.ArrayNode) backup.get("views")).addObject().put("title", "Ops")
                .put("position", 2);
        ((com.fasterxml.jackson.databind.node.ArrayNode) backup.get("inventories")).addObject().put("name", "stage")
                .put("type", "static").put("inventory", "[web]\nstage1\n").put("ssh_key", "deploy");

        Response preview = p.admin().post("/api/projects/restore?update=true&dry_run=true", backup);
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        assertThat(preview.json().get("update").get("repositories").toString()).contains("app");
        assertThat(preview.json().get("create").get("views").toString()).contains("Ops");
        assertThat(preview.json().get("create").get("templates")).isEmpty();
        assertThat(preview.json().get("update").get("templates")).isEmpty();

        Response updated = p.admin().post("/api/projects/restore?update=true", backup);
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().get("id").asLong()).isEqualTo(p.project());
        assertThat(p.admin().get(p.path("/repositories")).json().findValuesAsText("git_branch")).containsExactly("release");
        assertThat(names(p.admin(), p.path("/views"), "title")).containsExactly("All", "Deploys", "Ops");
        assertThat(names(p.admin(), p.path("/inventory"), "name")).containsExactly("prod", "stage");
        List<String> templateNames = new ArrayList<>();
        p.admin().get(p.path("/templates")).json().forEach(t -> templateNames.add(t.get("name").asText()));
        assertThat(templateNames).containsExactlyInAnyOrder("build", "deploy");
        // The key kept its secret: restoring into a project never touches one.
        JsonNode key = p.admin().get(p.path("/keys")).json().findParents("name").stream()
                .filter(k -> k.get("name").asText().equals("deploy")).findFirst().orElseThrow();
        assertThat(key.has("unusable")).isFalse();
        assertThat(key.get("empty").asBoolean()).isFalse();
        assertThat(p.admin().post("/api/projects/restore?update=true", backup).status()).as("again: nothing to do")
                .isEqualTo(200);
        assertThat(names(p.admin(), p.path("/views"), "title")).containsExactly("All", "Deploys", "Ops");

        ((ObjectNode) backup.get("meta")).put("name", TestServer.unique("absent"));
        assertThat(p.admin().post("/api/projects/restore?update=true", backup).status()).isEqualTo(404);
        assertThat(name).isNotEmpty();
    }

    @Test
    void anUpstreamShapedBackupRestores() throws Exception {
        String upstream = """
                {"meta": {"name": "%s", "alert": false, "alert_chat": null, "max_parallel_tasks": 0, "type": ""},
                 "keys": [{"name": "None", "type": "none", "owner": ""},
                          {"name": "github", "type": "ssh", "owner": ""}],
                 "repositories": [{"name": "demo", "git_url": "git@github.com:org/demo.git", "git_branch": "main",
                                   "ssh_key": "github"}],
                 "inventories": [{"name": "local", "inventory": "localhost ansible_connection=local",
                                  "type": "static", "ssh_key": "None", "become_key": null}],
                 "environments": [{"name": "Empty", "json": "{}", "env": "{}", "password": null}],
                 "views": [{"title": "Ops", "position": 1, "hidden": false}],
                 "templates": [{"name": "Ping", "playbook": "ping.yml", "app": "ansible", "type": "",
                                "inventory": "local", "repository": "demo", "environment": "Empty", "view": "Ops",
                                "arguments": "[]", "description": "", "allow_override_args_in_task": false,
                                "survey_vars": [], "vaults": [], "task_params": {}}],
                 "schedules": [{"name": "hourly", "cron_format": "0 * * * *", "active": true, "template": "Ping",
                                "task_params": {}, "checkable_repository": null}],
                 "integrations": [], "integration_aliases": []}
                """.formatted(TestServer.unique("upstream"));
        Client admin = server().admin();
        Response restored = admin.post("/api/projects/restore", Json.mapper().readTree(upstream));
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        String q = "/api/project/" + restored.json().get("id").asLong();
        assertThat(names(admin, q + "/templates", "name")).containsExactly("Ping");
        assertThat(names(admin, q + "/schedules", "name")).containsExactly("hourly");
        assertThat(names(admin, q + "/keys", "name")).containsExactly("None", "github");
        assertThat(names(admin, q + "/environment", "name")).containsExactly("Empty");
    }

    @Test
    void anOlderUpstreamBackupKeepsItsVaultKeyAndCronAndSaysWhatItDoesNotRestore() throws Exception {
        String upstream = """
                {"meta": {"name": "%s", "alert": false, "max_parallel_tasks": 0},
                 "keys": [{"name": "None", "type": "none"}, {"name": "vault-pass", "type": "login_password"}],
                 "repositories": [{"name": "demo", "git_url": "https://example.test/demo.git", "git_branch": "main",
                                   "ssh_key": "None"}],
                 "environments": [{"name": "Empty", "json": "{}", "env": "{}"}],
                 "templates": [{"name": "Site", "playbook": "site.yml", "app": "ansible", "repository": "demo",
                                "environment": "Empty", "vault_key": "vault-pass", "cron": "30 2 * * *",
                                "roles": [{"role": "auditors", "is_global": true, "permissions": 1}]}],
                 "roles": [{"slug": "auditors", "name": "Auditors", "permissions": 1}]}
                """.formatted(TestServer.unique("older"));
        Client admin = server().admin();
        Response preview = admin.post("/api/projects/restore?dry_run=true", Json.mapper().readTree(upstream));
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        assertThat(preview.json().get("ignored").toString()).contains("roles (1)").contains("templates[0] (Site).roles");
        Response restored = admin.post("/api/projects/restore", Json.mapper().readTree(upstream));
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        String q = "/api/project/" + restored.json().get("id").asLong();
        JsonNode template = admin.get(q + "/templates").json().get(0);
        assertThat(template.get("vaults")).hasSize(1);
        assertThat(template.get("vaults").get(0).get("type").asText()).isEqualTo("password");
        JsonNode schedules = admin.get(q + "/schedules").json();
        assertThat(schedules).hasSize(1);
        assertThat(schedules.get(0).get("cron_format").asText()).isEqualTo("30 2 * * *");
        assertThat(schedules.get(0).get("template_id").asLong()).isEqualTo(template.get("id").asLong());
    }

    @Test
    void someoneWhoMayNotCreateProjectsGets401AsUpstream() {
        ProjectFixture p = project();
        ObjectNode backup = (ObjectNode) p.admin().get(p.path("/backup")).json();
        String name = TestServer.unique("notmine");
        ((ObjectNode) backup.get("meta")).put("name", name);
        Client user = server().newUser("restorer");
        for (String path : List.of("/api/projects/restore", "/api/projects/restore?dry_run=true")) {
            Response refused = user.post(path, backup);
            assertThat(refused.status()).as(path).isEqualTo(401);
            assertThat(refused.error()).contains("create projects");
        }
        assertThat(p.admin().get("/api/projects").json().findValuesAsText("name")).doesNotContain(name);
    }

    @Test
    void aBackupOfANewerFormatIsRefused() {
        ProjectFixture p = project();
        ObjectNode backup = (ObjectNode) p.admin().get(p.path("/backup")).json();
        assertThat(backup.get("format_version").asInt()).isEqualTo(1);
        String name = TestServer.unique("future");
        ((ObjectNode) backup.get("meta")).put("name", name);
        backup.put("format_version", 2);
        Response refused = p.admin().post("/api/projects/restore", backup);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).contains("format_version").contains("newer");
        assertThat(p.admin().get("/api/projects").json().findValuesAsText("name")).doesNotContain(name);
    }

    @Test
    void aBadBackupIsRefusedNamingTheObjectAndNothingIsWritten() throws Exception {
        ProjectFixture p = project();
        ObjectNode backup = (ObjectNode) p.admin().get(p.path("/backup")).json();
        String name = TestServer.unique("broken");
        ((ObjectNode) backup.get("meta")).put("name", name);
        ((ObjectNode) backup.get("templates").get(1)).put("inventory", "nowhere");
        Response dangling = p.admin().post("/api/projects/restore", backup);
        assertThat(dangling.status()).isEqualTo(400);
        assertThat(dangling.error()).contains("templates[").contains("'inventory'").contains("nowhere");
        assertThat(p.admin().post("/api/projects/restore?dry_run=true", backup).status()).isEqualTo(400);

        ObjectNode duplicate = (ObjectNode) p.admin().get(p.path("/backup")).json();
        ((ObjectNode) duplicate.get("meta")).put("name", name);
        ((com.fasterxml.jackson.databind.node.ArrayNode) duplicate.get("repositories"))
                .add(duplicate.get("repositories").get(0).deepCopy());
        assertThat(p.admin().post("/api/projects/restore", duplicate).error()).contains("repositories[1] (app)");

        ObjectNode unknownApp = (ObjectNode) p.admin().get(p.path("/backup")).json();
        ((ObjectNode) unknownApp.get("meta")).put("name", name);
        ((ObjectNode) unknownApp.get("templates").get(0)).put("app", "cobol");
        assertThat(p.admin().post("/api/projects/restore", unknownApp).error()).contains("templates[").contains("app");
        assertThat(p.admin().post("/api/projects/restore", Map.of("templates", List.of())).error()).contains("meta");

        assertThat(p.admin().get("/api/projects").json().findValuesAsText("name")).doesNotContain(name);
    }

    @Test
    void upstreamsExampleBackupRestoresAViewWithoutTitleAndAFileInventoryWithoutPath() throws Exception {
        java.nio.file.Path playbooks = java.nio.file.Files.createTempDirectory("example-backup");
        java.nio.file.Files.writeString(playbooks.resolve("ping.yml"), "- hosts: all\n  tasks: []\n");
        String upstream = """
                {"meta": {"name": "%s", "alert": false, "max_parallel_tasks": 0, "type": ""},
                 "keys": [{"name": "None", "type": "none", "owner": ""}],
                 "repositories": [{"name": "demo", "git_url": "%s", "git_branch": "",
                                   "ssh_key": "None"}],
                 "inventories": [{"name": "from-repo", "inventory": "", "type": "file", "ssh_key": "None",
                                  "become_key": null, "repository": null}],
                 "views": [{"position": 0, "hidden": false}],
                 "templates": [{"name": "Ping", "playbook": "ping.yml", "app": "ansible", "repository": "demo",
                                "inventory": "from-repo", "view": ""}]}
                """.formatted(TestServer.unique("example"), playbooks);
        Client admin = server().admin();
        Response preview = admin.post("/api/projects/restore?dry_run=true", Json.mapper().readTree(upstream));
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        assertThat(preview.json().get("notes").toString()).contains("inventories[0] (from-repo)").contains("no path");
        Response restored = admin.post("/api/projects/restore", Json.mapper().readTree(upstream));
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        String q = "/api/project/" + restored.json().get("id").asLong();
        assertThat(admin.get(q + "/views").json().findValuesAsText("title")).contains("");
        JsonNode inventory = admin.get(q + "/inventory").json().get(0);
        assertThat(inventory.get("inventory").asText()).isEmpty();
        // A task is told what to set, rather than running ansible with no inventory.
        ProjectFixture restoredProject = new ProjectFixture(admin, restored.json().get("id").asLong());
        long task = restoredProject.run(admin.get(q + "/templates").json().get(0).get("id").asLong(), Map.of())
                .get("id").asLong();
        restoredProject.await(task, "error");
        assertThat(restoredProject.plainOutput(task)).contains("file inventory from-repo has no path yet");
        // Usable once a path is set: the inventory takes one like any other.
        ObjectNode withPath = inventory.deepCopy();
        withPath.put("inventory", "hosts.ini");
        assertThat(admin.put(q + "/inventory/" + inventory.get("id").asLong(), withPath).status()).isEqualTo(204);
    }

    /**
     * Every field of a full backup, and every element of its lists, replaced in turn by a value of each other
     * JSON type (or removed): a restore answers 2xx or 4xx, never 5xx. All on SQLite; a seeded sample of the
     * same on the servers, whose column limits and errors differ.
     */
    @Test
    void noBackupMakesTheRestoreFail() {
        ProjectFixture p = project();
        ObjectNode backup = (ObjectNode) p.admin().get(p.path("/backup")).json();
        ((ObjectNode) backup.get("meta")).put("name", TestServer.unique("fuzzed"));
        List<String> pointers = new ArrayList<>();
        pointers(backup, "", pointers);
        List<JsonNode> replacements = List.of(com.fasterxml.jackson.databind.node.NullNode.instance,
                Json.mapper().getNodeFactory().numberNode(-1), Json.mapper().getNodeFactory().numberNode(1e300),
                Json.mapper().getNodeFactory().textNode(""), Json.mapper().getNodeFactory().textNode("x".repeat(70_000)),
                Json.mapper().getNodeFactory().booleanNode(true), Json.mapper().createArrayNode(),
                Json.mapper().createObjectNode());
        List<JsonNode> bodies = new ArrayList<>();
        for (String pointer : pointers) {
            bodies.add(mutated(backup, pointer, null));
            replacements.forEach(r -> bodies.add(mutated(backup, pointer, r)));
        }
        if (dialect != Dialect.SQLITE) {
            java.util.Collections.shuffle(bodies, new java.util.Random(24));
            bodies.subList(400, bodies.size()).clear();
        }
        bodies.addAll(List.of(Json.mapper().createArrayNode(), Json.mapper().getNodeFactory().textNode("backup"),
                Json.mapper().getNodeFactory().numberNode(7), com.fasterxml.jackson.databind.node.NullNode.instance));
        List<String> failures = new ArrayList<>();
        for (JsonNode body : bodies) {
            Response answer = p.admin().post("/api/projects/restore?dry_run=true", body);
            if (answer.status() >= 500) {
                failures.add(answer.status() + " " + answer.body() + " for " + difference(backup, body));
            }
        }
        assertThat(failures).as(bodies.size() + " bodies").isEmpty();
        // And for real, on a sample: what a dry run accepts, a restore makes (or refuses the same way).
        for (JsonNode body : bodies.subList(0, 40)) {
            if (body instanceof ObjectNode object && object.get("meta") instanceof ObjectNode meta) {
                meta.put("name", TestServer.unique("fuzzed"));
            }
            Response dry = p.admin().post("/api/projects/restore?dry_run=true", body);
            Response real = p.admin().post("/api/projects/restore", body);
            assertThat(real.status()).as(real + " for " + difference(backup, body)).isLessThan(500);
            assertThat(real.status() / 100).as(real + " after a dry run's " + dry).isEqualTo(dry.status() / 100);
        }
    }

    private static void pointers(JsonNode node, String at, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                String child = at + "/" + e.getKey();
                out.add(child);
                pointers(e.getValue(), child, out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(at + "/" + i);
                pointers(node.get(i), at + "/" + i, out);
            }
        }
    }

    /** A copy of {@code backup} with the node at {@code pointer} replaced, or removed for null. */
    private static JsonNode mutated(ObjectNode backup, String pointer, JsonNode replacement) {
        ObjectNode copy = backup.deepCopy();
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = copy.at(com.fasterxml.jackson.core.JsonPointer.compile(pointer.substring(0, slash)));
        String last = pointer.substring(slash + 1);
        if (parent instanceof ObjectNode object) {
            if (replacement == null) {
                object.remove(last);
            } else {
                object.set(last, replacement);
            }
        } else if (parent instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
            if (replacement == null) {
                array.remove(Integer.parseInt(last));
            } else {
                array.set(Integer.parseInt(last), replacement);
            }
        }
        return copy;
    }

    private static String difference(JsonNode original, JsonNode changed) {
        String text = changed.toString();
        return text.length() > 2000 ? "a body of " + text.length() + " characters" : text;
    }

    /**
     * Four restores at once, each compared with its backup as soon as it answers: a restore answers only
     * once all it wrote can be read, and it wrote the backup's objects (a run on a loaded machine once saw
     * templates or schedules differ).
     */
    @Test
    void restoresAtOnceEachAnswerWithAllTheyWrote() throws Exception {
        ProjectFixture p = project();
        ObjectNode backup = (ObjectNode) p.admin().get(p.path("/backup")).json();
        for (int round = 0; round < 3; round++) {
            List<java.util.concurrent.Future<String>> runs = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
                for (int i = 0; i < 4; i++) {
                    runs.add(pool.submit(() -> {
                        ObjectNode mine = backup.deepCopy();
                        String name = TestServer.unique("parallel");
                        ((ObjectNode) mine.get("meta")).put("name", name);
                        Response restored = p.admin().post("/api/projects/restore", mine);
                        if (restored.status() != 200) {
                            return "restore answered " + restored;
                        }
                        JsonNode again = p.admin().get("/api/project/" + restored.json().get("id").asLong() + "/backup")
                                .json();
                        return aliasesCounted(again).equals(aliasesCounted(mine)) ? null
                                : "restored " + again + "\n from " + mine;
                    }));
                }
            }
            for (var run : runs) {
                assertThat(run.get()).isNull();
            }
        }
    }
}
