package dev.semaphore.template;

import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * How often each template of a project ran and its latest task, for the {@code tasks} and
 * {@code last_task} fields; the task feature answers (it owns the tasks), in the caller's transaction.
 */
public interface TemplateRuns {
    /** @param lastTask the latest task as upstream's template JSON shows it */
    record Runs(int count, Object lastTask) {
    }

    /** By template id; a template that never ran is absent. */
    Map<Long, Runs> of(Handle h, long projectId);
}
