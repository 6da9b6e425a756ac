package dev.semaphore.option;

import dev.semaphore.common.ApiException;
import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.user.User;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Upstream's options: settings an admin changes at run time, kept in the database so that every
 * server process sees them (apps are kept as {@code apps.<id>.<field>}, as upstream keeps them).
 */
public final class OptionService {
    private static final Pattern KEY = Pattern.compile("[a-z0-9_][a-z0-9_.-]{0,254}");

    private final Database db;
    private final EventLog events;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public OptionService(Database db, EventLog events) {
        this.db = db;
        this.events = events;
    }

    /** Told after each change in this process (others read again within seconds). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public Map<String, String> all() {
        return withPrefix("");
    }

    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        db.read(h -> h.createQuery("SELECT option_key, option_value FROM options WHERE option_key LIKE :p"
                        + " ORDER BY option_key").bind("p", prefix.replace("%", "") + "%")
                .map((rs, ctx) -> out.put(rs.getString("option_key"), rs.getString("option_value"))).list());
        // LIKE's '_' matches any character: keep only true prefixes.
        out.keySet().removeIf(key -> !key.startsWith(prefix));
        return out;
    }

    /** Sets options, all in one transaction; a null value removes the option. */
    public void set(User actor, Map<String, String> values) {
        values.keySet().forEach(OptionService::checkKey);
        db.txRun(h -> {
            for (Map.Entry<String, String> e : values.entrySet()) {
                h.createUpdate("DELETE FROM options WHERE option_key = :k").bind("k", e.getKey()).execute();
                if (e.getValue() != null) {
                    h.createUpdate("INSERT INTO options (option_key, option_value) VALUES (:k, :v)")
                            .bind("k", e.getKey()).bind("v", e.getValue()).execute();
                }
            }
            events.record(h, actor.id(), null, ObjectType.USER, actor.id(), actor.username(),
                    "Options " + String.join(", ", values.keySet()) + " changed by " + actor.username());
        });
        listeners.forEach(Runnable::run);
    }

    /** Removes every option whose key starts with {@code prefix}. */
    public void removePrefix(User actor, String prefix) {
        checkKey(prefix.replaceAll("\\.$", ""));
        List<String> keys = List.copyOf(withPrefix(prefix).keySet());
        db.txRun(h -> {
            for (String key : keys) {
                h.createUpdate("DELETE FROM options WHERE option_key = :k").bind("k", key).execute();
            }
            events.record(h, actor.id(), null, ObjectType.USER, actor.id(), actor.username(),
                    "Options " + prefix + "* removed by " + actor.username());
        });
        listeners.forEach(Runnable::run);
    }

    /** The options a user may keep for themselves, as upstream allows them. */
    private static final java.util.Set<String> USER_KEYS = java.util.Set.of("lang", "nav.unpinnedItems");

    /** A user's own options, by their key without the user's namespace. */
    public Map<String, String> userOptions(long userId) {
        String prefix = "user" + userId + ".";
        Map<String, String> out = new LinkedHashMap<>();
        withPrefix(prefix).forEach((key, value) -> out.put(key.substring(prefix.length()), value));
        return out;
    }

    /** Keeps one of a user's own options (under their namespace: never another's, never a server option). */
    public void setUserOption(User actor, String key, String value) {
        if (!USER_KEYS.contains(key)) {
            throw ApiException.badRequest("field 'key': unknown user option " + key + "; one of "
                    + String.join(", ", new java.util.TreeSet<>(USER_KEYS)));
        }
        if (value.length() > 4000) {
            throw ApiException.badRequest("field 'value' must be at most 4000 characters");
        }
        String stored = "user" + actor.id() + "." + key;
        db.txRun(h -> {
            h.createUpdate("DELETE FROM options WHERE option_key = :k").bind("k", stored).execute();
            h.createUpdate("INSERT INTO options (option_key, option_value) VALUES (:k, :v)")
                    .bind("k", stored).bind("v", value).execute();
            events.record(h, actor.id(), null, ObjectType.USER, actor.id(), actor.username(),
                    "Option " + key + " of " + actor.username() + " changed");
        });
    }

    private static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw ApiException.badRequest("field 'key' must be lower-case letters, digits, '.', '_' or '-'");
        }
    }
}
