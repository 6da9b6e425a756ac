package dev.semaphore.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.template.Template;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A task's params against its template's task_params, and build version numbering. */
class TaskParamsTest {
    private static Template template(String taskParams) {
        return new Template(1, 1, null, 1, null, null, "t", "site.yml", null, null, false, false, false, false,
                "ansible", null, "", null, null, false, "[]", List.of(), taskParams, null, 0, null, List.of(), null, false);
    }

    private static JsonNode body(String json) {
        return Json.tree(json);
    }

    @Test
    void theTemplatesValuesHoldUnlessItLetsTheTaskChooseThem() {
        Template strict = template("{\"limit\": [\"web\"], \"tags\": [\"deploy\"]}");
        TaskParams fromTemplate = TaskParams.effective(strict, "{\"limit\": [\"db\"], \"debug\": true}");
        assertThat(fromTemplate.limit()).containsExactly("web");
        assertThat(fromTemplate.tags()).containsExactly("deploy");
        assertThat(fromTemplate.debug()).isFalse();
        Template open = template("{\"limit\": [\"web\"], \"allow_override_limit\": true, \"allow_debug\": true}");
        TaskParams chosen = TaskParams.effective(open, "{\"limit\": [\"db\"], \"debug\": true, \"debug_level\": 9}");
        assertThat(chosen.limit()).containsExactly("db");
        assertThat(chosen.debug()).isTrue();
        assertThat(chosen.debugLevel()).isEqualTo(6);
        assertThat(TaskParams.effective(open, "{}").debugLevel()).isEqualTo(4);
    }

    @Test
    void destroyAndAutoApproveNeedTheTemplatesLeave() {
        Template terraform = template("{\"auto_approve\": false, \"allow_auto_approve\": true}");
        TaskParams params = TaskParams.effective(terraform, "{\"auto_approve\": true, \"destroy\": true}");
        assertThat(params.autoApprove()).isTrue();
        assertThat(params.destroy()).isFalse();
        assertThat(TaskParams.effective(template("{\"auto_approve\": true}"), "{}").autoApprove()).isTrue();
    }

    @Test
    void aNewTasksParamsFoldInUpstreamsTopLevelFieldsAndAreChecked() {
        Template open = template("{\"allow_override_limit\": true, \"allow_debug\": true}");
        JsonNode stored = TaskParams.forNewTask(open, body("{\"limit\": \"a, b,,c\", \"debug\": true, \"diff\": true}"),
                new java.util.ArrayList<>());
        assertThat(stored.get("limit")).hasSize(3);
        assertThat(stored.get("debug").asBoolean()).isTrue();
        assertThat(stored.get("diff").asBoolean()).isTrue();
        java.util.List<String> notices = new java.util.ArrayList<>();
        assertThat(TaskParams.forNewTask(template("{}"), body("{\"params\": {\"tags\": [\"x\"]}}"), notices).has("tags"))
                .isFalse();
        assertThat(notices).singleElement().asString().contains("tags").contains("allow_override_tags");
        assertThatThrownBy(() -> TaskParams.forNewTask(open, body("{\"params\": {\"debug_level\": 7}}"), notices))
                .hasMessageContaining("params.debug_level");
        assertThatThrownBy(() -> TaskParams.forNewTask(open, body("{\"params\": {\"limit\": [1]}}"), notices))
                .hasMessageContaining("an array of strings");
        assertThatThrownBy(() -> TaskParams.forNewTask(open, body("{\"params\": [1]}"), notices))
                .hasMessageContaining("'params' must be an object");
    }

    @Test
    void aBuildsNextVersionCountsItsLastNumberUp() {
        assertThat(TaskService.nextVersion("1.4.9")).isEqualTo("1.4.10");
        assertThat(TaskService.nextVersion("v2-rc7")).isEqualTo("v2-rc8");
        assertThat(TaskService.nextVersion("release")).isEqualTo("release.1");
        assertThat(TaskService.nextVersion("1.0.99999999999999999999")).isEqualTo("1.0.100000000000000000000");
        assertThat(TaskService.nextVersion("build-7-final")).isEqualTo("build-8-final");
    }
}
