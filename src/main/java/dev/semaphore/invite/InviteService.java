package dev.semaphore.invite;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.JsonBody;
import dev.semaphore.common.Secrets;
import dev.semaphore.common.Times;
import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.mail.Mailer;
import dev.semaphore.project.ProjectService;
import dev.semaphore.security.ProjectAccess;
import dev.semaphore.security.ProjectRole;
import dev.semaphore.user.User;
import dev.semaphore.user.UserService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invitations into a project (upstream's {@code teams.invites_enabled} and {@code teams.invite_type}):
 * made by those who manage the team, by user or e-mail, with a role and an expiry (at most
 * {@code teams.invite_max_days}); accepted once, before they expire, by the person they name, while
 * the one who made it may still grant that role there. An invitation is the inviter's word: a member
 * who leaves, or loses the right to grant its role, takes their open invitations with them.
 */
public final class InviteService {
    private static final Logger LOG = LoggerFactory.getLogger(InviteService.class);
    private static final Duration DEFAULT_EXPIRY = Duration.ofDays(7);

    /**
     * The invitation settings: whether they are on, by what a person is invited (username, email, both),
     * and the longest an invitation may stay open.
     */
    public record Settings(boolean enabled, String inviteType, String webHost, int maxDays) {
    }

    private final Database db;
    private final EventLog events;
    private final ProjectService projects;
    private final UserService users;
    private final Mailer mailer;
    private final Settings settings;
    private final InviteStore store = new InviteStore();

    /** @param mailer where invitation e-mails go; null when this server sends no mail */
    public InviteService(Database db, EventLog events, ProjectService projects, UserService users, Mailer mailer,
                         Settings settings) {
        this.db = db;
        this.events = events;
        this.projects = projects;
        this.users = users;
        this.mailer = mailer;
        this.settings = settings;
        projects.onMembershipChange(this::revokeWhatTheyMayNoLongerGrant);
    }

    /** A member left or changed role: their open invitations for roles they may no longer grant go. */
    private void revokeWhatTheyMayNoLongerGrant(org.jdbi.v3.core.Handle h, long projectId, long userId,
                                                ProjectRole now) {
        for (Invite invite : store.pendingBy(h, projectId, userId)) {
            ProjectRole role = ProjectRole.fromWire(invite.role()).orElseThrow();
            if (!mayGrant(now, false, role)) {
                store.delete(h, invite.id());
                events.record(h, null, projectId, ObjectType.PROJECT, projectId, null, "Invitation " + invite.id()
                        + " revoked: the member who made it may no longer grant " + invite.role());
            }
        }
    }

    /** Whether someone of this project role (or an admin) may invite into the project: owners, as upstream. */
    private static boolean mayGrant(ProjectRole inviter, boolean admin, ProjectRole role) {
        return admin || inviter == ProjectRole.OWNER;
    }

    List<Invite> list(ProjectAccess access) {
        requireManager(access);
        Instant now = Times.now();
        return db.read(h -> store.ofProject(h, access.projectId())).stream().map(i -> i.asOf(now)).toList();
    }

    Invite get(ProjectAccess access, long id) {
        requireManager(access);
        return find(access.projectId(), id).asOf(Times.now());
    }

    /** Makes an invitation; the answer carries its token, the only time it is shown. */
    Invite create(User actor, ProjectAccess access, JsonBody body) {
        requireEnabled();
        requireManager(access);
        Long userId = body.optionalLong("user_id").filter(id -> id > 0).orElse(null);
        String email = body.optionalString("email").map(String::strip).filter(e -> !e.isEmpty()).orElse(null);
        if ((userId == null) == (email == null)) {
            throw ApiException.badRequest("give exactly one of field 'user_id' and field 'email'");
        }
        String type = settings.inviteType();
        if (userId != null && type.equals("email")) {
            throw ApiException.badRequest("field 'user_id': this server invites by e-mail only (teams.invite_type)");
        }
        if (email != null && type.equals("username")) {
            throw ApiException.badRequest("field 'email': this server invites existing users only (teams.invite_type)");
        }
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+")) {
            throw ApiException.badRequest("field 'email' must be an e-mail address");
        }
        ProjectRole role = role(body);
        Instant now = Times.now();
        Instant expires = expiry(body, now);
        User invited = userId == null ? null : users.find(userId)
                .orElseThrow(() -> ApiException.badRequest("field 'user_id': user " + userId + " not found"));
        long projectId = access.projectId();
        if (invited != null && projects.isMember(projectId, invited.id())) {
            throw new ApiException(409, "user " + invited.username() + " is already a member of this project");
        }
        String token = HexFormat.of().formatHex(Secrets.randomBytes(32));
        String who = invited != null ? invited.username() : email;
        Invite created = db.tx(h -> {
            if (store.pendingFor(h, projectId, userId, email, now)) {
                throw new ApiException(409, who + " already has a pending invitation to this project");
            }
            long id = store.insert(h, projectId, userId, email == null ? null : email.toLowerCase(Locale.ROOT),
                    role.wire(), hash(token), actor.id(), now, expires);
            events.record(h, actor.id(), projectId, ObjectType.PROJECT, projectId, null,
                    "Invitation " + id + " of " + who + " as " + role.wire() + " by " + actor.username());
            return store.find(h, projectId, id).orElseThrow();
        });
        boolean mailed = mail(invited != null ? invited.email() : email, token, projectId);
        // An e-mail invitation's token is the proof of that mailbox: it goes there, not to the inviter. Without
        // a mail server (or for an invitation by user) the inviter passes the link on.
        return mailed && email != null ? created : created.withToken(token);
    }

    void update(User actor, ProjectAccess access, long id, JsonBody body) {
        requireManager(access);
        Invite current = find(access.projectId(), id);
        ProjectRole role = body.has("role") ? role(body) : ProjectRole.fromWire(current.role()).orElseThrow();
        String status = body.optionalString("status").orElse(current.status());
        if (!status.equals(current.status()) && !(current.status().equals("pending") && status.equals("declined"))) {
            throw ApiException.badRequest("field 'status': a pending invitation may only become declined");
        }
        Instant expires = body.has("expires_at") ? expiry(body, Times.now()) : current.expiresAt();
        db.txRun(h -> {
            store.update(h, id, role.wire(), status, expires);
            events.record(h, actor.id(), access.projectId(), ObjectType.PROJECT, access.projectId(), null,
                    "Invitation " + id + " updated by " + actor.username());
        });
    }

    void delete(User actor, ProjectAccess access, long id) {
        requireManager(access);
        find(access.projectId(), id);
        db.txRun(h -> {
            store.delete(h, id);
            events.record(h, actor.id(), access.projectId(), ObjectType.PROJECT, access.projectId(), null,
                    "Invitation " + id + " deleted by " + actor.username());
        });
    }

    /** Accepts the invitation the token names, for the user it names; returns it as accepted. */
    Invite accept(User user, String token) {
        requireEnabled();
        if (token == null || token.isBlank()) {
            throw ApiException.badRequest("field 'token' is required");
        }
        Instant now = Times.now();
        Invite invite = db.read(h -> store.byToken(h, hash(token.strip())))
                .orElseThrow(() -> ApiException.badRequest("field 'token': no such invitation"));
        if (!invite.status().equals("pending")) {
            throw ApiException.badRequest("field 'token': the invitation was already " + invite.status());
        }
        if (invite.expiresAt().isBefore(now)) {
            throw ApiException.badRequest("field 'token': the invitation expired at " + invite.expiresAt());
        }
        boolean forThisUser = invite.userId() != null ? invite.userId() == user.id()
                : user.email() != null && user.email().equalsIgnoreCase(invite.email());
        if (!forThisUser) {
            throw ApiException.forbidden("this invitation is for someone else");
        }
        ProjectRole role = ProjectRole.fromWire(invite.role()).orElseThrow();
        // The invitation is the inviter's word: it holds only while they may still grant that role there.
        User inviter = invite.inviterUserId() == null ? null : users.find(invite.inviterUserId()).orElse(null);
        Optional<ProjectAccess> inviterAccess = inviter == null ? Optional.empty()
                : projects.access(invite.projectId(), inviter);
        if (inviterAccess.isEmpty() || !mayGrant(inviterAccess.get().role().orElse(null), inviterAccess.get().admin(),
                role)) {
            throw ApiException.forbidden("the invitation no longer holds: whoever made it may no longer invite into"
                    + " this project as " + role.wire() + "; ask for a new one");
        }
        projects.join(user, invite.projectId(), role, h -> {
            if (!store.accept(h, invite.id(), now)) {
                throw new ApiException(409, "the invitation was used meanwhile");
            }
        });
        return find(invite.projectId(), invite.id());
    }

    private Invite find(long projectId, long id) {
        return db.read(h -> store.find(h, projectId, id))
                .orElseThrow(() -> ApiException.notFound("invitation " + id + " not found"));
    }

    private void requireEnabled() {
        if (!settings.enabled()) {
            throw ApiException.forbidden("invitations are off on this server (teams.invites_enabled)");
        }
    }

    private static void requireManager(ProjectAccess access) {
        if (!access.canManageTeam()) {
            throw ApiException.forbidden("only the project's owners manage its members and invitations");
        }
    }

    private static ProjectRole role(JsonBody body) {
        String role = body.requiredString("role");
        return ProjectRole.fromWire(role).orElseThrow(() -> ApiException.badRequest(
                "field 'role' must be owner, manager, task_runner or guest"));
    }

    private Instant expiry(JsonBody body, Instant now) {
        Duration longest = Duration.ofDays(settings.maxDays());
        String given = body.optionalString("expires_at").filter(e -> !e.isBlank()).orElse(null);
        if (given == null) {
            return now.plus(DEFAULT_EXPIRY.compareTo(longest) < 0 ? DEFAULT_EXPIRY : longest);
        }
        Instant at;
        try {
            at = Instant.parse(given);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("field 'expires_at' must be a time such as 2026-12-01T08:00:00Z");
        }
        if (!at.isAfter(now)) {
            throw ApiException.badRequest("field 'expires_at' must be in the future");
        }
        if (at.isAfter(now.plus(longest))) {
            throw ApiException.badRequest("field 'expires_at' must be within " + settings.maxDays()
                    + " days (teams.invite_max_days)");
        }
        return at;
    }

    /** Sends the invitation's link; false when this server sends no mail. */
    private boolean mail(String to, String token, long projectId) {
        if (mailer == null || to == null || to.isBlank()) {
            return false;
        }
        String link = settings.webHost().replaceAll("/$", "") + "/accept-invite?token=" + token;
        Thread.ofVirtual().start(() -> {
            try {
                mailer.send(List.of(to), "You are invited to a Semaphore project",
                        "You have been invited to project " + projectId + ".\n\nAccept the invitation: " + link + "\n");
            } catch (Exception e) {
                LOG.warn("the invitation e-mail to {} was not sent: {}", to, e.getMessage());
            }
        });
        return true;
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
