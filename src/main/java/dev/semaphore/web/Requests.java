package dev.semaphore.web;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.JsonBody;
import io.javalin.http.Context;

/** Reading path parameters and bodies with errors that name what is wrong. */
public final class Requests {
    private Requests() {
    }

    public static long idParam(Context ctx, String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("path parameter '" + name + "' must be a number");
        }
    }

    public static JsonBody body(Context ctx) {
        return JsonBody.parse(ctx.body());
    }

    public static int intQuery(Context ctx, String name, int fallback, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return Math.min(value, max);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be a non-negative integer");
        }
    }

    /**
     * A path of this site to send a browser to after a sign-in, or "/" when the candidate could take it
     * elsewhere. Browsers drop tabs and line breaks inside a URL and read a backslash as a slash, so
     * {@code /\t/evil} and {@code /\\evil} are {@code //evil}, another host: any control character or
     * backslash, and any start other than one slash, is refused.
     */
    public static String localPath(String candidate) {
        if (candidate == null || candidate.length() > 1000 || !candidate.startsWith("/") || candidate.startsWith("//")) {
            return "/";
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return "/";
            }
        }
        return candidate;
    }
}
