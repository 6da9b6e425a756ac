package dev.semaphore.alert;

/** One way of telling people: e-mail or a chat service. */
interface Channel {
    String name();

    /** Whether this channel has something to say about this alert (e-mail only tells of failures). */
    boolean wants(Alert alert);

    void send(Alert alert) throws Exception;
}
