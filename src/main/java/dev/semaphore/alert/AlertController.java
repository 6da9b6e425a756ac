package dev.semaphore.alert;

import dev.semaphore.common.ApiException;
import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.security.Permission;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;
import java.util.List;

/** {@code POST /api/project/{id}/notifications/test}: 204 when every channel took the test, else 502 naming them. */
public final class AlertController implements RouteGroup {
    private final AlertService alerts;

    public AlertController(AlertService alerts) {
        this.alerts = alerts;
    }

    @Override
    public void register(Api api) {
        api.post("/project/{project_id}/notifications/test", Access.project(Permission.UPDATE_PROJECT), ctx -> {
            List<String> failures = alerts.sendTest(Caller.project(ctx).projectId());
            if (!failures.isEmpty()) {
                throw new ApiException(502, "test notification failed: " + String.join("; ", failures));
            }
            ctx.status(204);
        });
    }
}
