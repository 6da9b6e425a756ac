package dev.semaphore.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Refuses a JSON body with a NUL character in any string or field name, naming the field: no
 * database stores one the same way (PostgreSQL refuses it outright), and no legitimate value holds one.
 */
final class NulCharacters {
    private NulCharacters() {
    }

    static void check(Context ctx) {
        String body = ctx.body();
        // A NUL can only reach a JSON string as the escape \u0000; most bodies are dismissed here.
        if (body.isEmpty() || !body.toLowerCase(java.util.Locale.ROOT).contains("\\u0000")) {
            return;
        }
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            return; // the route reports malformed JSON itself
        }
        String field = find(tree, "");
        if (field != null) {
            throw ApiException.badRequest("field '" + (field.isEmpty() ? "(body)" : field)
                    + "' must not contain a NUL character");
        }
    }

    private static String find(JsonNode node, String at) {
        if (node.isTextual()) {
            return node.asText().indexOf('\0') >= 0 ? at : null;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = find(node.get(i), at + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String name = (at.isEmpty() ? "" : at + ".") + entry.getKey();
                String found = entry.getKey().indexOf('\0') >= 0 ? name : find(entry.getValue(), name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
