package dev.semaphore.audit;

import dev.semaphore.common.Json;
import dev.semaphore.event.Event;
import java.util.LinkedHashMap;
import java.util.Map;

/** An activity-log event as the exports write it. */
final class EventFormat {
    private EventFormat() {
    }

    static Map<String, Object> fields(Event e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", e.id());
        json.put("created", e.created() == null ? null : e.created().toString());
        json.put("user_id", e.userId());
        json.put("username", e.username());
        json.put("project_id", e.projectId());
        json.put("project_name", e.projectName());
        json.put("object_type", e.objectType());
        json.put("object_id", e.objectId());
        json.put("object_name", e.objectName());
        json.put("description", e.description());
        return json;
    }

    static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** One readable line: when, who, where, what. */
    static String text(Event e) {
        return e.created() + " " + (e.username() == null ? "system" : e.username())
                + (e.projectName() == null ? "" : " [" + e.projectName() + "]") + " " + e.objectType()
                + (e.objectName() == null || e.objectName().isEmpty() ? "" : " '" + e.objectName() + "'")
                + ": " + e.description();
    }
}
