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
 * Walks every documented route of the foundation once with a successful call, and checks for each
 * call its status and that this very response was validated against upstream's spec as the operation
 * named, so the contract check cannot silently miss one.
 */
@ParameterizedClass
@EnumSource(Dialect.class)
class ContractCoverageTest {
    @Parameter
    Dialect dialect;

    /** The call answered {@code status} and was itself validated as {@code operation}. */
    private static Response covered(Response response, int status, String operation) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(Contract.operationOf(response)).as(response.toString()).isEqualTo(operation);
        return response;
    }

    @Test
    void everyDocumentedFoundationRouteIsCheckedAgainstTheSpec() {
        TestServer server = TestServers.of(dialect);
        Client admin = server.admin();
        Client anon = server.anonymous();
        covered(anon.get("/api/ping"), 200, "GET /ping");
        covered(anon.get("/api/auth/login"), 200, "GET /auth/login");
        String login = TestServer.unique("cov");
        long userId = covered(admin.post("/api/users", Map.of("username", login, "name", "Cov", "email",
                login + "@x.test", "password", "pw")), 201, "POST /users").json().get("id").asLong();
        Response loggedIn = covered(anon.post("/api/auth/login", Map.of("auth", login, "password", "pw")), 204,
                "POST /auth/login");
        Client session = server.withCookie(loggedIn.header("Set-Cookie").split(";")[0], userId);
        covered(session.get("/api/user"), 200, "GET /user");
        covered(session.post("/api/auth/logout", ""), 204, "POST /auth/logout");
        covered(admin.get("/api/info"), 200, "GET /info");
        String token = covered(admin.post("/api/user/tokens", ""), 201, "POST /user/tokens").json().get("id").asText();
        covered(admin.get("/api/user/tokens"), 200, "GET /user/tokens");
        covered(admin.delete("/api/user/tokens/" + token), 204, "DELETE /user/tokens/{token}");
        covered(admin.get("/api/users"), 200, "GET /users");
        covered(admin.get("/api/users/" + userId), 200, "GET /users/{id}");
        covered(admin.put("/api/users/" + userId, Map.of("name", "Cov 2")), 204, "PUT /users/{id}");
        covered(admin.post("/api/users/" + userId + "/password", Map.of("password", "pw2")), 204,
                "POST /users/{id}/password");
        long project = covered(admin.post("/api/projects", Map.of("name", "cov")), 201, "POST /projects").json()
                .get("id").asLong();
        String p = "/api/project/" + project;
        covered(admin.get("/api/projects"), 200, "GET /projects");
        covered(admin.get(p), 200, "GET /project/{id}");
        covered(admin.put(p, Map.of("name", "cov2")), 204, "PUT /project/{id}");
        covered(admin.get(p + "/role"), 200, "GET /project/{id}/role");
        covered(admin.post(p + "/users", Map.of("user_id", userId, "role", "guest")), 204, "POST /project/{id}/users");
        covered(admin.get(p + "/users?sort=name&order=asc"), 200, "GET /project/{id}/users");
        covered(admin.put(p + "/users/" + userId, Map.of("role", "manager")), 204, "PUT /project/{id}/users/{id}");
        covered(admin.delete(p + "/users/" + userId), 204, "DELETE /project/{id}/users/{id}");
        covered(admin.get(p + "/events"), 200, "GET /project/{id}/events");
        String keys = p + "/keys";
        long key = covered(admin.post(keys, Map.of("name", "k", "type", "login_password",
                "login_password", Map.of("login", "l", "password", "p"))), 201, "POST /project/{id}/keys").json()
                .get("id").asLong();
        covered(admin.get(keys + "?sort=name&order=asc"), 200, "GET /project/{id}/keys");
        covered(admin.put(keys + "/" + key, Map.of("name", "k2", "type", "login_password")), 204,
                "PUT /project/{id}/keys/{id}");
        String repos = p + "/repositories";
        long repo = covered(admin.post(repos, Map.of("name", "r", "git_url", "https://h/r.git", "git_branch", "main",
                "ssh_key_id", key)), 201, "POST /project/{id}/repositories").json().get("id").asLong();
        covered(admin.get(repos), 200, "GET /project/{id}/repositories");
        covered(admin.get(repos + "/" + repo), 200, "GET /project/{id}/repositories/{id}");
        covered(admin.put(repos + "/" + repo, Map.of("name", "r2", "git_url", "https://h/r.git", "ssh_key_id", key)),
                204, "PUT /project/{id}/repositories/{id}");
        String inventories = p + "/inventory";
        long inventory = covered(admin.post(inventories, Map.of("name", "i", "type", "static", "inventory", "h1",
                "ssh_key_id", key, "repository_id", repo)), 201, "POST /project/{id}/inventory").json().get("id")
                .asLong();
        covered(admin.get(inventories), 200, "GET /project/{id}/inventory");
        covered(admin.get(inventories + "/" + inventory), 200, "GET /project/{id}/inventory/{id}");
        covered(admin.put(inventories + "/" + inventory, Map.of("name", "i2", "type", "file", "inventory", "hosts")),
                204, "PUT /project/{id}/inventory/{id}");
        covered(admin.delete(inventories + "/" + inventory), 204, "DELETE /project/{id}/inventory/{id}");
        String environments = p + "/environment";
        long environment = covered(admin.post(environments, Map.of("name", "e", "json", "{}", "env", "{}", "secrets",
                java.util.List.of(Map.of("name", "s", "type", "var", "secret", "v", "operation", "create")))), 201,
                "POST /project/{id}/environment").json().get("id").asLong();
        covered(admin.get(environments), 200, "GET /project/{id}/environment");
        covered(admin.get(environments + "/" + environment), 200, "GET /project/{id}/environment/{id}");
        covered(admin.put(environments + "/" + environment, Map.of("name", "e2")), 204,
                "PUT /project/{id}/environment/{id}");
        covered(admin.delete(environments + "/" + environment), 204, "DELETE /project/{id}/environment/{id}");
        String views = p + "/views";
        long view = covered(admin.post(views, Map.of("title", "v")), 201, "POST /project/{id}/views").json().get("id")
                .asLong();
        covered(admin.get(views), 200, "GET /project/{id}/views");
        covered(admin.get(views + "/" + view), 200, "GET /project/{id}/views/{id}");
        covered(admin.put(views + "/" + view, Map.of("title", "v2", "position", 3)), 204, "PUT /project/{id}/views/{id}");
        covered(admin.delete(views + "/" + view), 204, "DELETE /project/{id}/views/{id}");
        String templates = p + "/templates";
        long template = covered(admin.post(templates, Map.of("name", "t", "app", "bash", "playbook", "run.sh",
                "repository_id", repo)), 201, "POST /project/{id}/templates").json().get("id").asLong();
        covered(admin.get(templates + "?sort=name&order=asc"), 200, "GET /project/{id}/templates");
        covered(admin.get(templates + "/" + template), 200, "GET /project/{id}/templates/{id}");
        covered(admin.put(templates + "/" + template, Map.of("name", "t2", "app", "bash", "playbook", "run.sh",
                "repository_id", repo)), 204, "PUT /project/{id}/templates/{id}");
        covered(admin.delete(templates + "/" + template), 204, "DELETE /project/{id}/templates/{id}");
        covered(admin.delete(repos + "/" + repo), 204, "DELETE /project/{id}/repositories/{id}");
        covered(admin.delete(keys + "/" + key), 204, "DELETE /project/{id}/keys/{id}");
        covered(admin.get("/api/events"), 200, "GET /events");
        covered(admin.get("/api/events/last"), 200, "GET /events/last");
        covered(admin.delete(p), 204, "DELETE /project/{id}");
        covered(admin.delete("/api/users/" + userId), 204, "DELETE /users/{id}");
    }
}
