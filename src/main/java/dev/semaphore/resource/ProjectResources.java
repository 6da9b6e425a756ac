package dev.semaphore.resource;

import dev.semaphore.db.References;
import dev.semaphore.user.User;
import java.util.List;
import java.util.Map;

/**
 * A kind of object a project owns (keys, repositories, inventories, variable groups): what its
 * service offers, so that {@link ProjectResourceRoutes} serves every such kind the same way.
 *
 * @param <T> the object, as the API returns it
 * @param <I> a checked create or update request
 */
public interface ProjectResources<T, I> {
    /** @param sort a column name upstream accepts, or null; @param order "asc", "desc" or null */
    List<T> list(long projectId, String sort, String order);

    T get(long projectId, long id);

    T create(User actor, long projectId, I input);

    void update(User actor, long projectId, long id, I input);

    void delete(User actor, long projectId, long id);

    /** What uses the object, by kind (templates, inventories, ...), as upstream's {@code /refs} lists it. */
    Map<String, List<References.Ref>> refs(long projectId, long id);
}
