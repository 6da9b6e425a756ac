package dev.semaphore.identity;

import dev.semaphore.common.ApiException;
import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.project.ProjectService;
import dev.semaphore.security.ProjectRole;
import dev.semaphore.user.User;
import dev.semaphore.user.UserService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-ins through an identity provider (LDAP, OIDC): a person is found by (type, provider, external
 * uid), never by e-mail alone; a local account is never taken over; on each sign-in the provider's name
 * and e-mail are copied and its groups applied as roles. Also the identities routes behind it.
 */
public final class IdentityService {
    private static final Logger log = LoggerFactory.getLogger(IdentityService.class);

    /** Upstream's {@code external_auth_email_matching}: when an unlinked external user may be adopted. */
    public enum EmailMatching {
        /** Only an external user with no identity at all (one made before identities existed). */
        AUTO,
        /** Any external user without an identity at this provider. */
        ALWAYS,
        /** Never: only (type, provider, external uid) finds a user. */
        NEVER;

        public static EmailMatching of(String value) {
            return valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    private final Database db;
    private final EventLog events;
    private final UserService users;
    private final ProjectService projects;
    private final EmailMatching matching;
    private final IdentityStore store = new IdentityStore();

    public IdentityService(Database db, EventLog events, UserService users, ProjectService projects,
                           EmailMatching matching) {
        this.db = db;
        this.events = events;
        this.users = users;
        this.projects = projects;
        this.matching = matching;
    }

    /**
     * The user this provider's person is: found by identity, or an unlinked external account adopted as
     * {@code external_auth_email_matching} allows, or a new external account. 401 when the login or e-mail
     * belongs to another account (an admin links them); nothing is written then.
     */
    public User signIn(ExternalLogin login, GroupRoles roles) {
        if (login.externalUid() == null || login.externalUid().isBlank()) {
            throw ApiException.unauthorized("the identity provider gave no stable id for this person");
        }
        boolean[] rolesChanged = {false};
        User user = db.tx(h -> {
            Optional<Identity> found = store.find(h, login.type(), login.provider(), login.externalUid());
            User u;
            if (found.isPresent()) {
                u = users.find(h, found.get().userId()).orElseThrow();
            } else {
                Optional<User> adopted = adoptable(h, login);
                if (adopted.isPresent()) {
                    u = adopted.get();
                    link(h, null, u, login.type(), login.provider(), login.externalUid(), "adopted by its "
                            + (ExternalLogin.LDAP.equals(login.type()) ? "login" : "verified e-mail"));
                } else {
                    u = create(h, login);
                }
            }
            if (u.external()) {
                u = users.syncExternal(h, u, login.name(), login.email());
            }
            if (!roles.isEmpty()) {
                rolesChanged[0] = applyRoles(h, u, login, roles);
            }
            return rolesChanged[0] ? users.find(h, u.id()).orElseThrow() : u;
        });
        if (rolesChanged[0]) {
            projects.membershipsChanged();
            users.credentialsChanged();
        }
        return user;
    }

    public List<Identity> list(User actor, long userId) {
        users.get(actor, userId);
        return db.read(h -> store.ofUser(h, userId));
    }

    /** Every user's identities as {@code type:provider}, for the admin's view of how people sign in. */
    public Map<Long, List<String>> linksByUser() {
        Map<Long, List<String>> links = new HashMap<>();
        db.read(store::all).forEach(i -> links.computeIfAbsent(i.userId(), u -> new java.util.ArrayList<>())
                .add(i.type() + ":" + i.provider()));
        return links;
    }

    /** 409 when it is the last way an external user signs in (an admin deletes the user instead). */
    public void unlink(User actor, long userId, String type, String provider) {
        User user = users.get(actor, userId);
        db.txRun(h -> {
            List<Identity> all = store.ofUser(h, userId);
            if (all.stream().noneMatch(i -> i.type().equals(type) && i.provider().equals(provider))) {
                throw ApiException.notFound("user " + userId + " has no " + type + " identity at " + provider);
            }
            if (user.external() && all.size() == 1) {
                throw new ApiException(409, "this is the only way user " + user.username()
                        + " signs in; delete the user instead");
            }
            store.delete(h, userId, type, provider);
            events.record(h, actor.id(), null, ObjectType.USER, userId, user.username(),
                    "Identity " + type + ":" + provider + " of user " + user.username() + " unlinked");
        });
    }

    /** An admin links an account to a provider's person (for example a local account to its directory entry). */
    public Identity linkByAdmin(User actor, long userId, String type, String provider, String externalUid) {
        if (!actor.admin()) {
            throw ApiException.forbidden("only an admin can link an identity to a user");
        }
        User user = users.get(actor, userId);
        requireType(type);
        if (provider == null || provider.isBlank()) {
            throw ApiException.badRequest("field 'provider' is required");
        }
        if (externalUid == null || externalUid.isBlank()) {
            throw ApiException.badRequest("field 'external_uid' is required");
        }
        return db.tx(h -> link(h, actor, user, type, provider.trim(), externalUid.trim(), "by an admin"));
    }

    /**
     * An identity brought over from upstream (2.20+), inside the importer's transaction; empty when it,
     * or one of the user's at that provider, exists here already.
     */
    public Optional<Long> insertImported(Handle h, long userId, String type, String provider, String externalUid,
                                         java.time.Instant created) {
        if (!Set.of(ExternalLogin.LDAP, ExternalLogin.OIDC).contains(type) || provider.isBlank()
                || externalUid.isBlank() || store.find(h, type, provider, externalUid).isPresent()
                || store.ofUser(h, userId).stream().anyMatch(i -> i.type().equals(type) && i.provider().equals(provider))) {
            return Optional.empty();
        }
        return Optional.of(store.insert(h, userId, type, provider, externalUid,
                created == null ? dev.semaphore.common.Times.now() : created));
    }

    /** The signed-in user proved they are this provider's person (LDAP credentials): link them. */
    public Identity linkProven(User user, ExternalLogin login) {
        return db.tx(h -> link(h, user, user, login.type(), login.provider(), login.externalUid(),
                "by its user"));
    }

    private Identity link(Handle h, User actor, User user, String type, String provider, String uid, String how) {
        Optional<Identity> existing = store.find(h, type, provider, uid);
        if (existing.isPresent()) {
            if (existing.get().userId() == user.id()) {
                return existing.get();
            }
            throw new ApiException(409, "this " + type + " identity is linked to another user");
        }
        if (store.ofUser(h, user.id()).stream().anyMatch(i -> i.type().equals(type) && i.provider().equals(provider))) {
            throw new ApiException(409, "user " + user.username() + " already has a " + type + " identity at "
                    + provider + "; unlink it first");
        }
        long id = store.insert(h, user.id(), type, provider, uid);
        events.record(h, actor == null ? null : actor.id(), null, ObjectType.USER, user.id(), user.username(),
                "Identity " + type + ":" + provider + " linked to user " + user.username() + " " + how);
        return store.ofUser(h, user.id()).stream().filter(i -> i.id() == id).findFirst().orElseThrow();
    }

    private Optional<User> adoptable(Handle h, ExternalLogin login) {
        if (matching == EmailMatching.NEVER) {
            return Optional.empty();
        }
        Optional<User> candidate;
        if (ExternalLogin.LDAP.equals(login.type())) {
            candidate = login.username() == null ? Optional.empty() : users.findByUsername(h, login.username());
        } else {
            candidate = login.email() == null || !login.emailVerified() ? Optional.empty()
                    : users.findByEmail(h, login.email());
        }
        return candidate.filter(User::external).filter(u -> {
            List<Identity> linked = store.ofUser(h, u.id());
            return matching == EmailMatching.AUTO ? linked.isEmpty()
                    : linked.stream().noneMatch(i -> i.type().equals(login.type())
                    && i.provider().equals(login.provider()));
        });
    }

    private User create(Handle h, ExternalLogin login) {
        String username = login.username() == null || login.username().isBlank() ? login.email() : login.username();
        if (username == null || username.isBlank()) {
            throw ApiException.unauthorized("the identity provider gave no login for this person");
        }
        if (login.email() == null || login.email().isBlank()) {
            throw ApiException.unauthorized("the identity provider gave no e-mail for this person");
        }
        // A local account's login and e-mail are its own claims, never checked: one that names this person
        // must not keep them out, nor be taken for them. The person gets an account of their own.
        String free = username;
        for (int n = 1; !users.loginFree(h, free) && n <= 20; n++) {
            free = username + "@" + login.provider() + (n == 1 ? "" : "-" + n);
        }
        String email = users.emailFree(h, login.email()) ? login.email().trim() : placeholderEmail(login);
        if (!free.equals(username) || !email.equals(login.email().trim())) {
            log.warn("{} sign-in of '{}': another account already claims its {} (a claim nobody checked); this person"
                    + " gets account '{}'{}. Link the identity to an existing account only when you know it is"
                    + " theirs.", login.source(), username, !free.equals(username) ? "login" : "e-mail address",
                    free, email.equals(login.email().trim()) ? "" : " with the stand-in address " + email);
        }
        User user;
        try {
            user = users.createExternal(h, free, login.name(), email, "at its first sign-in through " + login.source());
        } catch (ApiException e) {
            throw ApiException.unauthorized("the identity provider's account cannot be used here: " + e.getMessage());
        }
        store.insert(h, user.id(), login.type(), login.provider(), login.externalUid());
        return user;
    }

    /** An address in the reserved .invalid domain, unique to this identity, until its own one is free. */
    private static String placeholderEmail(ExternalLogin login) {
        String id = dev.semaphore.common.Secrets.sha256Hex(login.type() + ":" + login.provider() + ":"
                + login.externalUid()).substring(0, 16);
        String domain = login.provider().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return "unverified-" + id + "@" + domain + ".invalid";
    }

    /** Brings what the groups grant in line with the person's groups now; true when something changed. */
    private boolean applyRoles(Handle h, User user, ExternalLogin login, GroupRoles roles) {
        String source = login.source();
        String why = "by the " + source + " group mapping";
        GroupRoles.Wanted wanted = roles.wanted(login.groups());
        List<IdentityStore.Grant> grants = store.grants(h, user.id(), source);
        boolean changed = false;

        Optional<IdentityStore.Grant> adminGrant = grants.stream().filter(g -> g.projectId() == null).findFirst();
        if (wanted.admin() && !user.admin()) {
            changed |= users.setAdmin(h, user, true, why);
            if (adminGrant.isEmpty()) {
                store.addGrant(h, user.id(), source, null, "admin");
            }
        } else if (!wanted.admin() && adminGrant.isPresent()) {
            changed |= users.setAdmin(h, user, false, why);
            store.deleteGrant(h, adminGrant.get().id());
        }

        Map<Long, ProjectRole> wantedById = new HashMap<>();
        wanted.projects().forEach((ref, role) -> projects.idOf(h, ref).ifPresentOrElse(
                id -> wantedById.merge(id, role, (a, b) -> a.ordinal() <= b.ordinal() ? a : b),
                () -> log.warn("{} group mapping names project '{}', which does not exist", source, ref)));
        Map<Long, IdentityStore.Grant> granted = new HashMap<>();
        grants.stream().filter(g -> g.projectId() != null).forEach(g -> granted.put(g.projectId(), g));

        for (Map.Entry<Long, ProjectRole> e : wantedById.entrySet()) {
            long project = e.getKey();
            Optional<ProjectRole> current = projects.roleOf(h, project, user.id());
            IdentityStore.Grant grant = granted.get(project);
            if (current.isEmpty()) {
                projects.setMembership(h, project, user, e.getValue(), why);
                if (grant == null) {
                    store.addGrant(h, user.id(), source, project, e.getValue().wire());
                } else {
                    store.setGrantRole(h, grant.id(), e.getValue().wire());
                }
                changed = true;
            } else if (grant != null && current.get().wire().equals(grant.role()) && current.get() != e.getValue()) {
                // Still the role the mapping gave; a role an admin set by hand since is left alone.
                projects.setMembership(h, project, user, e.getValue(), why);
                store.setGrantRole(h, grant.id(), e.getValue().wire());
                changed = true;
            }
        }
        for (IdentityStore.Grant grant : granted.values()) {
            if (wantedById.containsKey(grant.projectId())) {
                continue;
            }
            Optional<ProjectRole> current = projects.roleOf(h, grant.projectId(), user.id());
            if (current.isPresent() && current.get().wire().equals(grant.role())) {
                projects.setMembership(h, grant.projectId(), user, null, why);
                changed = true;
            }
            store.deleteGrant(h, grant.id());
        }
        return changed;
    }

    private static void requireType(String type) {
        if (!Set.of(ExternalLogin.LDAP, ExternalLogin.OIDC).contains(type)) {
            throw ApiException.badRequest("field 'type' must be ldap or oidc");
        }
    }
}
