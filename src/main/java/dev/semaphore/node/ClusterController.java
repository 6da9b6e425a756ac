package dev.semaphore.node;

import dev.semaphore.security.Access;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Upstream's {@code GET /api/cluster} (admin): the server processes sharing this database, each with its
 * version, address, start, last heartbeat, whether it is alive and how many tasks it runs. Ours needs no
 * Redis: {@code ha_enabled} is true on PostgreSQL and MySQL, where several processes may serve.
 */
public final class ClusterController implements RouteGroup {
    private final ServerNode node;
    private final boolean shared;
    private final Supplier<Map<String, Long>> runningByNode;

    /** @param runningByNode the number of active tasks each process owns */
    public ClusterController(ServerNode node, boolean shared, Supplier<Map<String, Long>> runningByNode) {
        this.node = node;
        this.shared = shared;
        this.runningByNode = runningByNode;
    }

    @Override
    public void register(Api api) {
        api.get("/cluster", Access.ADMIN, ctx -> {
            Map<String, Long> running = runningByNode.get();
            List<Map<String, Object>> nodes = node.nodes().stream().map(n -> {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("id", n.id());
                json.put("host", n.host());
                json.put("pid", n.pid());
                json.put("version", n.version() == null ? "" : n.version());
                json.put("address", n.address() == null ? "" : n.address());
                json.put("started", n.started());
                json.put("last_heartbeat", n.heartbeat());
                json.put("alive", n.alive());
                json.put("draining", n.drainingSince() != null);
                json.put("draining_since", n.drainingSince());
                json.put("running_tasks", running.getOrDefault(n.id(), 0L));
                json.put("system_load", n.load());
                json.put("this", n.id().equals(node.id()));
                return json;
            }).toList();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ha_enabled", shared);
            body.put("node_id", node.id());
            body.put("nodes", nodes);
            ctx.json(body);
        });
    }
}
