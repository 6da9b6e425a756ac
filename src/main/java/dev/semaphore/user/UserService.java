package dev.semaphore.user;

import dev.semaphore.common.ApiException;
import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Users: who may change whom, uniqueness of logins and e-mails, and the event record of each
 * change. An {@code actor} of null is the system itself (CLI, first-start bootstrap).
 */
public final class UserService {
    private final Database db;
    private final EventLog events;
    private final PasswordHasher hasher;
    private final Runnable credentialsChanged;
    private final UserStore users = new UserStore();

    /** @param credentialsChanged told after any change that can alter who a credential belongs to */
    public UserService(Database db, EventLog events, PasswordHasher hasher, Runnable credentialsChanged) {
        this.db = db;
        this.events = events;
        this.hasher = hasher;
        this.credentialsChanged = credentialsChanged;
    }

    public record NewUser(String username, String name, String email, String password, boolean admin,
                          boolean external, boolean alert) {
    }

    /** Fields to change; a null leaves the field as it is. */
    public record UserChanges(String username, String name, String email, Boolean admin, Boolean alert) {
    }

    public User create(User actor, NewUser input) {
        if (actor != null && !actor.admin()) {
            throw ApiException.forbidden("only an admin can create users");
        }
        String username = UserFields.username(input.username());
        String email = UserFields.email(input.email());
        String name = UserFields.name(input.name(), username);
        // Without a password (as upstream allows) the account cannot sign in with one until it is given one.
        String password = input.password() == null || input.password().isEmpty() ? ""
                : UserFields.password(input.password());
        String hash = password.isEmpty() ? "" : hasher.hash(password);
        return db.tx(h -> {
            requireFree(h, username, email, 0);
            long id = users.insert(h, username, name, email, hash, input.admin(), input.external(), input.alert());
            events.record(h, actorId(actor), null, ObjectType.USER, id, username, "User " + username + " created");
            return users.find(h, id).orElseThrow();
        });
    }

    public User update(User actor, long id, UserChanges changes) {
        String username = changes.username() == null ? null : UserFields.username(changes.username());
        String email = changes.email() == null ? null : UserFields.email(changes.email());
        User result = db.tx(h -> {
            User current = users.find(h, id).orElseThrow(() -> ApiException.notFound("user " + id + " not found"));
            requireSelfOrAdmin(actor, id);
            boolean admin = current.admin();
            if (changes.admin() != null && changes.admin() != current.admin()) {
                if (actor != null && !actor.admin()) {
                    throw ApiException.forbidden("only an admin can change the admin flag");
                }
                if (actor != null && actor.id() == id) {
                    throw ApiException.badRequest("you cannot change your own admin flag");
                }
                if (!changes.admin() && users.countAdmins(h) <= 1) {
                    throw ApiException.badRequest("the last admin cannot lose the admin flag");
                }
                admin = changes.admin();
            }
            if (current.external() && ((username != null && !username.equals(current.username()))
                    || (email != null && !email.equalsIgnoreCase(current.email())))) {
                throw ApiException.badRequest("the login and e-mail of an external user come from its identity provider");
            }
            User updated = new User(id, current.created(),
                    username == null ? current.username() : username,
                    changes.name() == null ? current.name() : UserFields.name(changes.name(), current.name()),
                    email == null ? current.email() : email,
                    changes.alert() == null ? current.alert() : changes.alert(),
                    admin, current.external(), current.pro());
            requireFree(h, updated.username(), updated.email(), id);
            users.update(h, updated);
            events.record(h, actorId(actor), null, ObjectType.USER, id, updated.username(),
                    "User " + updated.username() + " updated");
            return updated;
        });
        credentialsChanged.run();
        return result;
    }

    /**
     * Sets a new password and ends every session of the user but {@code keepSessionHash} (the caller's
     * own, when they change their own password in the browser); API tokens are deleted too unless
     * {@code keepTokens}: whoever knew the old password may have made some.
     */
    public void changePassword(User actor, long id, String password, String keepSessionHash, boolean keepTokens) {
        if (actor != null && !actor.admin() && actor.id() != id) { // null: the CLI, on the server's machine
            // upstream's answer; asked before looking, so that it tells nothing of which users exist
            throw ApiException.unauthorized("only an admin may change another user's password");
        }
        String checked = UserFields.password(password);
        String hash = hasher.hash(checked);
        db.txRun(h -> {
            User user = users.find(h, id).orElseThrow(() -> ApiException.notFound("user " + id + " not found"));
            if (user.external()) {
                throw ApiException.badRequest("an external user has no password here");
            }
            users.updatePassword(h, id, hash);
            int sessions = users.endSessions(h, id, keepSessionHash);
            int tokens = keepTokens ? 0 : users.deleteTokens(h, id);
            events.record(h, actorId(actor), null, ObjectType.USER, id, user.username(),
                    "Password of user " + user.username() + " changed; " + sessions + " other session(s) ended"
                            + (keepTokens ? ", API tokens kept" : ", " + tokens + " API token(s) deleted"));
        });
        credentialsChanged.run();
    }

    public void delete(User actor, long id) {
        db.txRun(h -> {
            User user = users.find(h, id).orElseThrow(() -> ApiException.notFound("user " + id + " not found"));
            requireSelfOrAdmin(actor, id);
            if (user.admin() && users.countAdmins(h) <= 1) {
                throw ApiException.badRequest("the last admin cannot be deleted");
            }
            users.delete(h, id);
            events.record(h, actorId(actor), null, ObjectType.USER, id,
                    user.username(), "User " + user.username() + " deleted");
        });
        credentialsChanged.run();
    }

    /** A user by id, if the actor may see that user (themselves, or anyone for an admin). */
    public User get(User actor, long id) {
        User user = find(id).orElseThrow(() -> ApiException.notFound("user " + id + " not found"));
        requireSelfOrAdmin(actor, id);
        return user;
    }

    public Optional<User> find(long id) {
        return db.read(h -> users.find(h, id));
    }

    /** For other features' transactions, which must not take a second connection. */
    public Optional<User> find(Handle h, long id) {
        return users.find(h, id);
    }

    public Optional<User> findByUsername(String username) {
        return db.read(h -> users.findByUsername(h, username));
    }

    /**
     * For sign-ins through an identity provider, inside their transaction: a new external user (no
     * password here), refused (400 naming the field) when its login or e-mail is taken or unusable.
     */
    public User createExternal(Handle h, String username, String name, String email, String why) {
        String login = UserFields.username(username);
        String mail = UserFields.email(email);
        requireFree(h, login, mail, 0);
        long id = users.insert(h, login, UserFields.name(name, login), mail, "", false, true, false);
        events.record(h, null, null, ObjectType.USER, id, login, "User " + login + " created " + why);
        return users.find(h, id).orElseThrow();
    }

    /** An external user's name and e-mail as the provider now gives them; an unusable or taken e-mail is kept. */
    public User syncExternal(Handle h, User user, String name, String email) {
        String mail = email;
        try {
            mail = UserFields.email(email);
            if (emailConflict(h, mail, user.id()) != null) {
                mail = user.email();
            }
        } catch (ApiException e) {
            mail = user.email();
        }
        String newName = name == null || name.isBlank() ? user.name() : UserFields.name(name, user.name());
        if (newName.equals(user.name()) && mail.equals(user.email())) {
            return user;
        }
        User updated = new User(user.id(), user.created(), user.username(), newName, mail, user.alert(), user.admin(),
                user.external(), user.pro());
        users.update(h, updated);
        events.record(h, null, null, ObjectType.USER, user.id(), user.username(),
                "User " + user.username() + " updated from the identity provider");
        return updated;
    }

    /** Sets or clears the admin flag for a group mapping; never takes it from the last admin. */
    public boolean setAdmin(Handle h, User user, boolean admin, String why) {
        if (user.admin() == admin || (!admin && users.countAdmins(h) <= 1)) {
            return false;
        }
        users.update(h, new User(user.id(), user.created(), user.username(), user.name(), user.email(), user.alert(),
                admin, user.external(), user.pro()));
        events.record(h, null, null, ObjectType.USER, user.id(), user.username(),
                "User " + user.username() + (admin ? " made admin " : " no longer admin ") + why);
        return true;
    }

    public Optional<User> findByUsername(Handle h, String username) {
        return users.findByUsername(h, UserFields.normalized(username));
    }

    public Optional<User> findByEmail(Handle h, String email) {
        return users.findByEmail(h, email);
    }

    /** Told after a change made in another feature's transaction that alters what a credential may do. */
    public void credentialsChanged() {
        credentialsChanged.run();
    }

    public Optional<User> findByEmail(String email) {
        return db.read(h -> users.findByEmail(h, email));
    }

    public List<User> list(String search) {
        return db.read(h -> users.list(h, search));
    }

    public long count() {
        return db.read(users::count);
    }

    /** The login name of the account a typed login or e-mail address belongs to. */
    public Optional<String> accountName(String loginOrEmail) {
        return db.read(h -> users.credentials(h, UserFields.normalized(loginOrEmail))).map(c -> c.user().username());
    }

    /** The user whose login or e-mail and password match; empty otherwise, taking the same time. */
    public Optional<User> authenticate(String loginOrEmail, String password) {
        Optional<UserStore.Credentials> found = db.read(h -> users.credentials(h,
                UserFields.normalized(loginOrEmail)));
        if (found.isEmpty() || found.get().passwordHash().isEmpty() || found.get().user().external()
                || UserFields.tooLong(password)) {
            hasher.burnOneCheck(password);
            return Optional.empty();
        }
        return hasher.matches(password, found.get().passwordHash()) ? Optional.of(found.get().user())
                : Optional.empty();
    }

    private void requireFree(Handle h, String username, String email, long exceptId) {
        String conflict = loginConflict(h, username, exceptId);
        if (conflict == null) {
            conflict = emailConflict(h, email, exceptId);
        }
        if (conflict != null) {
            throw ApiException.badRequest(conflict);
        }
    }

    /** Whether a new account may take this login: no one has it, and no one's looks like it. */
    public boolean loginFree(Handle h, String username) {
        return loginConflict(h, UserFields.normalized(username), 0) == null;
    }

    /** Whether a new account may take this e-mail address: no one has it, and no one's looks like it. */
    public boolean emailFree(Handle h, String email) {
        return emailConflict(h, email.trim(), 0) == null;
    }

    private String loginConflict(Handle h, String username, long exceptId) {
        if (users.usernameTaken(h, username, exceptId)) {
            return "a user with login '" + username + "' already exists";
        }
        String skeleton = UserFields.skeleton(username);
        for (UserStore.Names other : users.namesOfOthers(h, exceptId)) {
            if (UserFields.skeleton(other.username()).equals(skeleton)) {
                return "field 'username': '" + username + "' looks like the login of another user (letters of"
                        + " other scripts or accents that pass for theirs)";
            }
        }
        return null;
    }

    private String emailConflict(Handle h, String email, long exceptId) {
        if (users.emailTaken(h, email, exceptId)) {
            return "a user with e-mail '" + email + "' already exists";
        }
        String skeleton = UserFields.skeleton(email);
        for (UserStore.Names other : users.namesOfOthers(h, exceptId)) {
            if (UserFields.skeleton(other.email()).equals(skeleton)) {
                return "field 'email': '" + email + "' looks like the e-mail address of another user";
            }
        }
        return null;
    }

    private static void requireSelfOrAdmin(User actor, long id) {
        if (actor != null && !actor.admin() && actor.id() != id) {
            throw ApiException.forbidden("you can only manage your own user");
        }
    }

    private static Long actorId(User actor) {
        return actor == null ? null : actor.id();
    }
}
