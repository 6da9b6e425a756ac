package dev.semaphore.secret;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.JsonBody;

/**
 * An access key as a request describes it, validated on reading: name and type, the login, and
 * the secret for the type (checked only when it is to be stored: on create, or with
 * {@code override_secret}).
 */
record KeyInput(String name, KeyType type, String login, KeySecret secret, boolean overrideSecret) {

    static KeyInput parse(JsonBody body) {
        String name = body.requiredString("name").trim();
        if (name.length() > 255) {
            throw ApiException.badRequest("field 'name' must be at most 255 characters");
        }
        String typeName = body.requiredString("type");
        KeyType type = KeyType.fromWire(typeName).orElseThrow(() -> ApiException.badRequest(
                "field 'type' must be one of none, ssh, login_password, string"));
        boolean override = body.bool("override_secret", false);
        return switch (type) {
            case NONE -> new KeyInput(name, type, null, new KeySecret.None(), override);
            case SSH -> {
                JsonBody ssh = body.optionalObject("ssh").orElse(null);
                String login = ssh == null ? "" : ssh.optionalString("login").orElse("");
                String passphrase = ssh == null ? "" : ssh.optionalString("passphrase").orElse("");
                String key = ssh == null ? null : ssh.optionalString("private_key").orElse(null);
                yield new KeyInput(name, type, login, new KeySecret.Ssh(login, passphrase, key), override);
            }
            case LOGIN_PASSWORD -> {
                JsonBody lp = body.optionalObject("login_password").orElse(null);
                String login = lp == null ? "" : lp.optionalString("login").orElse("");
                String password = lp == null ? null : lp.optionalString("password").orElse(null);
                yield new KeyInput(name, type, login, new KeySecret.LoginPassword(login, password), override);
            }
            case STRING -> new KeyInput(name, type, null,
                    new KeySecret.Text(body.optionalString("string").orElse(null)), override);
        };
    }

    /**
     * Refuses a missing secret (400); returns why an SSH key cannot be used, or null. Such a key is kept
     * as upstream keeps any text, marked unusable, and a task that needs it fails saying why.
     */
    String validateSecret() {
        if (secret instanceof KeySecret.Ssh ssh) {
            return SshKeys.problem(ssh.privateKey(), ssh.passphrase());
        }
        switch (secret) {
            case KeySecret.Ssh ssh -> { }
            case KeySecret.LoginPassword lp -> {
                if (lp.password() == null || lp.password().isEmpty()) {
                    throw ApiException.badRequest("field 'login_password.password' is required for a login_password key");
                }
            }
            case KeySecret.Text text -> {
                if (text.value() == null) {
                    throw ApiException.badRequest("field 'string' is required for a string key");
                }
            }
            case KeySecret.None none -> {
            }
        }
        return null;
    }
}
