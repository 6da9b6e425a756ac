package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Contract;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Walks every documented route of the foundation once with a successful call and checks that each
 * response was validated against upstream's spec, so the contract check cannot silently miss one.
 */
@ParameterizedClass
@EnumSource(Dialect.class)
class ContractCoverageTest {
    @Parameter
    Dialect dialect;

    @Test
    void everyDocumentedFoundationRouteIsCheckedAgainstTheSpec() {
        TestServer server = TestServers.of(dialect);
        Client admin = server.admin();
        Client anon = server.anonymous();
        anon.get("/api/ping");
        anon.get("/api/auth/login");
        String login = TestServer.unique("cov");
        long userId = admin.post("/api/users", Map.of("username", login, "name", "Cov", "email", login + "@x.test",
                "password", "pw")).json().get("id").asLong();
        Response loggedIn = anon.post("/api/auth/login", Map.of("auth", login, "password", "pw"));
        Client session = server.withCookie(loggedIn.header("Set-Cookie").split(";")[0], userId);
        session.get("/api/user");
        session.post("/api/auth/logout", "");
        admin.get("/api/info");
        String token = admin.post("/api/user/tokens", "").json().get("id").asText();
        admin.get("/api/user/tokens");
        admin.delete("/api/user/tokens/" + token);
        admin.get("/api/users");
        admin.get("/api/users/" + userId);
        admin.put("/api/users/" + userId, Map.of("name", "Cov 2"));
        admin.post("/api/users/" + userId + "/password", Map.of("password", "pw2"));
        long project = admin.post("/api/projects", Map.of("name", "cov")).json().get("id").asLong();
        admin.get("/api/projects");
        admin.get("/api/project/" + project);
        admin.put("/api/project/" + project, Map.of("name", "cov2"));
        admin.get("/api/project/" + project + "/role");
        admin.post("/api/project/" + project + "/users", Map.of("user_id", userId, "role", "guest"));
        admin.get("/api/project/" + project + "/users?sort=name&order=asc");
        admin.put("/api/project/" + project + "/users/" + userId, Map.of("role", "manager"));
        admin.delete("/api/project/" + project + "/users/" + userId);
        admin.get("/api/project/" + project + "/events");
        String keys = "/api/project/" + project + "/keys";
        long key = admin.post(keys, Map.of("name", "k", "type", "login_password",
                "login_password", Map.of("login", "l", "password", "p"))).json().get("id").asLong();
        admin.get(keys + "?sort=name&order=asc");
        admin.put(keys + "/" + key, Map.of("name", "k2", "type", "login_password"));
        String repos = "/api/project/" + project + "/repositories";
        long repo = admin.post(repos, Map.of("name", "r", "git_url", "https://h/r.git", "git_branch", "main",
                "ssh_key_id", key)).json().get("id").asLong();
        admin.get(repos);
        admin.get(repos + "/" + repo);
        admin.put(repos + "/" + repo, Map.of("name", "r2", "git_url", "https://h/r.git", "ssh_key_id", key));
        String inventories = "/api/project/" + project + "/inventory";
        long inventory = admin.post(inventories, Map.of("name", "i", "type", "static", "inventory", "h1",
                "ssh_key_id", key, "repository_id", repo)).json().get("id").asLong();
        admin.get(inventories);
        admin.get(inventories + "/" + inventory);
        admin.put(inventories + "/" + inventory, Map.of("name", "i2", "type", "file", "inventory", "hosts"));
        admin.delete(inventories + "/" + inventory);
        String environments = "/api/project/" + project + "/environment";
        long environment = admin.post(environments, Map.of("name", "e", "json", "{}", "env", "{}", "secrets",
                java.util.List.of(Map.of("name", "s", "type", "var", "secret", "v", "operation", "create"))))
                .json().get("id").asLong();
        admin.get(environments);
        admin.get(environments + "/" + environment);
        admin.put(environments + "/" + environment, Map.of("name", "e2"));
        admin.delete(environments + "/" + environment);
        String views = "/api/project/" + project + "/views";
        long view = admin.post(views, Map.of("title", "v")).json().get("id").asLong();
        admin.get(views);
        admin.get(views + "/" + view);
        admin.put(views + "/" + view, Map.of("title", "v2", "position", 3));
        admin.delete(views + "/" + view);
        String templates = "/api/project/" + project + "/templates";
        long template = admin.post(templates, Map.of("name", "t", "app", "bash", "playbook", "run.sh",
                "repository_id", repo)).json().get("id").asLong();
        admin.get(templates + "?sort=name&order=asc");
        admin.get(templates + "/" + template);
        admin.put(templates + "/" + template, Map.of("name", "t2", "app", "bash", "playbook", "run.sh",
                "repository_id", repo));
        admin.delete(templates + "/" + template);
        admin.delete(repos + "/" + repo);
        admin.delete(keys + "/" + key);
        admin.get("/api/events");
        admin.get("/api/events/last");
        admin.delete("/api/project/" + project);
        admin.delete("/api/users/" + userId);

        assertThat(Contract.validatedOperations()).contains(
                "GET /ping", "GET /auth/login", "POST /auth/login", "POST /auth/logout", "GET /info",
                "GET /user", "GET /user/tokens", "POST /user/tokens", "DELETE /user/tokens/{token}",
                "GET /users", "POST /users", "GET /users/{id}", "PUT /users/{id}", "DELETE /users/{id}",
                "POST /users/{id}/password", "GET /projects", "POST /projects", "GET /project/{id}",
                "PUT /project/{id}", "DELETE /project/{id}", "GET /project/{id}/role", "GET /project/{id}/events",
                "GET /project/{id}/users", "POST /project/{id}/users", "PUT /project/{id}/users/{id}",
                "DELETE /project/{id}/users/{id}", "GET /events", "GET /events/last",
                "GET /project/{id}/keys", "POST /project/{id}/keys", "PUT /project/{id}/keys/{id}",
                "DELETE /project/{id}/keys/{id}", "GET /project/{id}/repositories",
                "POST /project/{id}/repositories", "GET /project/{id}/repositories/{id}",
                "PUT /project/{id}/repositories/{id}", "DELETE /project/{id}/repositories/{id}",
                "GET /project/{id}/inventory", "POST /project/{id}/inventory", "GET /project/{id}/inventory/{id}",
                "PUT /project/{id}/inventory/{id}", "DELETE /project/{id}/inventory/{id}",
                "GET /project/{id}/environment", "POST /project/{id}/environment",
                "GET /project/{id}/environment/{id}", "PUT /project/{id}/environment/{id}",
                "DELETE /project/{id}/environment/{id}", "GET /project/{id}/views", "POST /project/{id}/views",
                "GET /project/{id}/views/{id}", "PUT /project/{id}/views/{id}", "DELETE /project/{id}/views/{id}",
                "GET /project/{id}/templates", "POST /project/{id}/templates", "GET /project/{id}/templates/{id}",
                "PUT /project/{id}/templates/{id}", "DELETE /project/{id}/templates/{id}");
    }
}
