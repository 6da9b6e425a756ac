package dev.semaphore.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String json) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void withNothingSetTheServerRunsOnAnEmbeddedSqliteFile() {
        Config config = new ConfigLoader(Map.of()).load(null, true);
        assertThat(config.dialect()).isEqualTo("sqlite");
        assertThat(config.string(ConfigKeys.DB_HOST)).isEqualTo("data/database.sqlite");
        assertThat(config.port()).isEqualTo(3000);
        assertThat(config.integer(ConfigKeys.MAX_PARALLEL_TASKS)).isEqualTo(10);
        assertThat(config.string(ConfigKeys.TMP_PATH)).isEqualTo("/tmp/semaphore");
        assertThat(config.file()).isEmpty();
    }

    @Test
    void fileValuesAreReadAndTheEnvironmentBeatsThem() throws IOException {
        Path file = write("""
                {"dialect": "postgres", "postgres": {"host": "db:5432", "user": "sem", "pass": "pw", "name": "x"},
                 "port": ":8080", "max_parallel_tasks": 4, "non_admin_can_create_project": true,
                 "schedule": {"timezone": "Europe/Berlin"}}""");
        Config fromFile = new ConfigLoader(Map.of()).load(file, false);
        assertThat(fromFile.dialect()).isEqualTo("postgres");
        assertThat(fromFile.string(ConfigKeys.DB_HOST)).isEqualTo("db:5432");
        assertThat(fromFile.string(ConfigKeys.DB_NAME)).isEqualTo("x");
        assertThat(fromFile.port()).isEqualTo(8080);
        assertThat(fromFile.bool(ConfigKeys.NON_ADMIN_CAN_CREATE_PROJECT)).isTrue();
        assertThat(fromFile.string(ConfigKeys.SCHEDULE_TIMEZONE)).isEqualTo("Europe/Berlin");
        assertThat(fromFile.file()).contains(file);

        Config overridden = new ConfigLoader(Map.of("SEMAPHORE_PORT", "9090", "SEMAPHORE_DB_HOST", "other:5433",
                "SEMAPHORE_MAX_PARALLEL_TASKS", "7", "SEMAPHORE_NON_ADMIN_CAN_CREATE_PROJECT", "no",
                "SEMAPHORE_DB", "y")).load(file, false);
        assertThat(overridden.port()).isEqualTo(9090);
        assertThat(overridden.string(ConfigKeys.DB_HOST)).isEqualTo("other:5433");
        assertThat(overridden.integer(ConfigKeys.MAX_PARALLEL_TASKS)).isEqualTo(7);
        assertThat(overridden.bool(ConfigKeys.NON_ADMIN_CAN_CREATE_PROJECT)).isFalse();
        assertThat(overridden.string(ConfigKeys.DB_NAME)).isEqualTo("y");
    }

    @Test
    void noConfigIgnoresTheFileAndConfigPathVariableFindsIt() throws IOException {
        Path file = write("{\"port\": \":4000\"}");
        Map<String, String> env = Map.of("SEMAPHORE_CONFIG_PATH", file.toString());
        assertThat(new ConfigLoader(env).load(null, false).port()).isEqualTo(4000);
        assertThat(new ConfigLoader(env).load(null, true).port()).isEqualTo(3000);
    }

    @Test
    void invalidValuesStopWithTheKeyNamed() throws IOException {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("SEMAPHORE_PORT", "abc")).load(null, true))
                .isInstanceOf(ConfigException.class).hasMessageContaining("port (SEMAPHORE_PORT)");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(write("{\"max_parallel_tasks\": \"many\"}"), false))
                .hasMessageContaining("max_parallel_tasks");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(write("{\"max_parallel_tasks\": -2}"), false))
                .hasMessageContaining("max_parallel_tasks");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("SEMAPHORE_USE_REMOTE_RUNNER", "maybe")).load(null, true))
                .hasMessageContaining("use_remote_runner (SEMAPHORE_USE_REMOTE_RUNNER)");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(write("{\"dialect\": \"bolt\"}"), false))
                .hasMessageContaining("dialect").hasMessageContaining("BoltDB");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(write("{\"web_host\": \"ftp://x\"}"), false))
                .hasMessageContaining("web_host");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(write("{\"schedule\": {\"timezone\": \"Mars\"}}"),
                false)).hasMessageContaining("schedule.timezone");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(write("not json"), false))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(dir.resolve("missing.json"), false))
                .hasMessageContaining("does not exist");
    }

    @Test
    void aBadSecretIsNamedButNeverEchoed() {
        String secret = "c2hvcnQ=";
        assertThatThrownBy(() -> new ConfigLoader(Map.of("SEMAPHORE_ACCESS_KEY_ENCRYPTION", secret)).load(null, true))
                .hasMessageContaining("access_key_encryption (SEMAPHORE_ACCESS_KEY_ENCRYPTION)")
                .hasMessageContaining("16, 24 or 32 bytes")
                .hasMessageNotContaining(secret);
    }

    @Test
    void webHostPathBecomesTheRoutePrefix() {
        assertThat(new ConfigLoader(Map.of("SEMAPHORE_WEB_ROOT", "https://ops.example/semaphore/")).load(null, true)
                .contextPath()).isEqualTo("/semaphore");
        assertThat(new ConfigLoader(Map.of("SEMAPHORE_WEB_ROOT", "https://ops.example")).load(null, true)
                .contextPath()).isEmpty();
    }

    @Test
    void theConfigurationDocumentListsEveryKeyAndVariable() throws IOException {
        String doc = Files.readString(Path.of("docs/configuration.md"));
        for (ConfigKey key : ConfigKeys.ALL) {
            assertThat(doc).as("docs/configuration.md mentions " + key.displayName()).contains("`" + key.displayName() + "`");
            key.env().forEach(env -> assertThat(doc).contains("`" + env + "`"));
        }
    }
}
