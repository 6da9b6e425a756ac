package dev.semaphore.invite;

import dev.semaphore.db.Rows;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for project invitations; tokens are looked up by their SHA-256. */
final class InviteStore {
    private static final String SELECT = "SELECT id, project_id, user_id, email, role, status, inviter_user_id, created,"
            + " expires_at, accepted_at FROM project_invites";

    List<Invite> ofProject(Handle h, long projectId) {
        return h.createQuery(SELECT + " WHERE project_id = :p ORDER BY id DESC").bind("p", projectId)
                .map(InviteStore::map).list();
    }

    Optional<Invite> find(Handle h, long projectId, long id) {
        return h.createQuery(SELECT + " WHERE project_id = :p AND id = :id").bind("p", projectId).bind("id", id)
                .map(InviteStore::map).findOne();
    }

    Optional<Invite> byToken(Handle h, String tokenHash) {
        return h.createQuery(SELECT + " WHERE token_hash = :t").bind("t", tokenHash).map(InviteStore::map).findOne();
    }

    /** A pending invitation of the same person into the project, if one exists. */
    boolean pendingFor(Handle h, long projectId, Long userId, String email, Instant now) {
        return h.createQuery("SELECT COUNT(*) FROM project_invites WHERE project_id = :p AND status = 'pending'"
                        + " AND expires_at > :now AND (user_id = :u OR LOWER(email) = LOWER(:e))")
                .bind("p", projectId).bind("now", now).bind("u", userId).bind("e", email)
                .mapTo(Integer.class).one() > 0;
    }

    /** The open invitations a member made in a project. */
    List<Invite> pendingBy(Handle h, long projectId, long inviterId) {
        return h.createQuery(SELECT + " WHERE project_id = :p AND inviter_user_id = :u AND status = 'pending'")
                .bind("p", projectId).bind("u", inviterId).map(InviteStore::map).list();
    }

    long insert(Handle h, long projectId, Long userId, String email, String role, String tokenHash, Long inviter,
                Instant created, Instant expires) {
        return h.createUpdate("INSERT INTO project_invites (project_id, user_id, email, role, status, token_hash,"
                        + " inviter_user_id, created, expires_at) VALUES (:p, :u, :e, :role, 'pending', :t, :inviter,"
                        + " :created, :expires)")
                .bind("p", projectId).bind("u", userId).bind("e", email).bind("role", role).bind("t", tokenHash)
                .bind("inviter", inviter).bind("created", created).bind("expires", expires)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    void update(Handle h, long id, String role, String status, Instant expires) {
        h.createUpdate("UPDATE project_invites SET role = :role, status = :status, expires_at = :expires WHERE id = :id")
                .bind("id", id).bind("role", role).bind("status", status).bind("expires", expires).execute();
    }

    /** Accepts a pending invitation; false when it was used meanwhile. */
    boolean accept(Handle h, long id, Instant at) {
        return h.createUpdate("UPDATE project_invites SET status = 'accepted', accepted_at = :at"
                        + " WHERE id = :id AND status = 'pending'")
                .bind("id", id).bind("at", at).execute() == 1;
    }

    void delete(Handle h, long id) {
        h.createUpdate("DELETE FROM project_invites WHERE id = :id").bind("id", id).execute();
    }

    private static Invite map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Invite(rs.getLong("id"), rs.getLong("project_id"), Rows.nullableLong(rs, "user_id"),
                rs.getString("email"), rs.getString("role"), rs.getString("status"),
                Rows.nullableLong(rs, "inviter_user_id"), Rows.instant(rs, "created", ctx),
                Rows.instant(rs, "expires_at", ctx), Rows.instant(rs, "accepted_at", ctx), null);
    }
}
