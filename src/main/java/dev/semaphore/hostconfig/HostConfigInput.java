package dev.semaphore.hostconfig;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.JsonBody;
import java.util.regex.Pattern;

/** A mapping as a request gives it, checked: a plain host name, or a URL prefix git can rewrite. */
record HostConfigInput(String type, String host, long sshKeyId) {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}(:[0-9]{1,5})?");
    private static final Pattern URL_PREFIX = Pattern.compile(
            "(https?://|ssh://)[^\\s\"'\\\\]{1,1000}|[A-Za-z0-9._-]{1,64}@[A-Za-z0-9.-]{1,253}:[^\\s\"'\\\\]{0,1000}");

    static HostConfigInput parse(JsonBody body) {
        String type = body.requiredString("type").strip();
        String host = body.requiredString("host").strip();
        long key = body.requiredLong("ssh_key_id");
        switch (type) {
            case "host" -> {
                if (!HOST.matcher(host).matches()) {
                    throw ApiException.badRequest("field 'host' must be a host name (letters, digits, . and -; a :port"
                            + " may follow) for a host mapping");
                }
            }
            case "url" -> {
                if (!URL_PREFIX.matcher(host).matches()) {
                    throw ApiException.badRequest("field 'host' must be a git URL or prefix (https://, http://,"
                            + " ssh:// or user@host:) for a url mapping");
                }
                if (host.matches("https?://[^/]*@.*")) {
                    // members read mappings: a password belongs in the key, never in the prefix
                    throw ApiException.badRequest("field 'host' may not hold a login or password: the key gives them");
                }
            }
            default -> throw ApiException.badRequest("field 'type' must be host or url");
        }
        return new HostConfigInput(type, host, key);
    }
}
