package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every route × every kind of caller, against a fresh project per cell so that one cell's change
 * (a deletion, a role change) cannot decide another's outcome.
 */
@ParameterizedClass
@EnumSource(Dialect.class)
class PermissionMatrixTest {
    @Parameter
    Dialect dialect;

    enum Caller { ANONYMOUS, OUTSIDER, GUEST, TASK_RUNNER, MANAGER, OWNER, ADMIN }

    /** One project with a member of each role, plus a spare member and a stranger to act upon. */
    record Fixture(long project, Map<Caller, Client> callers, Client extraMember, Client newcomer, Client victim,
                   long noneKey) {
        String path(String template) {
            return template.replace("{p}", Long.toString(project))
                    .replace("{extra}", Long.toString(extraMember.userId()))
                    .replace("{victim}", Long.toString(victim.userId()));
        }
    }

    record Route(String method, String path, Function<Fixture, Object> body, Map<Caller, Integer> expected) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static Map<Caller, Integer> statuses(int anonymous, int outsider, int guest, int runner, int manager,
                                                 int owner, int admin) {
        Map<Caller, Integer> map = new EnumMap<>(Caller.class);
        map.put(Caller.ANONYMOUS, anonymous);
        map.put(Caller.OUTSIDER, outsider);
        map.put(Caller.GUEST, guest);
        map.put(Caller.TASK_RUNNER, runner);
        map.put(Caller.MANAGER, manager);
        map.put(Caller.OWNER, owner);
        map.put(Caller.ADMIN, admin);
        return map;
    }

    private static Map<Caller, Integer> anyMember(int ok) {
        return statuses(401, 404, ok, ok, ok, ok, ok);
    }

    private static Map<Caller, Integer> ownerOnly(int ok) {
        return statuses(401, 404, 403, 403, 403, ok, ok);
    }

    private static Map<Caller, Integer> anyUser(int ok) {
        return statuses(401, ok, ok, ok, ok, ok, ok);
    }

    private static Map<Caller, Integer> adminOnly(int ok) {
        return statuses(401, 403, 403, 403, 403, 403, ok);
    }

    private static final List<Route> ROUTES = List.of(
            new Route("GET", "/api/project/{p}", f -> null, anyMember(200)),
            new Route("PUT", "/api/project/{p}", f -> Map.of("name", "renamed"), ownerOnly(204)),
            new Route("DELETE", "/api/project/{p}", f -> null, ownerOnly(204)),
            new Route("GET", "/api/project/{p}/role", f -> null, anyMember(200)),
            new Route("GET", "/api/project/{p}/users", f -> null, anyMember(200)),
            new Route("POST", "/api/project/{p}/users",
                    f -> Map.of("user_id", f.newcomer().userId(), "role", "guest"), ownerOnly(204)),
            new Route("GET", "/api/project/{p}/users/{extra}", f -> null, anyMember(200)),
            new Route("PUT", "/api/project/{p}/users/{extra}", f -> Map.of("role", "task_runner"), ownerOnly(204)),
            new Route("DELETE", "/api/project/{p}/users/{extra}", f -> null, ownerOnly(204)),
            // An admin who is not a member has nothing to leave.
            new Route("DELETE", "/api/project/{p}/me", f -> null, statuses(401, 404, 204, 204, 204, 204, 400)),
            new Route("GET", "/api/project/{p}/events", f -> null, anyMember(200)),
            new Route("GET", "/api/project/{p}/events/last", f -> null, anyMember(200)),
            new Route("GET", "/api/project/{p}/keys", f -> null, anyMember(200)),
            new Route("POST", "/api/project/{p}/keys", f -> Map.of("name", "k", "type", "string", "string", "s"),
                    statuses(401, 404, 403, 403, 201, 201, 201)),
            new Route("GET", "/api/project/{p}/repositories", f -> null, anyMember(200)),
            new Route("POST", "/api/project/{p}/repositories", f -> Map.of("name", "r", "git_url", "https://h/r.git",
                    "ssh_key_id", f.noneKey()), statuses(401, 404, 403, 403, 201, 201, 201)),
            new Route("GET", "/api/project/{p}/inventory", f -> null, anyMember(200)),
            new Route("POST", "/api/project/{p}/inventory", f -> Map.of("name", "i", "type", "static",
                    "inventory", "host1"), statuses(401, 404, 403, 403, 201, 201, 201)),
            new Route("GET", "/api/project/{p}/environment", f -> null, anyMember(200)),
            new Route("POST", "/api/project/{p}/environment", f -> Map.of("name", "e"),
                    statuses(401, 404, 403, 403, 201, 201, 201)),
            new Route("GET", "/api/project/{p}/templates", f -> null, anyMember(200)),
            new Route("GET", "/api/project/{p}/views", f -> null, anyMember(200)),
            new Route("POST", "/api/project/{p}/views", f -> Map.of("title", "v"),
                    statuses(401, 404, 403, 403, 201, 201, 201)),
            new Route("GET", "/api/project/{p}/schedules", f -> null, anyMember(200)),
            new Route("POST", "/api/project/{p}/schedules", f -> Map.of("template_id", 999999, "cron_format", "@daily"),
                    statuses(401, 404, 403, 403, 400, 400, 400)),
            new Route("POST", "/api/project/{p}/schedules/validate", f -> Map.of("cron_format", "@daily"),
                    statuses(401, 404, 403, 403, 200, 200, 200)),
            new Route("GET", "/api/project/{p}/schedules/999999", f -> null, anyMember(404)),
            new Route("PUT", "/api/project/{p}/schedules/999999/active", f -> Map.of("active", false),
                    statuses(401, 404, 403, 403, 404, 404, 404)),
            new Route("GET", "/api/project/{p}/integrations", f -> null, anyMember(200)),
            new Route("GET", "/api/project/{p}/stats", f -> null, anyMember(200)),
            new Route("GET", "/api/project/{p}/integrations/999999/matchers", f -> null, anyMember(404)),
            new Route("GET", "/api/project/{p}/backup", f -> null, statuses(401, 404, 403, 200, 200, 200, 200)),
            new Route("POST", "/api/project/{p}/integrations", f -> Map.of("name", "i", "template_id", 999999),
                    statuses(401, 404, 403, 403, 400, 400, 400)),
            new Route("GET", "/api/project/{p}/integrations/aliases", f -> null,
                    statuses(401, 404, 403, 403, 200, 200, 200)),
            new Route("GET", "/api/project/{p}/integrations/999999/deliveries", f -> null,
                    statuses(401, 404, 403, 403, 404, 404, 404)),
            new Route("POST", "/api/integrations/no-such-alias", f -> Map.of("event", "push"),
                    statuses(204, 204, 204, 204, 204, 204, 204)),
            new Route("GET", "/api/project/{p}/invites", f -> null, ownerOnly(200)),
            new Route("POST", "/api/invites/accept", f -> Map.of("token", "x"), statuses(401, 403, 403, 403, 403, 403, 403)),
            new Route("GET", "/api/project/{p}/secret_storages", f -> null, anyMember(200)),
            new Route("GET", "/api/project/{p}/runner_tags", f -> null, anyMember(200)),
            new Route("GET", "/api/project/{p}/runners", f -> null, anyMember(200)),
            new Route("GET", "/api/users/{extra}/2fas/totp", f -> null, adminOnly(404)),
            new Route("POST", "/api/users/{extra}/2fas/totp", f -> null, statuses(401, 403, 403, 403, 403, 403, 403)),
            new Route("DELETE", "/api/users/{extra}/2fas/totp/999999", f -> null, adminOnly(404)),
            new Route("GET", "/api/users/{extra}/identities", f -> null, adminOnly(200)),
            new Route("POST", "/api/users/{extra}/identities", f -> Map.of("type", "oidc", "provider", "corp",
                    "external_uid", "sub-" + f.extraMember().userId()), adminOnly(201)),
            new Route("DELETE", "/api/users/{extra}/identities/oidc/nowhere", f -> null, adminOnly(404)),
            // As upstream: an unknown provider leads back to the sign-in page.
            new Route("GET", "/api/auth/oidc/nowhere/login", f -> null, statuses(302, 302, 302, 302, 302, 302, 302)),
            // The live socket asked without an upgrade: who is not signed in is told so first.
            new Route("GET", "/api/ws", f -> null, statuses(401, 400, 400, 400, 400, 400, 400)),
            // E-mail codes are off on this server; a resend needs the sign-in's cookie, which no caller has.
            new Route("POST", "/api/auth/login/email", f -> Map.of("email", "x@example.test"),
                    statuses(403, 403, 403, 403, 403, 403, 403)),
            new Route("POST", "/api/auth/login/email/resend", f -> null, statuses(401, 401, 401, 401, 401, 401, 401)),
            new Route("GET", "/api/users/factors", f -> null, adminOnly(200)),
            new Route("GET", "/api/cluster", f -> null, adminOnly(200)),
            new Route("POST", "/api/auth/totp", f -> null, statuses(401, 401, 401, 401, 401, 401, 401)),
            // LDAP is off on this server: any signed-in user is told so.
            new Route("POST", "/api/user/identities/ldap", f -> Map.of("username", "x", "password", "y"),
                    anyUser(400)),
            // The second step of a sign-in needs a session that waits for it: a token is not one.
            new Route("POST", "/api/auth/verify", f -> Map.of("passcode", "123456"),
                    statuses(401, 401, 401, 401, 401, 401, 401)),
            new Route("POST", "/api/auth/recovery", f -> Map.of("recovery_code", "X"),
                    statuses(401, 401, 401, 401, 401, 401, 401)),
            new Route("GET", "/api/runners", f -> null, adminOnly(200)),
            new Route("POST", "/api/runners", f -> Map.of("name", "r"), adminOnly(201)),
            new Route("GET", "/api/runners/999999", f -> null, adminOnly(404)),
            new Route("DELETE", "/api/runners/999999/cache", f -> null, adminOnly(404)),
            new Route("GET", "/api/project/{p}/runners", f -> null, anyMember(200)),
            new Route("POST", "/api/project/{p}/runners", f -> Map.of("name", "r"),
                    statuses(401, 404, 403, 403, 201, 201, 201)),
            new Route("GET", "/api/project/{p}/runners/999999", f -> null, anyMember(404)),
            new Route("DELETE", "/api/project/{p}/runners/999999", f -> null, statuses(401, 404, 403, 403, 404, 404, 404)),
            new Route("POST", "/api/project/{p}/runners/999999/active", f -> Map.of("active", false),
                    statuses(401, 404, 403, 403, 404, 404, 404)),
            // The runner protocol authenticates runners, never people: no X-Runner-Token, no entry.
            new Route("GET", "/api/internal/runners", f -> null, statuses(401, 401, 401, 401, 401, 401, 401)),
            new Route("PUT", "/api/internal/runners", f -> Map.of("Jobs", List.of()),
                    statuses(401, 401, 401, 401, 401, 401, 401)),
            new Route("POST", "/api/internal/runners", f -> Map.of("registration_token", "wrong"),
                    statuses(400, 400, 400, 400, 400, 400, 400)),
            new Route("GET", "/api/project/{p}/tasks", f -> null, anyMember(200)),
            new Route("POST", "/api/project/{p}/tasks", f -> Map.of("template_id", 999999),
                    statuses(401, 404, 403, 400, 400, 400, 400)),
            new Route("POST", "/api/project/{p}/notifications/test", f -> null,
                    statuses(401, 404, 403, 403, 403, 409, 409)),
            new Route("GET", "/api/project/{p}/templates/1/terraform/states", f -> null,
                    statuses(401, 404, 403, 403, 200, 200, 200)),
            new Route("GET", "/api/project/{p}/inventory/1/terraform/states/latest", f -> null,
                    statuses(401, 404, 403, 403, 404, 404, 404)),
            new Route("POST", "/api/project/{p}/tasks/999999/confirm", f -> null,
                    statuses(401, 404, 403, 400, 400, 400, 400)),
            new Route("GET", "/api/project/{p}/tasks/999999/stages", f -> null, anyMember(400)),
            new Route("GET", "/api/apps", f -> null, anyUser(200)),
            new Route("GET", "/api/ping", f -> null, statuses(200, 200, 200, 200, 200, 200, 200)),
            new Route("GET", "/api/health/live", f -> null, statuses(200, 200, 200, 200, 200, 200, 200)),
            new Route("GET", "/api/health/ready", f -> null, statuses(200, 200, 200, 200, 200, 200, 200)),
            // Off on the shared server: 401 for everyone, whoever signs in (metrics have their own credentials).
            new Route("GET", "/api/metrics", f -> null, statuses(401, 401, 401, 401, 401, 401, 401)),
            new Route("GET", "/api/info", f -> null, anyUser(200)),
            new Route("GET", "/api/user", f -> null, anyUser(200)),
            new Route("GET", "/api/user/tokens", f -> null, anyUser(200)),
            new Route("POST", "/api/user/tokens", f -> "", anyUser(201)),
            new Route("GET", "/api/users", f -> null, anyUser(200)),
            new Route("POST", "/api/users", f -> {
                String login = TestServer.unique("mx");
                return Map.of("username", login, "name", login, "email", login + "@x.test", "password", "p");
            }, adminOnly(201)),
            new Route("GET", "/api/users/{extra}", f -> null, adminOnly(200)),
            new Route("PUT", "/api/users/{extra}", f -> Map.of("name", "changed"), adminOnly(204)),
            new Route("POST", "/api/users/{extra}/password", f -> Map.of("password", "new"), statuses(401, 401, 401, 401, 401, 401, 204)),
            new Route("GET", "/api/auth/lockouts", f -> null, adminOnly(200)),
            new Route("DELETE", "/api/users/{victim}", f -> null, adminOnly(204)),
            new Route("GET", "/api/projects", f -> null, anyUser(200)),
            new Route("POST", "/api/projects", f -> Map.of("name", "matrix"), adminOnly(201)),
            new Route("GET", "/api/events", f -> null, anyUser(200)),
            new Route("GET", "/api/events/last", f -> null, anyUser(200)),
            new Route("GET", "/api/auth/login", f -> null, statuses(200, 200, 200, 200, 200, 200, 200)));

    private Map<Caller, Client> people;

    private Map<Caller, Client> people(TestServer server) {
        if (people == null) {
            people = new EnumMap<>(Caller.class);
            people.put(Caller.ANONYMOUS, server.anonymous());
            people.put(Caller.OUTSIDER, server.newUser("outsider"));
            people.put(Caller.GUEST, server.newUser("guest"));
            people.put(Caller.TASK_RUNNER, server.newUser("runner"));
            people.put(Caller.MANAGER, server.newUser("manager"));
            people.put(Caller.OWNER, server.newUser("owner"));
            people.put(Caller.ADMIN, server.admin());
        }
        return people;
    }

    private Fixture fixture(TestServer server, Client founder) {
        Map<Caller, Client> callers = people(server);
        long project = ProjectsApiTest.createProject(founder, TestServer.unique("matrix"));
        ProjectsApiTest.addMember(founder, project, callers.get(Caller.OWNER), "owner");
        ProjectsApiTest.addMember(founder, project, callers.get(Caller.MANAGER), "manager");
        ProjectsApiTest.addMember(founder, project, callers.get(Caller.TASK_RUNNER), "task_runner");
        ProjectsApiTest.addMember(founder, project, callers.get(Caller.GUEST), "guest");
        Client extra = server.newUser("extra");
        ProjectsApiTest.addMember(founder, project, extra, "guest");
        long noneKey = founder.get("/api/project/" + project + "/keys").json().get(0).get("id").asLong();
        return new Fixture(project, callers, extra, server.newUser("newcomer"), server.newUser("victim"), noneKey);
    }

    @TestFactory
    Stream<DynamicTest> everyRouteForEveryCaller() {
        TestServer server = TestServers.of(dialect);
        Client founder = server.admin();
        List<DynamicTest> tests = new ArrayList<>();
        for (Route route : ROUTES) {
            for (Caller caller : Caller.values()) {
                tests.add(DynamicTest.dynamicTest(route + " as " + caller, () -> {
                    Fixture fixture = fixture(server, founder);
                    Response response = fixture.callers().get(caller)
                            .send(route.method(), fixture.path(route.path()), route.body().apply(fixture));
                    assertThat(response.status()).as(response.toString()).isEqualTo(route.expected().get(caller));
                }));
            }
        }
        return tests.stream();
    }
}
