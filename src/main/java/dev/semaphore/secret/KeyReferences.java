package dev.semaphore.secret;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;

/**
 * Who uses an access key. Features whose objects point at keys (repositories, inventories, ...)
 * register a finder when they are wired; deleting a key that any finder reports is refused.
 */
public final class KeyReferences {
    /** One referring object, as upstream's {@code /refs} lists them. */
    public record Ref(long id, String name) {
    }

    /** Finds the objects of one kind that use a key. */
    @FunctionalInterface
    public interface Finder {
        List<Ref> find(Handle handle, long projectId, long keyId);
    }

    private record Registered(String kind, Finder finder) {
    }

    private final List<Registered> finders = new CopyOnWriteArrayList<>();

    /** @param kind upstream's name of the list in {@code /refs}: templates, inventories, repositories, ... */
    public void register(String kind, Finder finder) {
        finders.add(new Registered(kind, finder));
    }

    /** Every kind upstream lists, each with the objects that use the key (empty lists included). */
    Map<String, List<Ref>> find(Handle handle, long projectId, long keyId) {
        Map<String, List<Ref>> result = new java.util.LinkedHashMap<>();
        for (String kind : List.of("templates", "inventories", "repositories", "integrations", "schedules",
                "access_keys")) {
            result.put(kind, new java.util.ArrayList<>());
        }
        for (Registered registered : finders) {
            result.computeIfAbsent(registered.kind(), k -> new java.util.ArrayList<>())
                    .addAll(registered.finder().find(handle, projectId, keyId));
        }
        return result;
    }
}
