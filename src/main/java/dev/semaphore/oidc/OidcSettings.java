package dev.semaphore.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semaphore.identity.GroupRoles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** One entry of {@code oidc_providers}, in upstream's field names, plus ours: groups_claim and group_roles. */
record OidcSettings(String id, String displayName, String color, String icon, String clientId, String clientSecret,
                    String redirectUrl, String providerUrl, List<String> scopes, String usernameClaim,
                    String nameClaim, String emailClaim, int order, Endpoint endpoint, String groupsClaim,
                    GroupRoles groupRoles) {

    /** Endpoints given by hand, for a provider without discovery. */
    record Endpoint(String issuer, String auth, String token, String userinfo, String jwks, List<String> algorithms) {
        boolean given() {
            return !issuer.isBlank() && !auth.isBlank() && !token.isBlank() && !jwks.isBlank();
        }
    }

    /** Every provider of the configuration, in upstream's order (by {@code order}, then id). */
    static List<OidcSettings> all(Map<String, String> config) {
        ObjectMapper json = new ObjectMapper();
        List<OidcSettings> providers = new ArrayList<>();
        config.forEach((id, raw) -> {
            try {
                providers.add(of(id, json.readTree(raw)));
            } catch (IOException e) {
                throw new IllegalArgumentException("oidc_providers." + id + " must be a JSON object");
            }
        });
        providers.sort(Comparator.comparingInt(OidcSettings::order).thenComparing(OidcSettings::id));
        return List.copyOf(providers);
    }

    private static OidcSettings of(String id, JsonNode node) throws IOException {
        String where = "oidc_providers." + id;
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be a JSON object");
        }
        if (!id.matches("[A-Za-z0-9_.-]{1,100}")) {
            throw new IllegalArgumentException(where + ": a provider id is letters, digits, '.', '_' or '-'");
        }
        String clientId = valueOrFile(node, "client_id", where);
        if (clientId.isBlank()) {
            throw new IllegalArgumentException(where + ".client_id (or client_id_file) is required");
        }
        JsonNode e = node.path("endpoint");
        List<String> algorithms = new ArrayList<>();
        e.path("algorithms").forEach(a -> algorithms.add(a.asText()));
        Endpoint endpoint = new Endpoint(text(e, "issuer", ""), text(e, "auth", ""), text(e, "token", ""),
                text(e, "userinfo", ""), text(e, "jwks", ""), List.copyOf(algorithms));
        String providerUrl = text(node, "provider_url", "");
        if (providerUrl.isBlank() && !endpoint.given()) {
            throw new IllegalArgumentException(where + " needs provider_url (discovery) or endpoint.{issuer, auth, "
                    + "token, jwks}");
        }
        List<String> scopes = new ArrayList<>();
        node.path("scopes").forEach(s -> scopes.add(s.asText()));
        if (scopes.isEmpty()) {
            scopes.addAll(List.of("openid", "profile", "email"));
        } else if (!scopes.contains("openid")) {
            scopes.add(0, "openid");
        }
        JsonNode roles = node.path("group_roles");
        Map<String, JsonNode> roleMap = new java.util.LinkedHashMap<>();
        roles.properties().forEach(r -> roleMap.put(r.getKey(), r.getValue()));
        return new OidcSettings(id, text(node, "display_name", id), text(node, "color", ""), text(node, "icon", ""),
                clientId, valueOrFile(node, "client_secret", where), text(node, "redirect_url", ""), providerUrl,
                List.copyOf(scopes), text(node, "username_claim", "preferred_username"),
                text(node, "name_claim", "preferred_username"), text(node, "email_claim", "email"),
                node.path("order").asInt(0), endpoint, text(node, "groups_claim", "groups"),
                GroupRoles.parse(roleMap, where + ".group_roles"));
    }

    private static String valueOrFile(JsonNode node, String field, String where) throws IOException {
        String file = text(node, field + "_file", "");
        if (!file.isBlank()) {
            try {
                return Files.readString(Path.of(file)).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException(where + "." + field + "_file cannot be read: " + file);
            }
        }
        return text(node, field, "");
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.asText().isBlank() ? value.asText().strip() : fallback;
    }
}
