package dev.semaphore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A fresh project of an admin's, with helpers to create its resources and run its tasks through the API. */
public record ProjectFixture(Client admin, long project) {
    public static ProjectFixture create(TestServer server, String prefix) {
        Client admin = server.admin();
        Response created = admin.post("/api/projects", Map.of("name", TestServer.unique(prefix)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return new ProjectFixture(admin, created.json().get("id").asLong());
    }

    public String path(String rest) {
        return "/api/project/" + project + rest;
    }

    /** POSTs to a project route, expects 201 and returns the new id. */
    public long create(String rest, Map<String, ?> body) {
        Response created = admin.post(path(rest), body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    /** The project's None key. */
    public long noneKey() {
        return admin.get(path("/keys")).json().get(0).get("id").asLong();
    }

    /** A bash template running {@code script} of {@code folder} (a new repository of that path), with {@code extra}. */
    public long bashTemplate(java.nio.file.Path folder, String script, Map<String, ?> extra) {
        long repository = create("/repositories", Map.of("name", "scripts", "git_url", folder.toString(),
                "ssh_key_id", noneKey()));
        Map<String, Object> body = new HashMap<>(Map.of("name", script, "app", "bash", "playbook", script,
                "repository_id", repository));
        body.putAll(extra);
        return create("/templates", body);
    }

    public JsonNode run(long template, Map<String, ?> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("template_id", template));
        body.putAll(extra);
        Response created = admin.post(path("/tasks"), body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    public JsonNode await(long task, String... statuses) throws InterruptedException {
        return await(task, 30_000, statuses);
    }

    public JsonNode await(long task, long millis, String... statuses) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        JsonNode current = null;
        while (System.currentTimeMillis() < deadline) {
            current = admin.get(path("/tasks/" + task)).json();
            if (List.of(statuses).contains(current.get("status").asText())) {
                return current;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("task " + task + " did not reach " + List.of(statuses) + ": " + current
                + "\n" + String.join("\n", output(task)));
    }

    public List<String> output(long task) {
        List<String> lines = new ArrayList<>();
        admin.get(path("/tasks/" + task + "/output")).json().forEach(l -> lines.add(l.get("output").asText()));
        return lines;
    }

    /** The output with ANSI colour codes removed, as one text. */
    public String plainOutput(long task) {
        return String.join("\n", output(task)).replaceAll("\u001B\\[[0-9;]*m", "");
    }
}
