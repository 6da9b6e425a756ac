package dev.semaphore.repository;

import dev.semaphore.common.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * What a repository URL may be: the forms upstream accepts, and nothing git would read as an
 * option or a helper command ({@code -...}, {@code --upload-pack}, {@code ext::}, {@code fd::}).
 */
public final class GitUrls {
    /** How git reaches a repository; upstream derives the same from the URL. */
    enum Kind { LOCAL, FILE, SSH, HTTPS, GIT }

    private static final Pattern SCP = Pattern.compile("^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:[^\\s]+$");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");
    private static final Pattern BAD_BRANCH = Pattern.compile("(^-)|(\\.\\.)|([\\x00-\\x20\\x7f~^:?*\\[\\\\])|(@\\{)"
            + "|(^/)|(/$)|(//)|(\\.lock$)|(^\\.)|(/\\.)|(\\.$)");

    private GitUrls() {
    }

    static Kind check(String url) {
        if (url == null || url.isBlank()) {
            throw ApiException.badRequest("field 'git_url' is required");
        }
        if (url.length() > 2048 || CONTROL.matcher(url).find() || url.contains(" ")) {
            throw invalid("must be a single URL or path without spaces or control characters");
        }
        if (url.startsWith("-")) {
            throw invalid("must not start with '-' (git would read it as an option)");
        }
        if (url.contains("::") || url.toLowerCase().contains("--upload-pack")) {
            throw invalid("must not name a git transport helper or an upload-pack command");
        }
        if (url.startsWith("/")) {
            return Kind.LOCAL;
        }
        if (SCP.matcher(url).matches() && !url.contains("://")) {
            return Kind.SSH;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        Kind kind = switch (scheme) {
            case "https", "http" -> Kind.HTTPS;
            case "ssh", "git+ssh" -> Kind.SSH;
            case "git" -> Kind.GIT;
            case "file" -> Kind.FILE;
            default -> throw invalid("must be an https://, ssh://, git://, file:// URL, user@host:path or an absolute path");
        };
        if (kind != Kind.FILE && (uri.getHost() == null || uri.getHost().isEmpty())) {
            throw invalid("has no host");
        }
        if (kind == Kind.FILE && (uri.getPath() == null || uri.getPath().isEmpty())) {
            throw invalid("has no path");
        }
        return kind;
    }

    /** An empty branch means the repository's default branch. */
    public static String checkBranch(String branch) {
        if (branch == null || branch.isEmpty()) {
            return "";
        }
        if (branch.length() > 255 || BAD_BRANCH.matcher(branch).find()) {
            throw ApiException.badRequest("field 'git_branch' is not a valid branch name");
        }
        return branch;
    }

    private static ApiException invalid(String why) {
        return ApiException.badRequest("field 'git_url' " + why);
    }
}
