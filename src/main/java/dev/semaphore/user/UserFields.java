package dev.semaphore.user;

import dev.semaphore.common.ApiException;
import java.util.regex.Pattern;

/** Validation shared by every path that writes a user (API, CLI, bootstrap). */
final class UserFields {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");

    private UserFields() {
    }

    /**
     * A login in its NFKC form (so "ａｄｍｉｎ" is "admin"), refused when it holds characters that do
     * not show: spaces, controls, format characters such as U+200B, fillers. Two logins a person
     * cannot tell apart must not be two accounts.
     */
    static String username(String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("field 'username' is required");
        }
        String login = normalized(value);
        if (login.length() > 255 || login.codePoints().anyMatch(UserFields::invisible)) {
            throw ApiException.badRequest("field 'username' must be at most 255 characters without spaces or"
                    + " invisible characters");
        }
        return login;
    }

    private static final com.ibm.icu.text.SpoofChecker SPOOF = new com.ibm.icu.text.SpoofChecker.Builder().build();

    /**
     * What a login or e-mail looks like (Unicode TR39's confusable skeleton, of its lower-case form with
     * accents taken off): "adm\u0456n" (Cyrillic і) and "admiń" both look like "admin". Two accounts whose
     * skeletons are equal could be taken for one another.
     */
    static String skeleton(String value) {
        String bare = java.text.Normalizer.normalize(normalized(value).toLowerCase(java.util.Locale.ROOT),
                java.text.Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return SPOOF.getSkeleton(bare).toLowerCase(java.util.Locale.ROOT);
    }

    /** How a login (or e-mail) typed at sign-in is looked up: trimmed, in NFKC form. */
    static String normalized(String value) {
        return java.text.Normalizer.normalize(value.trim(), java.text.Normalizer.Form.NFKC);
    }

    private static boolean invisible(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED,
                 Character.NON_SPACING_MARK, Character.ENCLOSING_MARK -> true;
            default -> Character.isWhitespace(c) || c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0
                    || c == 0x2800;
        };
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
        if (tooLong(value)) {
            throw ApiException.badRequest("field 'password' must be at most 72 bytes in UTF-8 (bcrypt reads no"
                    + " further)");
        }
        return value;
    }

    /** bcrypt reads at most 72 bytes; a longer password can be neither stored nor matched. */
    static boolean tooLong(String password) {
        return password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 72;
    }
}
