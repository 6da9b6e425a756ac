package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Dialect.class)
class ProjectsApiTest {
    @Parameter
    Dialect dialect;

    private TestServer server() {
        return TestServers.of(dialect);
    }

    static long createProject(Client owner, String name) {
        Response created = owner.post("/api/projects", Map.of("name", name));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    static void addMember(Client owner, long project, Client member, String role) {
        Response added = owner.post("/api/project/" + project + "/users",
                Map.of("user_id", member.userId(), "role", role));
        assertThat(added.status()).as(added.toString()).isEqualTo(204);
    }

    @Test
    void theCreatorOwnsANewProjectAndOnlyMembersSeeIt() {
        Client admin = server().admin();
        Client outsider = server().newUser("outsider");
        String name = TestServer.unique("Proj");
        Response created = admin.post("/api/projects", Map.of("name", name, "alert", true, "alert_chat", "ops",
                "max_parallel_tasks", 3));
        assertThat(created.status()).isEqualTo(201);
        JsonNode project = created.json();
        long id = project.get("id").asLong();
        assertThat(project.get("name").asText()).isEqualTo(name);
        assertThat(project.get("alert").asBoolean()).isTrue();
        assertThat(project.get("alert_chat").asText()).isEqualTo("ops");
        assertThat(project.get("max_parallel_tasks").asInt()).isEqualTo(3);
        assertThat(project.get("created").asText()).endsWith("Z");

        assertThat(admin.get("/api/project/" + id + "/role").json().get("role").asText()).isEqualTo("owner");
        assertThat(admin.get("/api/project/" + id + "/role").json().get("permissions").asInt()).isEqualTo(15);
        assertThat(admin.get("/api/projects").json().findValuesAsText("name")).contains(name);
        assertThat(outsider.get("/api/projects").json().findValuesAsText("name")).doesNotContain(name);
        // As upstream 2.19: a stranger is told what a project that does not exist tells.
        Response hidden = outsider.get("/api/project/" + id);
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.body()).isEqualTo(outsider.get("/api/project/" + (id + 100_000)).body()
                .replace(String.valueOf(id + 100_000), String.valueOf(id)));
    }

    @Test
    void trailingSlashesWorkAsWithout() {
        Client admin = server().admin();
        long id = createProject(admin, TestServer.unique("slash"));
        assertThat(admin.get("/api/projects/").status()).isEqualTo(200);
        assertThat(admin.get("/api/project/" + id + "/").json().get("id").asLong()).isEqualTo(id);
        assertThat(admin.get("/api/project/" + id + "/users/?sort=name&order=asc").status()).isEqualTo(200);
    }

    @Test
    void nonAdminsCannotCreateProjectsByDefault() {
        Client user = server().newUser("creator");
        Response response = user.post("/api/projects", Map.of("name", "nope"));
        assertThat(response.status()).isEqualTo(403);
        assertThat(user.get("/api/projects").json()).isEmpty();
        assertThat(user.get("/api/user").json().get("can_create_project").asBoolean()).isFalse();
    }

    @Test
    void nonAdminsCreateProjectsWhenTheServerAllowsIt() {
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.SQLITE);
        json.put("non_admin_can_create_project", true);
        Config config = new ConfigLoader(Map.of()).fromJson(json);
        try (TestServer own = new TestServer(Dialect.SQLITE, config)) {
            Client user = own.newUser("maker");
            assertThat(user.get("/api/user").json().get("can_create_project").asBoolean()).isTrue();
            long id = createProject(user, "mine");
            assertThat(user.get("/api/project/" + id + "/role").json().get("role").asText()).isEqualTo("owner");
        }
    }

    @Test
    void updatesApplyAndBadValuesChangeNothing() {
        Client admin = server().admin();
        long id = createProject(admin, TestServer.unique("upd"));
        assertThat(admin.put("/api/project/" + id, Map.of("id", id, "name", "Renamed", "max_parallel_tasks", 2))
                .status()).isEqualTo(204);
        assertThat(admin.get("/api/project/" + id).json().get("name").asText()).isEqualTo("Renamed");

        Response negative = admin.put("/api/project/" + id, Map.of("name", "X", "max_parallel_tasks", -1));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.error()).contains("max_parallel_tasks");
        Response wrongId = admin.put("/api/project/" + id, Map.of("id", id + 1000, "name", "Y"));
        assertThat(wrongId.status()).isEqualTo(400);
        assertThat(admin.put("/api/project/" + id, Map.of("name", "")).status()).isEqualTo(400);
        assertThat(admin.put("/api/project/" + id, Map.of("name", List.of("a"))).status()).isEqualTo(400);
        JsonNode after = admin.get("/api/project/" + id).json();
        assertThat(after.get("name").asText()).isEqualTo("Renamed");
        assertThat(after.get("max_parallel_tasks").asInt()).isEqualTo(2);
    }

    @Test
    void deletingAProjectRemovesItAndItsTeam() {
        Client admin = server().admin();
        Client member = server().newUser("member");
        long id = createProject(admin, TestServer.unique("del"));
        addMember(admin, id, member, "manager");
        assertThat(admin.delete("/api/project/" + id).status()).isEqualTo(204);
        assertThat(admin.get("/api/project/" + id).status()).isEqualTo(404);
        assertThat(member.get("/api/project/" + id).status()).isEqualTo(404);
        assertThat(member.get("/api/projects").json()).isEmpty();
        assertThat(admin.get("/api/project/abc").status()).isEqualTo(400);
    }

    @Test
    void deletingAProjectRemovesEverythingInIt() {
        Client admin = server().admin();
        long id = createProject(admin, TestServer.unique("full"));
        String base = "/api/project/" + id;
        long key = admin.post(base + "/keys", Map.of("name", "k", "type", "string", "string", "s")).json()
                .get("id").asLong();
        long repo = admin.post(base + "/repositories", Map.of("name", "r", "git_url", "https://h/r.git",
                "ssh_key_id", key)).json().get("id").asLong();
        long inventory = admin.post(base + "/inventory", Map.of("name", "i", "type", "static", "inventory", "h",
                "ssh_key_id", key)).json().get("id").asLong();
        long env = admin.post(base + "/environment", Map.of("name", "e", "secrets", List.of(Map.of("name", "s",
                "type", "var", "secret", "v")))).json().get("id").asLong();
        admin.post(base + "/templates", Map.of("name", "t", "app", "ansible", "playbook", "site.yml",
                "repository_id", repo, "inventory_id", inventory, "environment_id", env,
                "vaults", List.of(Map.of("type", "password", "vault_key_id", key))));
        assertThat(admin.delete(base).status()).isEqualTo(204);
        for (String table : List.of("access_keys", "repositories", "inventories", "environments", "templates",
                "views", "project_users", "events")) {
            long left = server().services().db().read(h -> h.createQuery(
                    "SELECT COUNT(*) FROM " + table + " WHERE project_id = :p").bind("p", id).mapTo(Long.class).one());
            assertThat(left).as(table).isZero();
        }
        long secretsLeft = server().services().db().read(h -> h.createQuery(
                "SELECT COUNT(*) FROM environment_secrets WHERE environment_id = :e").bind("e", env)
                .mapTo(Long.class).one());
        assertThat(secretsLeft).isZero();
    }

    @Test
    void membersAreListedSortedAndValidated() {
        Client admin = server().admin();
        Client a = server().newUser("aaa");
        Client b = server().newUser("bbb");
        long id = createProject(admin, TestServer.unique("team"));
        addMember(admin, id, a, "guest");
        addMember(admin, id, b, "task_runner");

        JsonNode byRoleDesc = admin.get("/api/project/" + id + "/users?sort=role&order=desc").json();
        assertThat(byRoleDesc.findValuesAsText("role")).containsExactly("task_runner", "owner", "guest");
        JsonNode member = admin.get("/api/project/" + id + "/users/" + a.userId()).json();
        assertThat(member.get("role").asText()).isEqualTo("guest");
        // Upstream's fields: other members' e-mail addresses are not shown (a guest lists the members too).
        for (JsonNode listed : a.get("/api/project/" + id + "/users").json()) {
            assertThat(fieldNames(listed)).containsExactlyInAnyOrder("id", "name", "username", "role");
        }
        assertThat(fieldNames(member)).containsExactlyInAnyOrder("id", "name", "username", "role");
        assertThat(admin.get("/api/project/" + id + "/users?sort=password").status()).isEqualTo(400);
        assertThat(admin.get("/api/project/" + id + "/users?order=up").status()).isEqualTo(400);

        Response again = admin.post("/api/project/" + id + "/users", Map.of("user_id", a.userId(), "role", "owner"));
        assertThat(again.status()).isEqualTo(400);
        Response unknown = admin.post("/api/project/" + id + "/users", Map.of("user_id", 987654, "role", "guest"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error()).contains("user_id");
        Response badRole = admin.post("/api/project/" + id + "/users",
                Map.of("user_id", server().newUser("r").userId(), "role", "emperor"));
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.error()).contains("role");
        assertThat(admin.get("/api/project/" + id + "/users").json()).hasSize(3);
    }

    private static java.util.List<String> fieldNames(JsonNode object) {
        java.util.List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void anOwnerChangesRolesAndAManagerChangesNone() {
        Client owner = server().admin();
        Client manager = server().newUser("mgr");
        Client guest = server().newUser("gst");
        long id = createProject(owner, TestServer.unique("roles"));
        addMember(owner, id, manager, "manager");
        addMember(owner, id, guest, "guest");

        assertThat(owner.put("/api/project/" + id + "/users/" + guest.userId(), Map.of("role", "task_runner"))
                .status()).isEqualTo(204);
        assertThat(guest.get("/api/project/" + id + "/role").json().get("role").asText()).isEqualTo("task_runner");
        assertThat(guest.get("/api/project/" + id + "/role").json().get("permissions").asInt()).isEqualTo(1);
        // As upstream's role bits: a manager (run tasks, manage resources) manages no member.
        assertThat(manager.get("/api/project/" + id + "/role").json().get("permissions").asInt()).isEqualTo(5);

        for (Response refused : List.of(
                manager.put("/api/project/" + id + "/users/" + guest.userId(), Map.of("role", "guest")),
                manager.put("/api/project/" + id + "/users/" + guest.userId(), Map.of("role", "owner")),
                manager.put("/api/project/" + id + "/users/" + owner.userId(), Map.of("role", "guest")),
                manager.delete("/api/project/" + id + "/users/" + owner.userId()),
                manager.delete("/api/project/" + id + "/users/" + guest.userId()))) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        }
        assertThat(guest.get("/api/project/" + id + "/role").json().get("role").asText()).isEqualTo("task_runner");
        assertThat(owner.get("/api/project/" + id + "/role").json().get("role").asText()).isEqualTo("owner");
    }

    @Test
    void theLastOwnerCannotDemoteRemoveOrLeaveButAnAdminMayRemoveThem() {
        Client admin = server().admin();
        Client owner = server().newUser("sole");
        Client other = server().newUser("other");
        long id = createProject(admin, TestServer.unique("last"));
        addMember(admin, id, owner, "owner");
        assertThat(admin.delete("/api/project/" + id + "/me").status()).isEqualTo(204);
        Response demote = owner.put("/api/project/" + id + "/users/" + owner.userId(), Map.of("role", "manager"));
        assertThat(demote.status()).isEqualTo(400);
        assertThat(demote.error()).contains("owner");
        assertThat(owner.delete("/api/project/" + id + "/users/" + owner.userId()).status()).isEqualTo(400);
        assertThat(owner.delete("/api/project/" + id + "/me").status()).isEqualTo(400);

        addMember(owner, id, other, "owner");
        assertThat(owner.delete("/api/project/" + id + "/me").status()).isEqualTo(204);
        assertThat(other.get("/api/project/" + id + "/users").json().findValuesAsText("role"))
                .containsExactly("owner");
        // An admin may demote or remove a project's last owner, as upstream allows: they manage it anyway.
        assertThat(admin.put("/api/project/" + id + "/users/" + other.userId(), Map.of("role", "manager")).status())
                .isEqualTo(204);
        assertThat(admin.delete("/api/project/" + id + "/users/" + other.userId()).status()).isEqualTo(204);
    }

    @Test
    void aDemoProjectComesWithUpstreamsDemoObjects() {
        Client admin = server().admin();
        Response created = admin.post("/api/projects", Map.of("name", TestServer.unique("demo"), "demo", true));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String p = "/api/project/" + created.json().get("id").asLong();
        assertThat(admin.get(p + "/repositories").json().findValuesAsText("name")).containsExactly("Demo");
        assertThat(admin.get(p + "/inventory").json().findValuesAsText("name")).containsExactlyInAnyOrder("Build", "Dev",
                "Prod");
        assertThat(admin.get(p + "/environment").json().findValuesAsText("name")).containsExactly("Empty");
        assertThat(admin.get(p + "/views").json().findValuesAsText("title")).containsExactly("All", "Build", "Deploy",
                "Tools");
        var templates = admin.get(p + "/templates").json();
        assertThat(templates.findValuesAsText("name")).containsExactlyInAnyOrder("Build", "Deploy to Dev",
                "Deploy to Production", "Ping");
        long build = templates.findValues("id").get(templates.findValuesAsText("name").indexOf("Build")).asLong();
        templates.forEach(t -> {
            if (t.get("name").asText().startsWith("Deploy")) {
                assertThat(t.get("type").asText()).isEqualTo("deploy");
                assertThat(t.get("build_template_id").asLong()).isEqualTo(build);
            }
        });
        long plain = createProject(admin, TestServer.unique("plain"));
        assertThat(admin.get("/api/project/" + plain + "/templates").json()).isEmpty();
    }

    @Test
    void aMemberLeavesAProject() {
        Client owner = server().admin();
        Client member = server().newUser("leaver");
        long id = createProject(owner, TestServer.unique("leave"));
        addMember(owner, id, member, "task_runner");
        assertThat(member.delete("/api/project/" + id + "/me").status()).isEqualTo(204);
        assertThat(member.get("/api/project/" + id).status()).isEqualTo(404);
        assertThat(owner.get("/api/project/" + id + "/users").json()).hasSize(1);
    }
}
