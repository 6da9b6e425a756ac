package dev.semaphore.backup;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.security.Permission;
import dev.semaphore.user.User;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;
import java.util.function.Predicate;

/** {@code GET /api/project/{id}/backup} (members who run tasks) and {@code POST /api/projects/restore} (whoever may create projects). */
public final class BackupController implements RouteGroup {
    private final BackupService backups;
    private final Predicate<User> canCreateProject;

    public BackupController(BackupService backups, Predicate<User> canCreateProject) {
        this.backups = backups;
        this.canCreateProject = canCreateProject;
    }

    @Override
    public void register(Api api) {
        // As upstream, whoever runs tasks may download one: it holds no secret.
        api.get("/project/{project_id}/backup", Access.projectOnly(Permission.RUN_TASKS),
                        ctx -> ctx.json(backups.export(Caller.project(ctx).projectId())))
                .post("/projects/restore", Access.USER, ctx -> {
                    User user = Caller.user(ctx);
                    com.fasterxml.jackson.databind.JsonNode backup;
                    try {
                        backup = Json.mapper().readTree(ctx.body());
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
                    }
                    // Ours: ?dry_run=true checks the whole backup and lists what a restore would make, writing nothing.
                    // Ours: ?update=true restores into the caller's project of the backup's name.
                    boolean update = "true".equals(ctx.queryParam("update"));
                    boolean canCreate = canCreateProject.test(user);
                    if (!update && !canCreate) {
                        // upstream's answer to a restore by someone who may not make projects
                        throw ApiException.unauthorized("you may not create projects, so you may not restore one");
                    }
                    if ("true".equals(ctx.queryParam("dry_run"))) {
                        ctx.json(backups.preview(user, backup, canCreate, update));
                    } else {
                        ctx.json(backups.restore(user, backup, canCreate, update)); // 200, as upstream
                    }
                });
    }
}
