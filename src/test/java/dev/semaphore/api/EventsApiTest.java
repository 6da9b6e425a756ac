package dev.semaphore.api;

import static dev.semaphore.api.ProjectsApiTest.addMember;
import static dev.semaphore.api.ProjectsApiTest.createProject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Dialect.class)
class EventsApiTest {
    @Parameter
    Dialect dialect;

    private TestServer server() {
        return TestServers.of(dialect);
    }

    private static List<String> descriptions(JsonNode events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.get("description").asText()));
        return out;
    }

    @Test
    void everyProjectChangeIsInTheProjectsActivityNewestFirst() {
        Client owner = server().admin();
        Client member = server().newUser("evm");
        String memberLogin = member.get("/api/user").json().get("username").asText();
        String name = TestServer.unique("Ev");
        long id = createProject(owner, name);
        owner.put("/api/project/" + id, Map.of("name", name + "2"));
        addMember(owner, id, member, "guest");
        owner.put("/api/project/" + id + "/users/" + member.userId(), Map.of("role", "manager"));
        owner.delete("/api/project/" + id + "/users/" + member.userId());

        JsonNode events = owner.get("/api/project/" + id + "/events").json();
        assertThat(descriptions(events)).containsExactly(
                "User " + memberLogin + " removed from the team",
                "Role of " + memberLogin + " changed to manager",
                "User " + memberLogin + " added to the team as guest",
                "Project " + name + "2 updated",
                "Project " + name + " created");
        JsonNode created = events.get(4);
        assertThat(created.get("object_type").asText()).isEqualTo("project");
        assertThat(created.get("object_id").asLong()).isEqualTo(id);
        assertThat(created.get("project_id").asLong()).isEqualTo(id);
        assertThat(created.get("user_id").asLong()).isEqualTo(owner.userId());
        assertThat(created.get("project_name").asText()).isEqualTo(name + "2");
        assertThat(created.get("username").asText()).isNotBlank();
        assertThat(created.get("created").asText()).endsWith("Z");
        assertThat(events.get(0).get("object_type").asText()).isEqualTo("user");
        assertThat(owner.get("/api/project/" + id + "/events/last").json()).hasSize(5);
    }

    @Test
    void usersSeeEventsOfTheirProjectsOnly() {
        Client alice = server().admin();
        Client bob = server().newUser("evbob");
        long alicesProject = createProject(alice, TestServer.unique("A"));
        long shared = createProject(alice, TestServer.unique("S"));
        addMember(alice, shared, bob, "guest");

        JsonNode bobs = bob.get("/api/events").json();
        List<Long> projects = new ArrayList<>();
        bobs.forEach(e -> projects.add(e.get("project_id").isNull() ? null : e.get("project_id").asLong()));
        assertThat(projects).contains(shared).doesNotContain(alicesProject);
        assertThat(bob.get("/api/project/" + alicesProject + "/events").status()).isEqualTo(404);
        assertThat(bob.get("/api/events/last").json().size()).isLessThanOrEqualTo(200);
    }

    @Test
    void userAndTokenChangesAreRecorded() {
        Client admin = server().admin();
        String login = TestServer.unique("evuser");
        long id = admin.post("/api/users", Map.of("username", login, "name", "N", "email", login + "@x.test",
                "password", "p")).json().get("id").asLong();
        admin.put("/api/users/" + id, Map.of("name", "M"));
        admin.post("/api/users/" + id + "/password", Map.of("password", "q"));
        admin.delete("/api/users/" + id);
        JsonNode events = admin.get("/api/events").json();
        List<String> mine = new ArrayList<>();
        events.forEach(e -> {
            if (e.get("object_type").asText().equals("user") && e.get("object_id").asLong() == id) {
                mine.add(e.get("description").asText());
            }
        });
        assertThat(mine).containsExactly("User " + login + " deleted", "Password of user " + login
                        + " changed; 0 other session(s) ended, 0 API token(s) deleted",
                "User " + login + " updated", "User " + login + " created");
    }

    @Test
    void aDeletedProjectLeavesItsDeletionInTheLog() {
        Client admin = server().admin();
        String name = TestServer.unique("Gone");
        long id = createProject(admin, name);
        admin.delete("/api/project/" + id);
        JsonNode events = admin.get("/api/events").json();
        assertThat(descriptions(events)).contains("Project " + name + " deleted").doesNotContain(
                "Project " + name + " created");
    }
}
