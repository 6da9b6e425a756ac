package dev.semaphore.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Starting a real service process for tests: a free loopback port, then waiting until it listens. */
final class LocalService {
    private LocalService() {
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Starts the process (ended with the test JVM) and waits until it accepts connections on the port;
     * when it exits or does not listen in time, it is ended and the error carries its log.
     */
    static Process start(ProcessBuilder builder, int port, Path log, Duration patience, String what)
            throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return process;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(50);
            }
        }
        process.destroy();
        throw new IllegalStateException(what + " did not start: " + Files.readString(log));
    }
}
