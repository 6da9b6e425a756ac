package dev.semaphore.identity;

import dev.semaphore.common.Times;
import dev.semaphore.db.Rows;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for user_identities and user_role_grants. */
final class IdentityStore {
    private static final String COLUMNS = "id, user_id, type, provider, external_uid, created";

    /** What a group mapping granted: a project role, or admin when {@code projectId} is null. */
    record Grant(long id, Long projectId, String role) {
    }

    Optional<Identity> find(Handle h, String type, String provider, String externalUid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM user_identities WHERE type = :t AND provider = :p"
                        + " AND external_uid = :uid")
                .bind("t", type).bind("p", provider).bind("uid", externalUid).map(IdentityStore::map).findOne();
    }

    List<Identity> ofUser(Handle h, long userId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM user_identities WHERE user_id = :u ORDER BY id")
                .bind("u", userId).map(IdentityStore::map).list();
    }

    List<Identity> all(Handle h) {
        return h.createQuery("SELECT " + COLUMNS + " FROM user_identities ORDER BY user_id, id").map(IdentityStore::map)
                .list();
    }

    long insert(Handle h, long userId, String type, String provider, String externalUid) {
        return insert(h, userId, type, provider, externalUid, Times.now());
    }

    long insert(Handle h, long userId, String type, String provider, String externalUid, java.time.Instant created) {
        return h.createUpdate("INSERT INTO user_identities (user_id, type, provider, external_uid, created)"
                        + " VALUES (:u, :t, :p, :uid, :now)")
                .bind("u", userId).bind("t", type).bind("p", provider).bind("uid", externalUid)
                .bind("now", created)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    int delete(Handle h, long userId, String type, String provider) {
        return h.createUpdate("DELETE FROM user_identities WHERE user_id = :u AND type = :t AND provider = :p")
                .bind("u", userId).bind("t", type).bind("p", provider).execute();
    }

    List<Grant> grants(Handle h, long userId, String source) {
        return h.createQuery("SELECT id, project_id, role FROM user_role_grants WHERE user_id = :u AND source = :s")
                .bind("u", userId).bind("s", source)
                .map((rs, ctx) -> new Grant(rs.getLong("id"),
                        rs.getObject("project_id") instanceof Number n ? n.longValue() : null, rs.getString("role")))
                .list();
    }

    void addGrant(Handle h, long userId, String source, Long projectId, String role) {
        h.createUpdate("INSERT INTO user_role_grants (user_id, source, project_id, role, created)"
                        + " VALUES (:u, :s, :p, :r, :now)")
                .bind("u", userId).bind("s", source).bind("p", projectId).bind("r", role).bind("now", Times.now())
                .execute();
    }

    void setGrantRole(Handle h, long id, String role) {
        h.createUpdate("UPDATE user_role_grants SET role = :r WHERE id = :id").bind("id", id).bind("r", role).execute();
    }

    void deleteGrant(Handle h, long id) {
        h.createUpdate("DELETE FROM user_role_grants WHERE id = :id").bind("id", id).execute();
    }

    private static Identity map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Identity(rs.getLong("id"), rs.getLong("user_id"), rs.getString("type"), rs.getString("provider"),
                rs.getString("external_uid"), Rows.instant(rs, "created", ctx));
    }
}
