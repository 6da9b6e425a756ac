package dev.semaphore.oidc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Reading claims the way upstream's settings name them: {@code a | b} takes the first present. */
final class OidcClaims {
    private OidcClaims() {
    }

    static String first(Map<String, Object> claims, String names) {
        for (String name : names.split("\\|")) {
            Object value = claims.get(name.trim());
            if (value != null && !(value instanceof Collection<?>) && !value.toString().isBlank()) {
                return value.toString().trim();
            }
        }
        return null;
    }

    /** A claim holding groups: a list of names, or one name. */
    static List<String> list(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        List<String> groups = new ArrayList<>();
        if (value instanceof Collection<?> many) {
            many.forEach(v -> groups.add(String.valueOf(v)));
        } else if (value != null && !value.toString().isBlank()) {
            groups.add(value.toString());
        }
        return groups;
    }

    static boolean isTrue(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }
}
