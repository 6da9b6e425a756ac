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
class InventoriesApiTest {
    private static final String INI = """
            # web tier
            [web]
            web[01:03].example.com ansible_user=deploy
            db.example.com ansible_port=2222 ansible_host="10.0.0.5"

            [web:vars]
            http_port=8080

            [prod:children]
            web
            """;
    private static final String YAML = """
            all:
              hosts:
                app1.example.com:
                  ansible_port: 2222
              children:
                web:
                  hosts:
                    web1.example.com:
                  vars:
                    http_port: 8080
            """;

    @Parameter
    Dialect dialect;

    private TestServer server() {
        return TestServers.of(dialect);
    }

    private static Map<String, Object> inventory(String name, String type, String content) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("type", type);
        body.put("inventory", content);
        return body;
    }

    @Test
    void everyInventoryTypeIsStored() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("inv"));
        String base = "/api/project/" + project + "/inventory";
        long key = admin.get("/api/project/" + project + "/keys").json().get(0).get("id").asLong();
        long repo = admin.post("/api/project/" + project + "/repositories", Map.of("name", "r",
                "git_url", "https://h/r.git", "ssh_key_id", key)).json().get("id").asLong();
        Map<String, Object> withKeys = inventory("ini", "static", INI);
        withKeys.put("ssh_key_id", key);
        withKeys.put("become_key_id", key);
        Response ini = admin.post(base, withKeys);
        assertThat(ini.status()).as(ini.toString()).isEqualTo(201);
        assertThat(ini.json().get("inventory").asText()).isEqualTo(INI);
        assertThat(ini.json().get("ssh_key_id").asLong()).isEqualTo(key);
        assertThat(ini.json().has("template_id")).as("sent always, as upstream").isTrue();
        assertThat(admin.post(base, inventory("yaml", "static-yaml", YAML)).status()).isEqualTo(201);
        Map<String, Object> file = inventory("file", "file", "inventories/prod.ini");
        file.put("repository_id", repo);
        Response fileInRepo = admin.post(base, file);
        assertThat(fileInRepo.status()).isEqualTo(201);
        assertThat(fileInRepo.json().get("repository_id").asLong()).isEqualTo(repo);
        assertThat(admin.post(base, inventory("tf", "terraform-workspace", "staging")).status()).isEqualTo(201);
        assertThat(admin.post(base, inventory("tofu", "tofu-workspace", "default")).status()).isEqualTo(201);
        assertThat(admin.get(base).json()).hasSize(5);
        assertThat(admin.get(base + "?sort=type&order=desc").json().get(0).get("type").asText())
                .isEqualTo("tofu-workspace");
    }

    @Test
    void inventoriesThatDoNotParseAreRefusedWithTheLine() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("badinv"));
        String base = "/api/project/" + project + "/inventory";
        Map<String, String> badIni = Map.of(
                "[web\nhost1", "line 1",
                "[web]\nhost1 ansible_port", "line 2",
                "[web]\nok\n[web:vars]\nnot an assignment", "line 4",
                "[web:weird]\nhost", "line 1",
                "[web]\nhost 'unterminated", "line 2",
                "[prod:children]\nweb db", "line 2");
        badIni.forEach((content, line) -> {
            Response refused = admin.post(base, inventory("bad", "static", content));
            assertThat(refused.status()).as(content).isEqualTo(400);
            assertThat(refused.error()).as(content).contains("inventory").contains(line);
        });
        Response badYaml = admin.post(base, inventory("bad", "static-yaml", "all:\n  hosts:\n    - [unclosed\n"));
        assertThat(badYaml.status()).isEqualTo(400);
        assertThat(badYaml.error()).contains("line");
        assertThat(admin.post(base, inventory("bad", "static-yaml", "all:\n  servers: {}\n")).error())
                .contains("servers");
        assertThat(admin.post(base, inventory("bad", "static-yaml", "- a\n- b\n")).status()).isEqualTo(400);
        assertThat(admin.post(base, inventory("bad", "file", "")).status()).isEqualTo(400);
        assertThat(admin.post(base, inventory("bad", "file", "-i/etc/passwd")).status()).isEqualTo(400);
        assertThat(admin.post(base, inventory("bad", "terraform-workspace", "two words")).status()).isEqualTo(400);
        assertThat(admin.post(base, inventory("bad", "dynamic", "x")).error()).contains("type");
        assertThat(admin.get(base).json()).isEmpty();
    }

    @Test
    void referencesStayInsideTheProjectAndBlockDeletes() {
        Client admin = server().admin();
        long mine = createProject(admin, TestServer.unique("invmine"));
        long theirs = createProject(admin, TestServer.unique("invtheirs"));
        long foreignKey = admin.get("/api/project/" + theirs + "/keys").json().get(0).get("id").asLong();
        Map<String, Object> foreign = inventory("x", "static", "host1");
        foreign.put("ssh_key_id", foreignKey);
        Response refused = admin.post("/api/project/" + mine + "/inventory", foreign);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).contains("ssh_key_id");
        Map<String, Object> foreignRepo = inventory("x", "file", "hosts.ini");
        foreignRepo.put("repository_id", 999999);
        assertThat(admin.post("/api/project/" + mine + "/inventory", foreignRepo).error()).contains("repository_id");

        long key = admin.post("/api/project/" + mine + "/keys", Map.of("name", "become", "type", "login_password",
                "login_password", Map.of("login", "root", "password", "pw"))).json().get("id").asLong();
        Map<String, Object> body = inventory("servers", "static", "host1");
        body.put("become_key_id", key);
        long inventory = admin.post("/api/project/" + mine + "/inventory", body).json().get("id").asLong();
        JsonNode refs = admin.get("/api/project/" + mine + "/keys/" + key + "/refs").json();
        assertThat(refs.get("inventories").findValuesAsText("name")).containsExactly("servers");
        Response blocked = admin.delete("/api/project/" + mine + "/keys/" + key);
        assertThat(blocked.status()).isEqualTo(400);
        assertThat(blocked.error()).contains("inventories servers");
        assertThat(admin.get("/api/project/" + theirs + "/inventory/" + inventory).status()).isEqualTo(404);
        assertThat(admin.delete("/api/project/" + mine + "/inventory/" + inventory).status()).isEqualTo(204);
        assertThat(admin.delete("/api/project/" + mine + "/keys/" + key).status()).isEqualTo(204);
        List<String> events = admin.get("/api/project/" + mine + "/events").json().findValuesAsText("description");
        assertThat(events).contains("Inventory servers created", "Inventory servers deleted");
    }

    @Test
    void updatesAreCheckedLikeCreates() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("invupd"));
        String base = "/api/project/" + project + "/inventory";
        long id = admin.post(base, inventory("a", "static", "host1")).json().get("id").asLong();
        assertThat(admin.put(base + "/" + id, inventory("b", "static-yaml", YAML)).status()).isEqualTo(204);
        assertThat(admin.get(base + "/" + id).json().get("type").asText()).isEqualTo("static-yaml");
        assertThat(admin.put(base + "/" + id, inventory("c", "static", "[broken")).status()).isEqualTo(400);
        assertThat(admin.get(base + "/" + id).json().get("name").asText()).isEqualTo("b");
        assertThat(admin.get(base + "/" + id + "/refs").json().has("templates")).isTrue();
    }

    /**
     * Upstream's Terraform workspaces tab: a template's workspaces are inventories attached to it (template_id),
     * listed with ?template_id= and ?app=; one is its default; a task may choose any of them.
     */
    @Test
    void aTemplatesWorkspacesAreAttachedDetachedAndOneIsItsDefault() throws Exception {
        dev.semaphore.testing.ProjectFixture p = dev.semaphore.testing.ProjectFixture.create(server(), "workspaces");
        java.nio.file.Path code = java.nio.file.Files.createTempDirectory("workspaces");
        java.nio.file.Files.writeString(code.resolve("main.tf"), "output \"ws\" { value = terraform.workspace }\n");
        long repository = p.create("/repositories", Map.of("name", "tf", "git_url", code.toString(),
                "ssh_key_id", p.noneKey()));
        long template = p.create("/templates", Map.of("name", "infra", "app", "terraform", "playbook", "",
                "repository_id", repository, "task_params", Map.of("auto_approve", true)));
        long staging = p.create("/inventory", inventory("staging", "terraform-workspace", "staging"));
        Map<String, Object> prodBody = inventory("prod", "terraform-workspace", "prod");
        prodBody.put("template_id", template);
        long prod = p.create("/inventory", prodBody);
        p.create("/inventory", inventory("hosts", "static", "web1"));
        String base = "/templates/" + template + "/inventory/";
        assertThat(p.admin().post(p.path(base + staging + "/attach"), "").status()).isEqualTo(204);
        assertThat(p.admin().post(p.path(base + prod + "/set_default"), "").status()).isEqualTo(204);
        assertThat(p.admin().get(p.path("/inventory?template_id=" + template)).json().findValuesAsText("name"))
                .containsExactlyInAnyOrder("staging", "prod");
        assertThat(p.admin().get(p.path("/inventory?app=terraform")).json().findValuesAsText("name"))
                .containsExactlyInAnyOrder("staging", "prod");
        assertThat(p.admin().get(p.path("/inventory?app=ansible")).json().findValuesAsText("name"))
                .containsExactly("hosts");
        assertThat(p.admin().get(p.path("/templates/" + template)).json().get("inventory_id").asLong()).isEqualTo(prod);
        assertThat(p.admin().get(p.path("/inventory/" + staging)).json().get("template_id").asLong()).isEqualTo(template);

        // A task chooses one of the template's workspaces without allow_override_inventory.
        long task = p.run(template, Map.of("inventory_id", staging)).get("id").asLong();
        assertThat(p.admin().get(p.path("/tasks/" + task)).json().get("inventory_id").asLong()).isEqualTo(staging);

        assertThat(p.admin().post(p.path(base + prod + "/detach"), "").status()).isEqualTo(204);
        assertThat(p.admin().get(p.path("/templates/" + template)).json().get("inventory_id").isNull())
                .as("detaching the default leaves the template without one").isTrue();
        assertThat(p.admin().get(p.path("/inventory?template_id=" + template)).json().findValuesAsText("name"))
                .containsExactly("staging");
        assertThat(p.admin().post(p.path(base + "999999/attach"), "").status()).isEqualTo(404);
        Map<String, Object> foreign = inventory("x", "terraform-workspace", "x");
        foreign.put("template_id", 999999);
        assertThat(p.admin().post(p.path("/inventory"), foreign).error()).contains("template_id");
        assertThat(p.await(task, 60_000, "success", "error").get("status").asText()).as(p.plainOutput(task))
                .isEqualTo("success");
        assertThat(p.plainOutput(task)).as("it ran in the workspace it chose").contains("ws = \"staging\"");
        assertThat(p.admin().delete(p.path("/templates/" + template)).status()).isEqualTo(204);
        assertThat(p.admin().get(p.path("/inventory/" + staging)).json().get("template_id").isNull()).isTrue();
    }
}
