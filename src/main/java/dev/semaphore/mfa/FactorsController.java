package dev.semaphore.mfa;

import dev.semaphore.identity.IdentityService;
import dev.semaphore.security.Access;
import dev.semaphore.totp.TotpService;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Ours: {@code GET /api/users/factors}, for admins: who has a TOTP and which identities, by user id. */
public final class FactorsController implements RouteGroup {
    private final TotpService totp;
    private final IdentityService identities;

    public FactorsController(TotpService totp, IdentityService identities) {
        this.totp = totp;
        this.identities = identities;
    }

    @Override
    public void register(Api api) {
        api.get("/users/factors", Access.ADMIN, ctx -> {
            Set<Long> withTotp = totp.usersWithTotp();
            Map<Long, List<String>> links = identities.linksByUser();
            Map<String, Object> byUser = new LinkedHashMap<>();
            java.util.stream.Stream.concat(withTotp.stream(), links.keySet().stream()).distinct().sorted()
                    .forEach(id -> byUser.put(Long.toString(id), Map.of("totp", withTotp.contains(id),
                            "identities", links.getOrDefault(id, List.of()))));
            ctx.json(byUser);
        });
    }
}
