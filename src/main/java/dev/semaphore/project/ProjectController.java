package dev.semaphore.project;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.JsonBody;
import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.security.Permission;
import dev.semaphore.security.ProjectAccess;
import dev.semaphore.security.ProjectRole;
import dev.semaphore.user.User;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;
import io.javalin.http.Context;
import java.util.Map;
import java.util.function.Predicate;

/** {@code /api/projects}, {@code /api/project/{id}} and the project's team. */
public final class ProjectController implements RouteGroup {
    private final ProjectService projects;
    private final Predicate<User> canCreateProject;
    private final boolean membersCanLeave;

    private final DemoContent demo;
    public ProjectController(ProjectService projects, Predicate<User> canCreateProject, boolean membersCanLeave,
                             DemoContent demo) {
        this.demo = demo;
        this.projects = projects;
        this.canCreateProject = canCreateProject;
        this.membersCanLeave = membersCanLeave;
    }

    @Override
    public void register(Api api) {
        String project = "/project/{project_id}";
        api.get("/projects", Access.USER, ctx -> ctx.json(projects.visibleTo(Caller.user(ctx))))
                .post("/projects", Access.USER, this::create)
                .get(project, Access.projectMember(), ctx -> ctx.json(projects.get(Caller.project(ctx).projectId())))
                .put(project, Access.project(Permission.UPDATE_PROJECT), this::update)
                .delete(project, Access.project(Permission.UPDATE_PROJECT), ctx -> {
                    projects.delete(Caller.user(ctx), Caller.project(ctx).projectId());
                    ctx.status(204);
                })
                .delete(project + "/me", Access.projectMember(), ctx -> {
                    projects.leave(Caller.user(ctx), Caller.project(ctx).projectId(), membersCanLeave);
                    ctx.status(204);
                })
                .get(project + "/role", Access.projectMember(), this::role)
                .get(project + "/users", Access.projectMember(), ctx -> ctx.json(projects.members(
                        Caller.project(ctx).projectId(), ctx.queryParam("sort"), ctx.queryParam("order"))))
                .post(project + "/users", Access.projectMember(), this::addMember)
                .get(project + "/users/{user_id}", Access.projectMember(), ctx -> ctx.json(
                        projects.member(Caller.project(ctx).projectId(), Requests.idParam(ctx, "user_id"))))
                .put(project + "/users/{user_id}", Access.projectMember(), ctx -> {
                    ProjectRole role = role(Requests.body(ctx));
                    projects.changeRole(Caller.user(ctx), Caller.project(ctx), Requests.idParam(ctx, "user_id"), role);
                    ctx.status(204);
                })
                .delete(project + "/users/{user_id}", Access.projectMember(), ctx -> {
                    projects.removeMember(Caller.user(ctx), Caller.project(ctx), Requests.idParam(ctx, "user_id"));
                    ctx.status(204);
                });
    }

    private void create(Context ctx) {
        User user = Caller.user(ctx);
        JsonBody body = Requests.body(ctx);
        ProjectService.ProjectInput input = input(body);
        Project created = projects.create(user, input, canCreateProject.test(user));
        if (body.bool("demo", false)) {
            try {
                demo.fill(user, created.id());
            } catch (RuntimeException e) {
                // All or nothing: a demo that could not be filled is no project.
                projects.delete(user, created.id());
                throw e;
            }
        }
        ctx.status(201).json(created);
    }

    private void update(Context ctx) {
        JsonBody body = Requests.body(ctx);
        long projectId = Caller.project(ctx).projectId();
        body.optionalLong("id").ifPresent(id -> {
            if (id != projectId) {
                throw ApiException.badRequest("field 'id' does not match the project in the path");
            }
        });
        projects.update(Caller.user(ctx), projectId, input(body));
        ctx.status(204);
    }

    private void role(Context ctx) {
        ProjectAccess access = Caller.project(ctx);
        ctx.json(Map.of("role", access.role().map(ProjectRole::wire).orElse(""),
                "permissions", access.permissions()));
    }

    private void addMember(Context ctx) {
        JsonBody body = Requests.body(ctx);
        long userId = body.requiredLong("user_id");
        projects.addMember(Caller.user(ctx), Caller.project(ctx), userId, role(body));
        ctx.status(204);
    }

    private static ProjectRole role(JsonBody body) {
        String role = body.requiredString("role");
        return ProjectRole.fromWire(role).orElseThrow(() -> ApiException.badRequest(
                "field 'role' must be one of owner, manager, task_runner, guest"));
    }

    private static ProjectService.ProjectInput input(JsonBody body) {
        return new ProjectService.ProjectInput(
                body.optionalString("name").orElse(null),
                body.bool("alert", false),
                body.optionalString("alert_chat").orElse(null),
                body.optionalInt("max_parallel_tasks", 0).orElse(0),
                body.optionalString("type").orElse(""),
                body.optionalInt("task_retention_days", 0).orElse(null),
                body.optionalInt("max_tasks_per_template", 0).orElse(null));
    }
}
