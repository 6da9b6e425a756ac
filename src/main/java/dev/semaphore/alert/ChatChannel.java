package dev.semaphore.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

/**
 * A chat service reached by an HTTP POST of JSON: upstream's Slack, Rocket.Chat, Microsoft Teams,
 * DingTalk, Gotify and Telegram alerts, each with its own message shape. They tell of successes,
 * failures and plans waiting for confirmation.
 */
final class ChatChannel implements Channel {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final String name;
    private final Function<Alert, String> url;
    private final Function<Alert, ObjectNode> payload;

    private ChatChannel(String name, Function<Alert, String> url, Function<Alert, ObjectNode> payload) {
        this.name = name;
        this.url = url;
        this.payload = payload;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean wants(Alert alert) {
        return true;
    }

    @Override
    public void send(Alert alert) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url.apply(alert)))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload.apply(alert).toString()))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String body = response.body();
            throw new IllegalStateException("HTTP " + response.statusCode()
                    + (body.isBlank() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) : body)));
        }
    }

    static ChatChannel slack(String webhook) {
        return new ChatChannel("slack", a -> webhook, ChatChannel::attachments);
    }

    static ChatChannel rocketChat(String webhook) {
        return new ChatChannel("rocketchat", a -> webhook, a -> {
            ObjectNode body = attachments(a);
            body.put("text", a.title());
            return body;
        });
    }

    static ChatChannel teams(String webhook) {
        return new ChatChannel("microsoft_teams", a -> webhook, a -> {
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("type", "message");
            ObjectNode attachment = body.putArray("attachments").addObject();
            attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
            ObjectNode card = attachment.putObject("content");
            card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
            card.put("type", "AdaptiveCard");
            card.put("version", "1.4");
            ArrayNode items = card.putArray("body");
            items.addObject().put("type", "TextBlock").put("size", "Large").put("weight", "Bolder")
                    .put("text", a.title()).put("wrap", true);
            items.addObject().put("type", "TextBlock").put("text", a.text()).put("wrap", true)
                    .put("color", a.status().equals("error") ? "Attention" : "Good");
            if (!a.test()) {
                ArrayNode facts = items.addObject().put("type", "FactSet").putArray("facts");
                facts.addObject().put("title", "Author").put("value", a.author());
                facts.addObject().put("title", "Version").put("value", a.version() == null ? "" : a.version());
                card.putArray("actions").addObject().put("type", "Action.OpenUrl").put("title", "Open task")
                        .put("url", a.url());
            }
            return body;
        });
    }

    static ChatChannel dingTalk(String webhook) {
        return new ChatChannel("dingtalk", a -> webhook, a -> {
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("msgtype", "markdown");
            body.putObject("markdown").put("title", a.title()).put("text", markdown(a));
            return body;
        });
    }

    static ChatChannel gotify(String server, String token) {
        String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        return new ChatChannel("gotify", a -> base + "/message?token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8), a -> {
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("title", a.title());
            body.put("message", markdown(a));
            body.put("priority", a.status().equals("error") ? 8 : 5);
            body.putObject("extras").putObject("client::display").put("contentType", "text/markdown");
            return body;
        });
    }

    static ChatChannel telegram(String api, String token, String defaultChat) {
        String base = api.endsWith("/") ? api.substring(0, api.length() - 1) : api;
        return new ChatChannel("telegram", a -> base + "/bot" + token + "/sendMessage", a -> {
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("chat_id", a.chat() == null || a.chat().isEmpty() ? defaultChat : a.chat());
            body.put("parse_mode", "HTML");
            body.put("text", a.test() ? "<b>" + html(a.title()) + "</b>\n" + html(a.text())
                    : "<code>" + html(a.templateName()) + "</code>\n#" + a.taskId() + " <b>"
                            + html(a.status().toUpperCase()) + "</b>"
                            + (a.version() == null ? "" : " <code>" + html(a.version()) + "</code>")
                            + " by " + html(a.author()) + "\n<a href=\"" + html(a.url()) + "\">" + html(a.url()) + "</a>");
            return body;
        });
    }

    /** Slack's attachment shape, which Rocket.Chat understands too. */
    private static ObjectNode attachments(Alert a) {
        ObjectNode body = Json.mapper().createObjectNode();
        ObjectNode attachment = body.putArray("attachments").addObject();
        attachment.put("title", a.title());
        if (!a.test()) {
            attachment.put("title_link", a.url());
        }
        attachment.put("text", a.text());
        attachment.put("color", a.color());
        attachment.putArray("mrkdwn_in").add("text");
        if (!a.test()) {
            ArrayNode fields = attachment.putArray("fields");
            fields.addObject().put("title", "Author").put("value", a.author()).put("short", true);
            fields.addObject().put("title", "Version").put("value", a.version() == null ? "" : a.version())
                    .put("short", true);
        }
        return body;
    }

    private static String markdown(Alert a) {
        if (a.test()) {
            return "**" + a.title() + "**\n\n" + a.text();
        }
        return "**" + a.title() + "**\n\n" + a.text() + "\n\nAuthor: " + a.author()
                + (a.version() == null ? "" : "\n\nVersion: " + a.version()) + "\n\n[Open task](" + a.url() + ")";
    }

    private static String html(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
