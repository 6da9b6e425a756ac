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
 * N watchers of one task on /api/ws. The task's lines say when they were printed ("line N <epoch µs>");
 * each watcher measures how long its lines took to arrive. Prints the lines the worst watcher got and the
 * p50/p99 lag over every watcher's lines, and the worst watcher's p99. Run as a source file:
 * java bench/LiveCrowd.java ws://host:port/api/ws TOKEN WATCHERS LINES READY_FILE GO_FILE
 * (writes READY_FILE once every socket is open, then waits for GO_FILE to hold the task id)
 */
public class LiveCrowd {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String token = args[1];
        int watchers = Integer.parseInt(args[2]);
        int lines = Integer.parseInt(args[3]);
        java.nio.file.Path ready = java.nio.file.Path.of(args[4]);
        java.nio.file.Path go = java.nio.file.Path.of(args[5]);
        Pattern output = Pattern.compile("\"output\":\"line \\d+ (\\d+)\"");
        HttpClient client = HttpClient.newHttpClient();
        List<List<Long>> lags = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(watchers);
        for (int w = 0; w < watchers; w++) {
            List<Long> mine = Collections.synchronizedList(new ArrayList<>());
            lags.add(mine);
            StringBuilder partial = new StringBuilder();
            int[] count = {0};
            sockets.add(client.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .buildAsync(URI.create(url), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                Matcher m = output.matcher(partial);
                                if (m.find()) {
                                    mine.add(System.currentTimeMillis() - Long.parseLong(m.group(1)) / 1000);
                                    if (++count[0] == lines) {
                                        done.countDown();
                                    }
                                }
                                partial.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS));
        }
        java.nio.file.Files.writeString(ready, "ready");
        while (!java.nio.file.Files.exists(go)) {
            Thread.sleep(20);
        }
        boolean all = done.await(lines / 1000 + 120, TimeUnit.SECONDS);
        sockets.forEach(WebSocket::abort);
        List<Long> every = new ArrayList<>();
        int fewest = Integer.MAX_VALUE;
        long worstP99 = 0;
        for (List<Long> mine : lags) {
            List<Long> sorted = new ArrayList<>(mine);
            Collections.sort(sorted);
            fewest = Math.min(fewest, sorted.size());
            if (!sorted.isEmpty()) {
                worstP99 = Math.max(worstP99, sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99))));
            }
            every.addAll(sorted);
        }
        Collections.sort(every);
        System.out.printf("%d watcher(s): fewest lines %d/%d%s, lag p50 %d ms, p99 %d ms, worst watcher's p99 %d ms%n",
                watchers, fewest, lines, all ? "" : " (not all arrived in time)",
                every.isEmpty() ? -1 : every.get(every.size() / 2),
                every.isEmpty() ? -1 : every.get(Math.min(every.size() - 1, (int) (every.size() * 0.99))), worstP99);
    }
}
