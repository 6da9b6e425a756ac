package dev.semaphore.user;

import dev.semaphore.common.Times;
import dev.semaphore.db.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for the users table. */
final class UserStore {
    private static final String COLUMNS = "id, created, username, name, email, alert, admin, external, pro";

    record Credentials(User user, String passwordHash) {
    }

    Optional<User> find(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id")
                .bind("id", id).map(UserStore::map).findOne();
    }

    Optional<User> findByUsername(Handle h, String username) {
        return h.createQuery("SELECT " + COLUMNS + " FROM users WHERE username_key = :key")
                .bind("key", key(username)).map(UserStore::map).findOne();
    }

    Optional<User> findByEmail(Handle h, String email) {
        return h.createQuery("SELECT " + COLUMNS + " FROM users WHERE email_key = :key")
                .bind("key", key(email)).map(UserStore::map).findOne();
    }

    Optional<Credentials> credentials(Handle h, String loginOrEmail) {
        return h.createQuery("SELECT " + COLUMNS + ", password FROM users WHERE username_key = :key OR email_key = :key"
                        + " ORDER BY CASE WHEN username_key = :key THEN 0 ELSE 1 END")
                .bind("key", key(loginOrEmail))
                .map((rs, ctx) -> new Credentials(map(rs, ctx), rs.getString("password")))
                .findFirst();
    }

    List<User> list(Handle h, String search) {
        if (search == null || search.isBlank()) {
            return h.createQuery("SELECT " + COLUMNS + " FROM users ORDER BY username_key")
                    .map(UserStore::map).list();
        }
        String pattern = "%" + key(search).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        return h.createQuery("SELECT " + COLUMNS + " FROM users WHERE username_key LIKE :p ESCAPE '!'"
                        + " OR email_key LIKE :p ESCAPE '!' OR LOWER(name) LIKE :p ESCAPE '!' ORDER BY username_key")
                .bind("p", pattern).map(UserStore::map).list();
    }

    boolean usernameTaken(Handle h, String username, long exceptId) {
        return h.createQuery("SELECT COUNT(*) FROM users WHERE username_key = :key AND id <> :id")
                .bind("key", key(username)).bind("id", exceptId).mapTo(Long.class).one() > 0;
    }

    /** A write that changes nothing, to take the user's row lock until the transaction ends. */
    void hold(Handle h, long id) {
        h.createUpdate("UPDATE users SET username = username WHERE id = :id").bind("id", id).execute();
    }

    /** A user's login and e-mail, to compare how they look. */
    record Names(String username, String email) {
    }

    List<Names> namesOfOthers(Handle h, long exceptId) {
        return h.createQuery("SELECT username, email FROM users WHERE id <> :id").bind("id", exceptId)
                .map((rs, ctx) -> new Names(rs.getString("username"), rs.getString("email"))).list();
    }

    boolean emailTaken(Handle h, String email, long exceptId) {
        return h.createQuery("SELECT COUNT(*) FROM users WHERE email_key = :key AND id <> :id")
                .bind("key", key(email)).bind("id", exceptId).mapTo(Long.class).one() > 0;
    }

    long countAdmins(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM users WHERE admin = :t").bind("t", true).mapTo(Long.class).one();
    }

    long count(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one();
    }

    long insert(Handle h, String username, String name, String email, String passwordHash, boolean admin,
                boolean external, boolean alert) {
        return h.createUpdate("""
                        INSERT INTO users (created, username, username_key, name, email, email_key, password,
                                           admin, external, alert, pro)
                        VALUES (:created, :username, :usernameKey, :name, :email, :emailKey, :password,
                                :admin, :external, :alert, :pro)""")
                .bind("created", Times.now())
                .bind("username", username)
                .bind("usernameKey", key(username))
                .bind("name", name)
                .bind("email", email)
                .bind("emailKey", key(email))
                .bind("password", passwordHash)
                .bind("admin", admin)
                .bind("external", external)
                .bind("alert", alert)
                .bind("pro", false)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one();
    }

    void update(Handle h, User user) {
        h.createUpdate("""
                        UPDATE users SET username = :username, username_key = :usernameKey, name = :name,
                               email = :email, email_key = :emailKey, admin = :admin, alert = :alert
                        WHERE id = :id""")
                .bind("id", user.id())
                .bind("username", user.username())
                .bind("usernameKey", key(user.username()))
                .bind("name", user.name())
                .bind("email", user.email())
                .bind("emailKey", key(user.email()))
                .bind("admin", user.admin())
                .bind("alert", user.alert())
                .execute();
    }

    void updatePassword(Handle h, long id, String passwordHash) {
        h.createUpdate("UPDATE users SET password = :password WHERE id = :id")
                .bind("id", id).bind("password", passwordHash).execute();
    }

    /** Ends the user's sessions but the one whose token hash is {@code keep} (null: all); returns how many. */
    int endSessions(Handle h, long userId, String keep) {
        return h.createUpdate("UPDATE sessions SET expired = :expired WHERE user_id = :id AND expired = :live"
                        + (keep == null ? "" : " AND token_hash <> :keep"))
                .bind("expired", true).bind("live", false).bind("id", userId).bind("keep", keep).execute();
    }

    /** Deletes every API token of the user; returns how many. */
    int deleteTokens(Handle h, long userId) {
        return h.createUpdate("DELETE FROM api_tokens WHERE user_id = :id").bind("id", userId).execute();
    }

    void delete(Handle h, long id) {
        h.createUpdate("DELETE FROM users WHERE id = :id").bind("id", id).execute();
    }

    private static String key(String value) {
        return value.trim().toLowerCase(Locale.ROOT);
    }

    private static User map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new User(rs.getLong("id"), Rows.instant(rs, "created", ctx), rs.getString("username"),
                rs.getString("name"), rs.getString("email"), rs.getBoolean("alert"), rs.getBoolean("admin"),
                rs.getBoolean("external"), rs.getBoolean("pro"));
    }
}
