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
class RepositoriesApiTest {
    @Parameter
    Dialect dialect;

    private TestServer server() {
        return TestServers.of(dialect);
    }

    private static long noneKey(Client client, long project) {
        return client.get("/api/project/" + project + "/keys").json().get(0).get("id").asLong();
    }

    private static Map<String, Object> repo(String name, String url, String branch, long key) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("git_url", url);
        body.put("git_branch", branch);
        body.put("ssh_key_id", key);
        return body;
    }

    @Test
    void everyUpstreamUrlFormIsAccepted() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("urls"));
        long key = noneKey(admin, project);
        String base = "/api/project/" + project + "/repositories";
        List<String> urls = List.of("https://github.com/semaphoreui/semaphore-demo.git",
                "http://git.internal/ops.git", "ssh://git@git.example.com:2222/ops/playbooks.git",
                "git@github.com:semaphoreui/semaphore-demo.git", "git://git.example.com/ops.git",
                "file:///srv/git/ops.git", "/srv/git/ops");
        for (String url : urls) {
            Response created = admin.post(base, repo("r " + url, url, "main", key));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.json().get("git_url").asText()).isEqualTo(url);
            assertThat(created.json().get("ssh_key_id").asLong()).isEqualTo(key);
        }
        assertThat(admin.get(base).json()).hasSize(urls.size());
    }

    @Test
    void urlsAndBranchesThatCouldInjectIntoGitAreRefused() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("inject"));
        long key = noneKey(admin, project);
        String base = "/api/project/" + project + "/repositories";
        for (String url : List.of("--upload-pack=touch /tmp/pwned", "-oProxyCommand=evil", "ext::sh -c touch% /tmp/x",
                "fd::17", "https://host/repo.git --upload-pack=x", "ssh://-oProxyCommand=x/repo", "relative/path",
                "ftp://host/repo", "", "https://")) {
            Response refused = admin.post(base, repo("bad", url, "main", key));
            assertThat(refused.status()).as(url).isEqualTo(400);
            assertThat(refused.error()).as(url).contains("git_url");
        }
        for (String branch : List.of("-b", "--upload-pack=x", "main..dev", "a b", "feature~1", "x.lock", "/main")) {
            Response refused = admin.post(base, repo("bad", "https://h/r.git", branch, key));
            assertThat(refused.status()).as(branch).isEqualTo(400);
            assertThat(refused.error()).as(branch).contains("git_branch");
        }
        assertThat(admin.post(base, repo("ok", "https://h/r.git", "release/2.0", key)).status()).isEqualTo(201);
        assertThat(admin.get(base).json()).hasSize(1);
    }

    @Test
    void aRepositoryCannotUseAnotherProjectsKey() {
        Client admin = server().admin();
        long mine = createProject(admin, TestServer.unique("mine"));
        long theirs = createProject(admin, TestServer.unique("theirs"));
        long foreignKey = noneKey(admin, theirs);
        Response refused = admin.post("/api/project/" + mine + "/repositories",
                repo("r", "https://h/r.git", "main", foreignKey));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).contains("ssh_key_id");
        assertThat(admin.post("/api/project/" + mine + "/repositories", Map.of("name", "r", "git_url", "https://h/r"))
                .error()).contains("ssh_key_id");
        assertThat(admin.get("/api/project/" + mine + "/repositories").json()).isEmpty();
    }

    @Test
    void aKeyInUseByARepositoryCannotBeDeletedAndRefsSayWhy() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("inuse"));
        long key = admin.post("/api/project/" + project + "/keys", Map.of("name", "deploy", "type", "login_password",
                "login_password", Map.of("login", "u", "password", "p"))).json().get("id").asLong();
        long repoId = admin.post("/api/project/" + project + "/repositories",
                repo("playbooks", "https://h/r.git", "main", key)).json().get("id").asLong();

        JsonNode refs = admin.get("/api/project/" + project + "/keys/" + key + "/refs").json();
        assertThat(refs.get("repositories").findValuesAsText("name")).containsExactly("playbooks");
        Response refused = admin.delete("/api/project/" + project + "/keys/" + key);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).contains("in use").contains("playbooks");
        assertThat(admin.get("/api/project/" + project + "/keys/" + key).status()).isEqualTo(200);

        assertThat(admin.delete("/api/project/" + project + "/repositories/" + repoId).status()).isEqualTo(204);
        assertThat(admin.delete("/api/project/" + project + "/keys/" + key).status()).isEqualTo(204);
    }

    @Test
    void updatesApplyAndAreLogged() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("repoupd"));
        long key = noneKey(admin, project);
        String base = "/api/project/" + project + "/repositories";
        long id = admin.post(base, repo("a", "https://h/a.git", "main", key)).json().get("id").asLong();
        assertThat(admin.put(base + "/" + id, repo("b", "git@h:b.git", "dev", key)).status()).isEqualTo(204);
        JsonNode updated = admin.get(base + "/" + id).json();
        assertThat(updated.get("name").asText()).isEqualTo("b");
        assertThat(updated.get("git_branch").asText()).isEqualTo("dev");
        assertThat(admin.put(base + "/" + id, repo("c", "-x", "dev", key)).status()).isEqualTo(400);
        assertThat(admin.get(base + "/" + id).json().get("name").asText()).isEqualTo("b");
        assertThat(admin.get(base + "/" + id + "/refs").json().has("templates")).isTrue();
        assertThat(admin.get(base + "?sort=git_url&order=desc").status()).isEqualTo(200);
        assertThat(admin.get(base + "?sort=secret").status()).isEqualTo(400);
        List<String> events = admin.get("/api/project/" + project + "/events").json().findValuesAsText("description");
        assertThat(events).contains("Repository a created", "Repository b updated");
        long other = createProject(admin, TestServer.unique("elsewhere"));
        assertThat(admin.get("/api/project/" + other + "/repositories/" + id).status()).isEqualTo(404);
    }
}
