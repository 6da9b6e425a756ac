package dev.semaphore.system;

import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.execution.PrivateDirectory;
import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;
import java.nio.file.Path;

/**
 * Upstream's cache clearing: {@code DELETE /api/cache} (admins) and {@code DELETE /api/project/{id}/cache}
 * (members). This server keeps no repository cache between tasks (each clones into a private folder removed
 * at its end), so what there is to clear are the folders server processes that stopped left in
 * {@code tmp_path}; a live task's are never touched.
 */
public final class CacheController implements RouteGroup {
    private final Path tmp;
    private final Database db;
    private final EventLog events;

    public CacheController(Path tmp, Database db, EventLog events) {
        this.tmp = tmp;
        this.db = db;
        this.events = events;
    }

    @Override
    public void register(Api api) {
        api.delete("/cache", Access.ADMIN, ctx -> {
            int removed = PrivateDirectory.sweep(tmp, true);
            record(Caller.user(ctx).id(), null, removed);
            ctx.status(204);
        }).delete("/project/{project_id}/cache", Access.projectMember(), ctx -> {
            long project = Caller.project(ctx).projectId();
            int removed = PrivateDirectory.sweep(tmp.resolve("project_" + project), false);
            record(Caller.user(ctx).id(), project, removed);
            ctx.status(204);
        });
    }

    private void record(long actor, Long project, int removed) {
        db.txRun(h -> events.record(h, actor, project, project == null ? ObjectType.USER : ObjectType.PROJECT,
                project == null ? actor : project, null, "Cache cleared: " + removed + " folder(s) left by server"
                        + " processes that stopped were removed"));
    }
}
