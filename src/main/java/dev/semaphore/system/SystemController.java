package dev.semaphore.system;

import dev.semaphore.common.Version;
import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigKeys;
import dev.semaphore.security.Access;
import dev.semaphore.security.ProjectRole;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/ping} and {@code /api/info}. */
public final class SystemController implements RouteGroup {
    private final Config config;
    private final ToolVersions tools;

    public SystemController(Config config, ToolVersions tools) {
        this.config = config;
        this.tools = tools;
    }

    @Override
    public void register(Api api) {
        api.get("/ping", Access.PUBLIC, ctx -> ctx.contentType("text/plain; charset=utf-8").result("pong"))
                .get("/info", Access.USER, this::info);
    }

    private void info(Context ctx) {
        Map<String, Object> premium = new LinkedHashMap<>();
        for (String feature : new String[] {"project_runners", "terraform_backend", "team_members_limit",
                "task_summary", "secret_storages"}) {
            premium.put(feature, false);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("version", Version.upstream());
        info.put("server_version", Version.version());
        info.put("ansible", tools.ansible());
        info.put("web_host", config.string(ConfigKeys.WEB_HOST));
        info.put("use_remote_runner", config.bool(ConfigKeys.USE_REMOTE_RUNNER));
        info.put("auth_methods", Map.of());
        info.put("premium_features", premium);
        info.put("git_client", config.string(ConfigKeys.GIT_CLIENT));
        info.put("schedule_timezone", config.string(ConfigKeys.SCHEDULE_TIMEZONE));
        // Upstream's UI lists the roles a member may get from here (its Team page needs the list).
        info.put("roles", java.util.Arrays.stream(ProjectRole.values()).map(r -> Map.of("slug", r.wire(),
                "name", r.wire().substring(0, 1).toUpperCase() + r.wire().substring(1).replace('_', ' '),
                "permissions", r.permissions())).toList());
        info.put("teams", Map.of("invites_enabled", config.bool(ConfigKeys.INVITES_ENABLED),
                "invite_type", config.string(ConfigKeys.INVITE_TYPE),
                "members_can_leave", config.bool(ConfigKeys.MEMBERS_CAN_LEAVE)));
        // Not upstream's: what an admin wants to see in the UI's system info.
        info.put("database", config.dialect());
        info.put("tools", tools.all());
        ctx.json(info);
    }
}
