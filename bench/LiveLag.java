import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Listens on one server's /api/ws for the log lines of a task (they say when they were printed:
 * "line N <epoch ms>") and prints how long each took to arrive: p50 and p99. Run as a source file:
 * java bench/LiveLag.java ws://host:port/api/ws TOKEN TASK_ID LINES
 */
public class LiveLag {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String token = args[1];
        String task = args[2];
        int lines = Integer.parseInt(args[3]);
        Pattern output = Pattern.compile("\"output\":\"line \\d+ (\\d+)\"");
        Pattern ofTask = Pattern.compile("\"task_id\":" + task + "\\b");
        List<Long> lags = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(lines);
        StringBuilder partial = new StringBuilder();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create(url), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            Matcher m = output.matcher(partial);
                            if (m.find() && ofTask.matcher(partial).find()) {
                                lags.add(System.currentTimeMillis() - Long.parseLong(m.group(1)));
                                done.countDown();
                            }
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        System.out.println("listening");
        done.await(120, TimeUnit.SECONDS);
        socket.abort();
        List<Long> sorted = new ArrayList<>(lags);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            System.out.println("no line arrived");
            return;
        }
        System.out.println("lines " + sorted.size() + " p50 " + sorted.get(sorted.size() / 2) + " ms p99 "
                + sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99))) + " ms");
    }
}
