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
    /** Reads and checks a create or update request (400 naming the field). */
    I parse(com.fasterxml.jackson.databind.node.ObjectNode body);

    /** Creates from a request as the API takes it (for what fills a project, such as the demo). */
    default T create(User actor, long projectId, com.fasterxml.jackson.databind.node.ObjectNode body) {
        return create(actor, projectId, parse(body));
    }

    /** @param sort a column name upstream accepts, or null; @param order "asc", "desc" or null */
    List<T> list(long projectId, String sort, String order);

    T get(long projectId, long id);

    T create(User actor, long projectId, I input);

    void update(User actor, long projectId, long id, I input);

    void delete(User actor, long projectId, long id);

    /** What uses the object, by kind (templates, inventories, ...), as upstream's {@code /refs} lists it. */
    Map<String, List<References.Ref>> refs(long projectId, long id);
}
