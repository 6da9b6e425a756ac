package dev.semaphore.project;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.Sorting;
import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.security.Permission;
import dev.semaphore.security.ProjectAccess;
import dev.semaphore.security.ProjectRole;
import dev.semaphore.user.User;
import dev.semaphore.user.UserService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;

/** Projects and their teams: creation, settings, membership rules and the events they leave. */
public final class ProjectService {
    private static final Map<String, String> MEMBER_SORT = Map.of(
            "name", "u.name", "username", "u.username", "email", "u.email", "role", "pu.role");

    private final Database db;
    private final EventLog events;
    private final UserService users;
    private final List<ProjectInitializer> initializers;
    private final ProjectStore projects = new ProjectStore();
    private final ProjectListCache lists = new ProjectListCache();
    private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Runnable> localChangeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<MembershipListener> membershipListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told inside the transaction that changes it: a member's new role in a project, null when they left. */
    @FunctionalInterface
    public interface MembershipListener {
        void changed(Handle h, long projectId, long userId, ProjectRole now);
    }
    /** Key of the admins' list (all projects); user ids are positive. */
    private static final long ALL_PROJECTS = 0;

    public ProjectService(Database db, EventLog events, UserService users, List<ProjectInitializer> initializers) {
        this.db = db;
        this.events = events;
        this.users = users;
        this.initializers = List.copyOf(initializers);
    }

    /**
     * Project settings as a request carries them; validated on construction. The retention fields are
     * ours: null (a client written for upstream leaves them out) keeps what the project has.
     */
    public record ProjectInput(String name, boolean alert, String alertChat, int maxParallelTasks, String type,
                               Integer taskRetentionDays, Integer maxTasksPerTemplate) {
        public ProjectInput(String name, boolean alert, String alertChat, int maxParallelTasks, String type) {
            this(name, alert, alertChat, maxParallelTasks, type, null, null);
        }

        public ProjectInput {
            if (name == null || name.isBlank()) {
                throw ApiException.badRequest("field 'name' is required");
            }
            name = name.trim();
            if (name.length() > 255) {
                throw ApiException.badRequest("field 'name' must be at most 255 characters");
            }
            if (maxParallelTasks < 0) {
                throw ApiException.badRequest("field 'max_parallel_tasks' must be 0 or more");
            }
            if (alertChat != null && alertChat.length() > 255) {
                throw ApiException.badRequest("field 'alert_chat' must be at most 255 characters");
            }
            if (taskRetentionDays != null && taskRetentionDays < 0) {
                throw ApiException.badRequest("field 'task_retention_days' must be 0 or more");
            }
            if (maxTasksPerTemplate != null && maxTasksPerTemplate < 0) {
                throw ApiException.badRequest("field 'max_tasks_per_template' must be 0 or more");
            }
            type = type == null ? "" : type;
        }
    }

    /** Resolves the caller's access to a project: empty when the project is unknown to them. */
    public Optional<ProjectAccess> access(long projectId, User user) {
        Optional<Optional<String>> row = db.read(h -> projects.roleOf(h, projectId, user.id()));
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Optional<ProjectRole> role = row.get().flatMap(ProjectRole::fromWire);
        if (role.isEmpty() && !user.admin()) {
            return Optional.empty();
        }
        int permissions = user.admin() ? Permission.ALL : role.get().permissions();
        return Optional.of(new ProjectAccess(projectId, role, permissions, user.admin()));
    }

    public List<Project> visibleTo(User user) {
        return user.admin() ? lists.get(ALL_PROJECTS, () -> db.read(projects::all))
                : lists.get(user.id(), () -> db.read(h -> projects.ofUser(h, user.id())));
    }

    public Project get(long id) {
        return db.read(h -> projects.find(h, id)).orElseThrow(() -> notFound(id));
    }

    public Project create(User actor, ProjectInput input, boolean canCreate) {
        if (!canCreate) {
            throw ApiException.forbidden("only an admin can create projects on this server");
        }
        return write(h -> {
            long id = projects.insert(h, input.name(), input.alert(), input.alertChat(), input.maxParallelTasks(),
                    input.type(), orZero(input.taskRetentionDays()), orZero(input.maxTasksPerTemplate()));
            if (actor != null) {
                projects.addMember(h, id, actor.id(), ProjectRole.OWNER);
            }
            for (ProjectInitializer initializer : initializers) {
                initializer.initialize(h, id);
            }
            events.record(h, actorId(actor), id, ObjectType.PROJECT, id, input.name(),
                    "Project " + input.name() + " created");
            return projects.find(h, id).orElseThrow();
        });
    }

    public void update(User actor, long id, ProjectInput input) {
        write(h -> {
            Project current = projects.find(h, id).orElseThrow(() -> notFound(id));
            Project updated = new Project(id, input.name(), current.created(), input.alert(), input.alertChat(),
                    input.maxParallelTasks(), input.type(),
                    input.taskRetentionDays() == null ? current.taskRetentionDays() : input.taskRetentionDays(),
                    input.maxTasksPerTemplate() == null ? current.maxTasksPerTemplate() : input.maxTasksPerTemplate());
            projects.update(h, updated);
            events.record(h, actorId(actor), id, ObjectType.PROJECT, id, updated.name(),
                    "Project " + updated.name() + " updated");
        });
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    public void delete(User actor, long id) {
        write(h -> {
            Project project = projects.find(h, id).orElseThrow(() -> notFound(id));
            projects.delete(h, id);
            events.record(h, actorId(actor), null, ObjectType.PROJECT, id, project.name(),
                    "Project " + project.name() + " deleted");
        });
    }

    public List<ProjectMember> members(long projectId, String sort, String order) {
        String orderBy = Sorting.orderBy(MEMBER_SORT, "name", sort, order, "u.id");
        return db.read(h -> projects.members(h, projectId, orderBy));
    }

    /** The e-mail addresses of the project's members who want alerts by mail. */
    public List<String> alertRecipients(long projectId) {
        return db.read(h -> projects.alertRecipients(h, projectId));
    }

    public ProjectMember member(long projectId, long userId) {
        return members(projectId, "name", "asc").stream().filter(m -> m.id() == userId).findFirst()
                .orElseThrow(() -> ApiException.notFound("user " + userId + " is not a member of this project"));
    }

    public void addMember(User actor, ProjectAccess access, long userId, ProjectRole role) {
        requireTeamManager(access);
        User user = users.find(userId)
                .orElseThrow(() -> ApiException.badRequest("field 'user_id': user " + userId + " not found"));
        write(h -> {
            if (projects.role(h, access.projectId(), userId).isPresent()) {
                throw ApiException.badRequest("user " + user.username() + " is already a member of this project");
            }
            projects.addMember(h, access.projectId(), userId, role);
            events.record(h, actorId(actor), access.projectId(), ObjectType.USER, userId, user.username(),
                    "User " + user.username() + " added to the team as " + role.wire());
        });
    }

    /**
     * {@code user} joins the project in {@code role} by accepting an invitation; {@code alsoDone} records
     * the acceptance in the same transaction. 409 when already a member.
     */
    public void join(User user, long projectId, ProjectRole role, Consumer<Handle> alsoDone) {
        write(h -> {
            if (projects.find(h, projectId).isEmpty()) {
                throw notFound(projectId);
            }
            if (projects.role(h, projectId, user.id()).isPresent()) {
                throw new ApiException(409, "you are already a member of this project");
            }
            projects.addMember(h, projectId, user.id(), role);
            alsoDone.accept(h);
            events.record(h, user.id(), projectId, ObjectType.USER, user.id(), user.username(),
                    "User " + user.username() + " joined the team as " + role.wire() + " by invitation");
        });
    }

    /** Whether the user is a member of the project (for invitations, which must not ask a member twice). */
    public boolean isMember(long projectId, long userId) {
        return db.read(h -> projects.role(h, projectId, userId)).isPresent();
    }

    public void changeRole(User actor, ProjectAccess access, long userId, ProjectRole role) {
        requireTeamManager(access);
        write(h -> {
            ProjectRole current = memberRole(h, access.projectId(), userId);
            // Admins may leave a project without an owner, as upstream: they can manage it anyway.
            if (current == ProjectRole.OWNER && role != ProjectRole.OWNER && !isAdmin(actor)) {
                requireAnotherOwner(h, access.projectId());
            }
            projects.setRole(h, access.projectId(), userId, role);
            membershipChanged(h, access.projectId(), userId, role);
            String username = usernameOf(h, userId);
            events.record(h, actorId(actor), access.projectId(), ObjectType.USER, userId, username,
                    "Role of " + username + " changed to " + role.wire());
        });
    }

    public void removeMember(User actor, ProjectAccess access, long userId) {
        requireTeamManager(access);
        write(h -> {
            ProjectRole current = memberRole(h, access.projectId(), userId);
            if (current == ProjectRole.OWNER && !isAdmin(actor)) {
                requireAnotherOwner(h, access.projectId());
            }
            projects.removeMember(h, access.projectId(), userId);
            membershipChanged(h, access.projectId(), userId, null);
            String username = usernameOf(h, userId);
            events.record(h, actorId(actor), access.projectId(), ObjectType.USER, userId, username,
                    "User " + username + " removed from the team");
        });
    }

    public void leave(User actor, long projectId, boolean membersCanLeave) {
        write(h -> {
            ProjectRole current = projects.role(h, projectId, actor.id())
                    .orElseThrow(() -> ApiException.badRequest("you are not a member of this project"));
            if (!membersCanLeave && !actor.admin()) {
                throw ApiException.forbidden("members cannot leave projects on this server");
            }
            if (current == ProjectRole.OWNER) {
                requireAnotherOwner(h, projectId);
            }
            projects.removeMember(h, projectId, actor.id());
            membershipChanged(h, projectId, actor.id(), null);
            events.record(h, actor.id(), projectId, ObjectType.USER, actor.id(), actor.username(),
                    "User " + actor.username() + " left the project");
        });
    }

    /** A project named by its id or its exact name (as a group mapping names it), inside another feature's transaction. */
    public Optional<Long> idOf(Handle h, String idOrName) {
        if (idOrName.chars().allMatch(Character::isDigit) && !idOrName.isEmpty()) {
            long id = Long.parseLong(idOrName);
            return projects.find(h, id).map(Project::id);
        }
        return projects.all(h).stream().filter(p -> p.name().equals(idOrName)).map(Project::id).findFirst();
    }

    public Optional<ProjectRole> roleOf(Handle h, long projectId, long userId) {
        return projects.role(h, projectId, userId);
    }

    /**
     * Makes {@code user} a member in {@code role} (or leaves the project when role is null) for a group
     * mapping, inside its transaction; the caller calls {@link #membershipsChanged()} after it commits.
     */
    public void setMembership(Handle h, long projectId, User user, ProjectRole role, String why) {
        Optional<ProjectRole> current = projects.role(h, projectId, user.id());
        if (role == null) {
            if (current.isPresent()) {
                projects.removeMember(h, projectId, user.id());
                membershipChanged(h, projectId, user.id(), null);
                events.record(h, null, projectId, ObjectType.USER, user.id(), user.username(),
                        "User " + user.username() + " removed from the team " + why);
            }
        } else if (current.isEmpty()) {
            projects.addMember(h, projectId, user.id(), role);
            events.record(h, null, projectId, ObjectType.USER, user.id(), user.username(),
                    "User " + user.username() + " added to the team as " + role.wire() + " " + why);
        } else if (current.get() != role) {
            projects.setRole(h, projectId, user.id(), role);
            membershipChanged(h, projectId, user.id(), role);
            events.record(h, null, projectId, ObjectType.USER, user.id(), user.username(),
                    "Role of " + user.username() + " changed to " + role.wire() + " " + why);
        }
    }

    /** Drops what was cached of who may see what, after memberships changed in another feature's transaction. */
    public void membershipsChanged() {
        changedHere();
    }

    /** Another server process changed projects or memberships. */
    public void changedElsewhere() {
        lists.invalidate();
        changeListeners.forEach(Runnable::run);
    }

    /** Told of every role change and departure, inside its transaction (what depends on a role goes with it). */
    public void onMembershipChange(MembershipListener listener) {
        membershipListeners.add(listener);
    }

    private void membershipChanged(Handle h, long projectId, long userId, ProjectRole now) {
        membershipListeners.forEach(l -> l.changed(h, projectId, userId, now));
    }

    /** Told after a change made by this process only (to tell the others). */
    public void onLocalChange(Runnable listener) {
        localChangeListeners.add(listener);
    }

    private void changedHere() {
        changedElsewhere();
        localChangeListeners.forEach(Runnable::run);
    }

    /** Told after any change to projects or memberships, to drop what they cached of who may see what. */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    /** Runs a change in one transaction, then drops cached project lists, which it may have altered. */
    private <T> T write(HandleCallback<T, RuntimeException> work) {
        try {
            return db.tx(work);
        } finally {
            changedHere();
        }
    }

    private void write(Consumer<Handle> work) {
        write(h -> {
            work.accept(h);
            return null;
        });
    }

    private ProjectRole memberRole(Handle h, long projectId, long userId) {
        return projects.role(h, projectId, userId)
                .orElseThrow(() -> ApiException.notFound("user " + userId + " is not a member of this project"));
    }

    private static boolean isAdmin(User actor) {
        return actor != null && actor.admin();
    }

    private void requireAnotherOwner(Handle h, long projectId) {
        if (projects.countOwners(h, projectId) <= 1) {
            throw ApiException.badRequest("a project must keep at least one owner");
        }
    }

    private static void requireTeamManager(ProjectAccess access) {
        if (!access.canManageTeam()) {
            throw ApiException.forbidden("only the project's owners manage its members");
        }
    }

    private String usernameOf(Handle h, long userId) {
        return users.find(h, userId).map(User::username).orElse("");
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("project " + id + " not found");
    }

    private static Long actorId(User actor) {
        return actor == null ? null : actor.id();
    }
}
