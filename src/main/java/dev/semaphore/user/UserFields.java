package dev.semaphore.user;

import dev.semaphore.common.ApiException;
import java.util.regex.Pattern;

/** Validation shared by every path that writes a user (API, CLI, bootstrap). */
final class UserFields {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");

    private UserFields() {
    }

    static String username(String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("field 'username' is required");
        }
        String trimmed = value.trim();
        if (trimmed.length() > 255 || trimmed.chars().anyMatch(Character::isWhitespace)) {
            throw ApiException.badRequest("field 'username' must be at most 255 characters without spaces");
        }
        return trimmed;
    }

    static String email(String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("field 'email' is required");
        }
        String trimmed = value.trim();
        if (trimmed.length() > 255 || !EMAIL.matcher(trimmed).matches()) {
            throw ApiException.badRequest("field 'email' must be an email address");
        }
        return trimmed;
    }

    static String name(String value, String fallback) {
        String name = value == null || value.isBlank() ? fallback : value.trim();
        if (name.length() > 255) {
            throw ApiException.badRequest("field 'name' must be at most 255 characters");
        }
        return name;
    }

    static String password(String value) {
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest("field 'password' is required");
        }
        if (value.length() > 72) {
            throw ApiException.badRequest("field 'password' must be at most 72 characters");
        }
        return value;
    }
}
