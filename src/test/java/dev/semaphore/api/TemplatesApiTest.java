package dev.semaphore.api;

import static dev.semaphore.api.ProjectsApiTest.createProject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Dialect.class)
class TemplatesApiTest {
    @Parameter
    Dialect dialect;

    private TestServer server() {
        return TestServers.of(dialect);
    }

    /** A project with one of everything a template points at. */
    private record Project(Client admin, long id, long key, long vaultKey, long repository, long inventory,
                           long environment, long view) {
        String path(String rest) {
            return "/api/project/" + id + rest;
        }

        Map<String, Object> template(String name, String app) {
            Map<String, Object> body = new HashMap<>();
            body.put("name", name);
            body.put("app", app);
            body.put("playbook", app.equals("ansible") ? "site.yml" : app.equals("bash") ? "scripts/run.sh" : "");
            body.put("repository_id", repository);
            body.put("inventory_id", inventory);
            body.put("environment_id", environment);
            return body;
        }
    }

    private Project project() {
        Client admin = server().admin();
        long id = createProject(admin, TestServer.unique("tpl"));
        String base = "/api/project/" + id;
        long key = admin.get(base + "/keys").json().get(0).get("id").asLong();
        long vaultKey = admin.post(base + "/keys", Map.of("name", "vault", "type", "login_password",
                "login_password", Map.of("password", "vault-pass"))).json().get("id").asLong();
        long repository = admin.post(base + "/repositories", Map.of("name", "playbooks", "git_url", "https://h/p.git",
                "ssh_key_id", key)).json().get("id").asLong();
        long inventory = admin.post(base + "/inventory", Map.of("name", "prod", "type", "static",
                "inventory", "host1")).json().get("id").asLong();
        long environment = admin.post(base + "/environment", Map.of("name", "vars")).json().get("id").asLong();
        long view = admin.post(base + "/views", Map.of("title", "Deploys")).json().get("id").asLong();
        return new Project(admin, id, key, vaultKey, repository, inventory, environment, view);
    }

    @Test
    void anAnsibleTemplateKeepsEveryField() {
        Project p = project();
        Map<String, Object> body = p.template("Deploy", "ansible");
        body.put("arguments", "[\"--forks\", \"10\"]");
        body.put("description", "Deploys the site");
        body.put("allow_override_args_in_task", true);
        body.put("allow_parallel_tasks", true);
        body.put("git_branch", "release");
        body.put("view_id", p.view());
        body.put("survey_vars", List.of(
                Map.of("name", "version", "title", "Version", "type", "", "required", true, "default_value", "1.0"),
                Map.of("name", "replicas", "type", "int", "default_value", "3"),
                Map.of("name", "region", "type", "enum", "values", List.of(Map.of("name", "EU", "value", "eu"),
                        Map.of("name", "US", "value", "us"))),
                Map.of("name", "token", "type", "secret", "required", true)));
        body.put("vaults", List.of(Map.of("name", "default", "type", "password", "vault_key_id", p.vaultKey()),
                Map.of("name", "ci", "type", "script", "script", "scripts/vault-client.py")));
        body.put("task_params", Map.of("allow_debug", true, "allow_override_limit", true, "limit", List.of("web")));
        Response created = p.admin().post(p.path("/templates"), body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode t = p.admin().get(p.path("/templates/" + created.json().get("id").asLong())).json();
        assertThat(t.get("name").asText()).isEqualTo("Deploy");
        assertThat(t.get("app").asText()).isEqualTo("ansible");
        assertThat(t.get("arguments").asText()).isEqualTo("[\"--forks\", \"10\"]");
        assertThat(t.get("allow_parallel_tasks").asBoolean()).isTrue();
        assertThat(t.get("git_branch").asText()).isEqualTo("release");
        assertThat(t.get("view_id").asLong()).isEqualTo(p.view());
        List<String> surveyNames = new java.util.ArrayList<>();
        t.get("survey_vars").forEach(v -> surveyNames.add(v.get("name").asText()));
        assertThat(surveyNames).containsExactly("version", "replicas", "region", "token");
        assertThat(t.get("survey_vars").get(2).get("values")).hasSize(2);
        assertThat(t.get("vaults").findValuesAsText("type")).containsExactly("password", "script");
        assertThat(t.get("task_params").get("limit").get(0).asText()).isEqualTo("web");
        JsonNode inView = p.admin().get(p.path("/views/" + p.view() + "/templates")).json();
        assertThat(inView).hasSize(1);
        assertThat(inView.get(0).get("name").asText()).isEqualTo("Deploy");
        // The built-in All view lists every template, whatever view each is in (upstream's UI relies on it).
        long all = p.admin().get(p.path("/views")).json().get(0).get("id").asLong();
        assertThat(p.admin().get(p.path("/views/" + all + "/templates")).json().findValuesAsText("name"))
                .contains("Deploy");
    }

    @Test
    void everyAppHasItsTemplateAndTheListFiltersAndSorts() {
        Project p = project();
        for (String app : List.of("ansible", "terraform", "tofu", "terragrunt", "bash", "python", "powershell", "pulumi")) {
            Map<String, Object> body = p.template("t-" + app, app);
            if (app.equals("python")) {
                body.put("playbook", "tools/run.py");
            } else if (app.equals("powershell")) {
                body.put("playbook", "run.ps1");
            }
            if (app.equals("terraform")) {
                body.put("task_params", Map.of("allow_destroy", true, "auto_approve", false));
            }
            Response created = p.admin().post(p.path("/templates"), body);
            assertThat(created.status()).as(app + ": " + created).isEqualTo(201);
        }
        assertThat(p.admin().get(p.path("/templates")).json()).hasSize(8);
        assertThat(p.admin().get(p.path("/templates?app=terraform")).json().findValuesAsText("name"))
                .containsExactly("t-terraform");
        assertThat(p.admin().get(p.path("/templates?sort=name&order=desc")).json().get(0).get("name").asText())
                .isEqualTo("t-tofu");
        assertThat(p.admin().get(p.path("/templates?app=cobol")).status()).isEqualTo(400);
        assertThat(p.admin().get(p.path("/templates?sort=secret")).status()).isEqualTo(400);
    }

    @Test
    void badTemplatesAreRefusedAndChangeNothing() {
        Project p = project();
        record Case(String field, Object value, String message) {
        }
        List<Case> cases = List.of(
                new Case("app", "cobol", "app"),
                new Case("playbook", "", "template playbook can not be empty"),
                new Case("name", "", "template name can not be empty"),
                new Case("playbook", "../../etc/passwd", "playbook"),
                new Case("playbook", "-e@/etc/shadow", "playbook"),
                new Case("arguments", "--forks 10", "arguments"),
                new Case("arguments", "[1, 2]", "arguments"),
                new Case("git_branch", "--upload-pack=x", "git_branch"),
                new Case("type", "nightly", "type"),
                new Case("survey_vars", List.of(Map.of("name", "bad name")), "survey_vars[0].name"),
                new Case("survey_vars", List.of(Map.of("name", "e", "type", "enum")), "survey_vars[0].values"),
                new Case("survey_vars", List.of(Map.of("name", "n", "type", "int", "default_value", "x")),
                        "survey_vars[0].default_value"),
                new Case("survey_vars", List.of(Map.of("name", "a"), Map.of("name", "a")), "twice"),
                new Case("survey_vars", List.of(Map.of("name", "t", "target", "cli")),
                        "invalid survey variable target: cli"),
                new Case("survey_vars", List.of(Map.of("name", "LD_PRELOAD", "target", "env")), "reserved"),
                new Case("survey_vars", List.of(Map.of("name", "s", "type", "select")), "survey_vars[0].values"),
                new Case("survey_vars", List.of(Map.of("name", "s", "type", "select", "values",
                        List.of(Map.of("name", "A", "value", "a")), "default_value", List.of("a", "b"))),
                        "default_value \"b\" is not in values list"),
                new Case("survey_vars", List.of(Map.of("name", "n", "default_value", List.of("a", "b"))),
                        "default_value must be a string"),
                new Case("vaults", List.of(Map.of("type", "password")), "vaults[0].vault_key_id"),
                new Case("task_params", Map.of("allow_debug", "yes"), "task_params.allow_debug"),
                new Case("task_params", Map.of("tags", "web"), "task_params.tags"));
        for (Case c : cases) {
            Map<String, Object> body = p.template("bad", "ansible");
            body.put(c.field(), c.value());
            Response refused = p.admin().post(p.path("/templates"), body);
            assertThat(refused.status()).as(c.toString()).isEqualTo(400);
            assertThat(refused.error()).as(c.toString()).contains(c.message());
        }
        Map<String, Object> noRepo = p.template("bad", "ansible");
        noRepo.remove("repository_id");
        assertThat(p.admin().post(p.path("/templates"), noRepo).error()).contains("repository_id");
        Map<String, Object> deploy = p.template("bad", "ansible");
        deploy.put("type", "deploy");
        assertThat(p.admin().post(p.path("/templates"), deploy).error()).contains("build_template_id");
        assertThat(p.admin().get(p.path("/templates")).json()).isEmpty();
    }

    @Test
    void aTemplateCannotPointIntoAnotherProject() {
        Project mine = project();
        Project theirs = project();
        for (String field : List.of("repository_id", "inventory_id", "environment_id", "view_id")) {
            Map<String, Object> body = mine.template("x", "ansible");
            long foreign = switch (field) {
                case "repository_id" -> theirs.repository();
                case "inventory_id" -> theirs.inventory();
                case "environment_id" -> theirs.environment();
                default -> theirs.view();
            };
            body.put(field, foreign);
            Response refused = mine.admin().post(mine.path("/templates"), body);
            assertThat(refused.status()).as(field).isEqualTo(400);
            assertThat(refused.error()).as(field).contains(field);
        }
        Map<String, Object> vault = mine.template("x", "ansible");
        vault.put("vaults", List.of(Map.of("type", "password", "vault_key_id", theirs.vaultKey())));
        assertThat(mine.admin().post(mine.path("/templates"), vault).status()).isEqualTo(400);
        long theirTemplate = theirs.admin().post(theirs.path("/templates"), theirs.template("t", "bash"))
                .json().get("id").asLong();
        assertThat(mine.admin().get(mine.path("/templates/" + theirTemplate)).status()).isEqualTo(404);
    }

    @Test
    void whatATemplateUsesCannotBeDeletedAndTheRefusalSaysWhy() {
        Project p = project();
        Map<String, Object> body = p.template("Nightly", "ansible");
        body.put("view_id", p.view());
        body.put("vaults", List.of(Map.of("type", "password", "vault_key_id", p.vaultKey())));
        body.put("type", "build");
        body.put("start_version", "1.0.0");
        long build = p.admin().post(p.path("/templates"), body).json().get("id").asLong();
        Map<String, Object> deploy = p.template("Ship", "ansible");
        deploy.put("type", "deploy");
        deploy.put("build_template_id", build);
        deploy.put("autorun", true);
        long ship = p.admin().post(p.path("/templates"), deploy).json().get("id").asLong();

        for (String path : List.of("/repositories/" + p.repository(), "/inventory/" + p.inventory(),
                "/environment/" + p.environment(), "/views/" + p.view(), "/keys/" + p.vaultKey(),
                "/templates/" + build)) {
            Response refused = p.admin().delete(p.path(path));
            assertThat(refused.status()).as(path).isEqualTo(400);
            assertThat(refused.error()).as(path).contains("in use by templates");
            assertThat(p.admin().get(p.path(path)).status()).as(path).isEqualTo(200);
        }
        assertThat(p.admin().get(p.path("/inventory/" + p.inventory() + "/refs")).json().get("templates")
                .findValuesAsText("name")).containsExactlyInAnyOrder("Nightly", "Ship");
        assertThat(p.admin().get(p.path("/templates/" + build + "/refs")).json().get("templates")
                .findValuesAsText("name")).containsExactly("Ship");

        assertThat(p.admin().delete(p.path("/templates/" + ship)).status()).isEqualTo(204);
        assertThat(p.admin().delete(p.path("/templates/" + build)).status()).isEqualTo(204);
        assertThat(p.admin().delete(p.path("/repositories/" + p.repository())).status()).isEqualTo(204);
        assertThat(p.admin().delete(p.path("/keys/" + p.vaultKey())).status()).isEqualTo(204);
    }

    @Test
    void updatesDescriptionAndEmptyHistories() {
        Project p = project();
        long id = p.admin().post(p.path("/templates"), p.template("a", "bash")).json().get("id").asLong();
        Map<String, Object> changed = p.template("b", "python");
        changed.put("playbook", "main.py");
        assertThat(p.admin().put(p.path("/templates/" + id), changed).status()).isEqualTo(204);
        assertThat(p.admin().get(p.path("/templates/" + id)).json().get("app").asText()).isEqualTo("python");
        assertThat(p.admin().put(p.path("/templates/" + id + "/description"), Map.of("description", "Runs main"))
                .status()).isEqualTo(204);
        assertThat(p.admin().get(p.path("/templates/" + id)).json().get("description").asText()).isEqualTo("Runs main");
        Map<String, Object> broken = p.template("c", "ansible");
        broken.put("playbook", "");
        assertThat(p.admin().put(p.path("/templates/" + id), broken).status()).isEqualTo(400);
        assertThat(p.admin().get(p.path("/templates/" + id)).json().get("name").asText()).isEqualTo("b");
        assertThat(p.admin().get(p.path("/templates/" + id + "/tasks")).json()).isEmpty();
        assertThat(p.admin().get(p.path("/templates/" + id + "/tasks/last")).json()).isEmpty();
        assertThat(p.admin().get(p.path("/templates/" + id + "/schedules")).json()).isEmpty();
        assertThat(p.admin().get(p.path("/templates/999999/tasks")).status()).isEqualTo(404);
        List<String> events = p.admin().get(p.path("/events")).json().findValuesAsText("description");
        assertThat(events).contains("Template a created", "Template b updated", "Template b description updated");
    }
}
