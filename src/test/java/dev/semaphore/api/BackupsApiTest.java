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
        assertThat(restored.status()).as(restored.toString()).isEqualTo(201);
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
        assertThat(again.get("integrations").get(0).get("matchers")).hasSize(1);
        JsonNode deploy = admin.get(q + "/templates").json().findParents("name").stream()
                .filter(t -> t.get("name").asText().equals("deploy")).findFirst().orElseThrow();
        assertThat(deploy.get("build_template_id").isNull()).isFalse();
        JsonNode key = admin.get(q + "/keys").json().findParents("name").stream()
                .filter(k -> k.get("name").asText().equals("deploy")).findFirst().orElseThrow();
        assertThat(key.get("unusable").asText()).contains("backup");

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
        assertThat(restored.status()).as(restored.toString()).isEqualTo(201);
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
        assertThat(restored.status()).as(restored.toString()).isEqualTo(201);
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
}
