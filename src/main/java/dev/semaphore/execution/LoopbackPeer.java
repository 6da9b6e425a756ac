package dev.semaphore.execution;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which process on this machine sent a request over loopback TCP, read from Linux's {@code /proc}: the
 * client end of the connection is a socket inode in {@code /proc/net/tcp} (or {@code tcp6}), and a
 * process holds it among its open files. This lets a server-side service trust a process tree rather
 * than a secret that other processes of the same user could read from {@code /proc/<pid>/environ}.
 */
public final class LoopbackPeer {
    private static final Path PROC = Path.of("/proc");

    private LoopbackPeer() {
    }

    /**
     * Whether the client end of the loopback connection from {@code clientPort} to {@code serverPort} is
     * held by one of {@code processes}. False when it cannot be told (no /proc, no such connection).
     */
    public static boolean heldByAnyOf(int clientPort, int serverPort, Stream<ProcessHandle> processes) {
        Optional<String> inode = clientInode(clientPort, serverPort);
        if (inode.isEmpty()) {
            return false;
        }
        String socket = "socket:[" + inode.get() + "]";
        return processes.anyMatch(p -> holds(p.pid(), socket));
    }

    /** The inode of the socket whose local port is {@code clientPort} and remote port {@code serverPort}. */
    static Optional<String> clientInode(int clientPort, int serverPort) {
        String local = String.format(":%04X", clientPort);
        String remote = String.format(":%04X", serverPort);
        for (String table : List.of("net/tcp", "net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(PROC.resolve(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                if (fields.length > 9 && fields[1].endsWith(local) && fields[2].endsWith(remote)
                        && !fields[9].equals("0")) {
                    return Optional.of(fields[9]);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean holds(long pid, String socket) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(socket)) {
                        return true;
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away between listing and reading
                }
            }
        } catch (IOException | SecurityException gone) {
            return false;
        }
        return false;
    }
}
