package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A build, then a deploy of it started by hand ({@code build_task_id}), as upstream's clients start one;
 * scripts read upstream's {@code SEMAPHORE_TASK_DETAILS_*} variables.
 */
@ParameterizedClass
@EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
class BuildDeployTest {
    private static Path scripts;

    @Parameter
    Dialect dialect;

    @BeforeAll
    static void scripts() throws Exception {
        scripts = Files.createTempDirectory(TestDatabases.tempDir(), "build");
        String print = "echo \"id=$SEMAPHORE_TASK_DETAILS_ID user=$SEMAPHORE_TASK_DETAILS_USERNAME"
                + " message=$SEMAPHORE_TASK_DETAILS_MESSAGE type=$SEMAPHORE_TASK_DETAILS_TYPE"
                + " target=$SEMAPHORE_TASK_DETAILS_TARGET_VERSION incoming=$SEMAPHORE_TASK_DETAILS_INCOMING_VERSION"
                + " url=$SEMAPHORE_TASK_DETAILS_URL\"\n";
        Files.writeString(scripts.resolve("build.sh"), print + "[ \"$SEMAPHORE_TASK_DETAILS_MESSAGE\" != fail ]\n");
        Files.writeString(scripts.resolve("deploy.sh"), print);
    }

    @Test
    void aDeployStartedByHandBringsInTheBuildsVersion() throws Exception {
        ProjectFixture p = ProjectFixture.create(TestServers.of(dialect), "builds");
        long build = p.bashTemplate(scripts, "build.sh", Map.of("type", "build", "start_version", "1.4.0"));
        long repository = p.admin().get(p.path("/templates/" + build)).json().get("repository_id").asLong();
        long deploy = p.create("/templates", Map.of("name", "deploy", "app", "bash", "playbook", "deploy.sh",
                "repository_id", repository, "type", "deploy", "build_template_id", build));
        long other = p.create("/templates", Map.of("name", "other", "app", "bash", "playbook", "build.sh",
                "repository_id", repository));

        long built = p.run(build, Map.of("message", "the build")).get("id").asLong();
        assertThat(p.await(built, "success", "error").get("status").asText()).isEqualTo("success");
        String login = p.admin().get("/api/user").json().get("username").asText();
        assertThat(p.plainOutput(built)).contains("id=" + built + " user=" + login + " message=the build type=build"
                + " target=1.4.0 incoming= url=").contains("/project/" + p.project() + "/templates/" + build
                + "?t=" + built);

        JsonNode deployed = p.run(deploy, Map.of("build_task_id", built));
        assertThat(deployed.get("build_task_id").asLong()).isEqualTo(built);
        assertThat(deployed.get("version").asText()).isEqualTo("1.4.0");
        long id = deployed.get("id").asLong();
        assertThat(p.await(id, "success", "error").get("status").asText()).isEqualTo("success");
        assertThat(p.plainOutput(id)).contains("type=deploy target= incoming=1.4.0");
        JsonNode row = p.admin().get(p.path("/tasks?template_id=" + deploy)).json().get(0);
        assertThat(row.get("build_task").get("id").asLong()).isEqualTo(built);
        assertThat(row.get("build_task").get("version").asText()).isEqualTo("1.4.0");
        assertThat(p.admin().get(p.path("/tasks/" + built)).json().get("build_task").isNull()).isTrue();

        // What is not a successful task of the deploy's build template is refused, naming the field.
        long failedBuild = p.run(build, Map.of("message", "fail")).get("id").asLong();
        assertThat(p.await(failedBuild, "success", "error").get("status").asText()).isEqualTo("error");
        long otherTask = p.run(other, Map.of()).get("id").asLong();
        p.await(otherTask, "success", "error");
        ProjectFixture elsewhere = ProjectFixture.create(TestServers.of(dialect), "elsewhere");
        long foreignBuild = elsewhere.bashTemplate(scripts, "build.sh", Map.of("type", "build"));
        long foreign = elsewhere.run(foreignBuild, Map.of()).get("id").asLong();
        elsewhere.await(foreign, "success", "error");
        for (long wrong : new long[] {otherTask, foreign, failedBuild, 999_999}) {
            Response refused = p.admin().post(p.path("/tasks"), Map.of("template_id", deploy, "build_task_id", wrong));
            assertThat(refused.status()).as("build task " + wrong).isEqualTo(400);
            assertThat(refused.error()).contains("build_task_id");
        }
        Response notADeploy = p.admin().post(p.path("/tasks"), Map.of("template_id", other, "build_task_id", built));
        assertThat(notADeploy.status()).isEqualTo(400);
        assertThat(notADeploy.error()).contains("build_task_id").contains("not a deploy template");
    }
}
