package dev.semaphore.upstream;

import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Which upstream row became which row here, per upstream table (kept in {@code upstream_imports},
 * written in the same transaction as the row it maps, so a map entry never outlives its row's
 * transaction and an interrupted import is taken up where it stopped).
 */
final class IdMap {
    private final Map<String, Map<Long, Long>> tables = new HashMap<>();

    Map<Long, Long> of(Handle h, String table) {
        return tables.computeIfAbsent(table, t -> {
            Map<Long, Long> ids = new HashMap<>();
            h.createQuery("SELECT source_id, target_id FROM upstream_imports WHERE source_table = :t").bind("t", t)
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2))).forEach(e -> ids.put(e.getKey(), e.getValue()));
            return ids;
        });
    }

    /** The row here an upstream id became; null for none (or no id). */
    Long target(String table, Long sourceId) {
        Map<Long, Long> ids = tables.get(table);
        return sourceId == null || ids == null ? null : ids.get(sourceId);
    }

    void put(Handle h, String table, long sourceId, long targetId) {
        h.createUpdate("INSERT INTO upstream_imports (source_table, source_id, target_id) VALUES (:t, :s, :id)")
                .bind("t", table).bind("s", sourceId).bind("id", targetId).execute();
        tables.get(table).put(sourceId, targetId);
    }
}
