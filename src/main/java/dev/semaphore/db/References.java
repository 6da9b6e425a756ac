package dev.semaphore.db;

import dev.semaphore.common.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Who uses an object (a key, a repository, ...). Features whose objects point at others register a
 * finder when they are wired; an object that any finder reports cannot be deleted, and its
 * {@code /refs} route lists the finders' results in upstream's shape.
 */
public final class References {
    /** One referring object, as upstream's {@code /refs} lists them. */
    public record Ref(long id, String name) {
    }

    /** Finds the objects of one kind that use the object {@code id} of the project. */
    @FunctionalInterface
    public interface Finder {
        List<Ref> find(Handle handle, long projectId, long id);
    }

    /** What can be referred to. */
    public enum Target { KEY, REPOSITORY, INVENTORY, ENVIRONMENT, VIEW, TEMPLATE, INTEGRATION }

    private record Registered(Target target, String kind, Finder finder) {
    }

    private static final List<String> UPSTREAM_KINDS = List.of("templates", "inventories", "repositories",
            "integrations", "schedules", "access_keys");

    private final List<Registered> finders = new CopyOnWriteArrayList<>();

    /** @param kind upstream's name of the list in {@code /refs}: templates, inventories, repositories, ... */
    public void register(Target target, String kind, Finder finder) {
        finders.add(new Registered(target, kind, finder));
    }

    /** Every kind upstream lists, each with the objects using the target (empty lists included). */
    public Map<String, List<Ref>> find(Handle handle, Target target, long projectId, long id) {
        Map<String, List<Ref>> result = new LinkedHashMap<>();
        UPSTREAM_KINDS.forEach(kind -> result.put(kind, new ArrayList<>()));
        for (Registered registered : finders) {
            if (registered.target() == target) {
                result.computeIfAbsent(registered.kind(), k -> new ArrayList<>())
                        .addAll(registered.finder().find(handle, projectId, id));
            }
        }
        return result;
    }

    /** Refuses (400) when anything uses the target, naming what does; {@code what} names the target. */
    public void requireUnused(Handle handle, Target target, long projectId, long id, String what) {
        String inUse = usedBy(handle, target, projectId, id);
        if (!inUse.isEmpty()) {
            throw ApiException.inUse(what + " is in use by " + inUse);
        }
    }

    /** "" when nothing uses the target, else what does: "templates Deploy, Build; inventories Prod". */
    public String usedBy(Handle handle, Target target, long projectId, long id) {
        return find(handle, target, projectId, id).entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + " " + e.getValue().stream().map(Ref::name).collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; "));
    }
}
