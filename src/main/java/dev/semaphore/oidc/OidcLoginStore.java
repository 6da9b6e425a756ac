package dev.semaphore.oidc;

import dev.semaphore.common.Secrets;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for oidc_logins: sign-ins under way, each taken at most once. */
final class OidcLoginStore {
    record Pending(String provider, String nonce, String codeVerifier, String returnTo, Instant created) {
    }

    void insert(Handle h, String state, Pending p) {
        h.createUpdate("INSERT INTO oidc_logins (state_hash, provider, nonce, code_verifier, return_to, created)"
                        + " VALUES (:s, :p, :n, :v, :r, :c)")
                .bind("s", Secrets.sha256Hex(state)).bind("p", p.provider()).bind("n", p.nonce())
                .bind("v", p.codeVerifier()).bind("r", p.returnTo()).bind("c", p.created()).execute();
    }

    /** The sign-in this state started, removed so that nobody takes it again; empty if taken or unknown. */
    Optional<Pending> take(Handle h, String state) {
        String hash = Secrets.sha256Hex(state);
        Optional<Pending> found = h.createQuery("SELECT provider, nonce, code_verifier, return_to, created"
                        + " FROM oidc_logins WHERE state_hash = :s")
                .bind("s", hash)
                .map((rs, ctx) -> new Pending(rs.getString("provider"), rs.getString("nonce"),
                        rs.getString("code_verifier"), rs.getString("return_to"),
                        dev.semaphore.db.Rows.instant(rs, "created", ctx)))
                .findOne();
        if (found.isEmpty()) {
            return found;
        }
        int taken = h.createUpdate("DELETE FROM oidc_logins WHERE state_hash = :s").bind("s", hash).execute();
        return taken == 1 ? found : Optional.empty();
    }

    void deleteOlderThan(Handle h, Instant cutoff) {
        h.createUpdate("DELETE FROM oidc_logins WHERE created < :c").bind("c", cutoff).execute();
    }
}
