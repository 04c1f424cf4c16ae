package io.matrixinstall.host;

import java.util.Map;
import java.util.Optional;

/**
 * What a read-only {@link Command} prints, answered by the agent's own process when it runs on the machine it reads
 * ({@link LocalHost}): the uid it runs as, a file it can read itself, the engine's API on its Unix socket. Starting a
 * program costs the agent several milliseconds (a process, three threads, the program's own start: the docker CLI's
 * is ~15 ms), and a no-op run starts a dozen; an answer read in-process costs microseconds. A remote host runs the
 * program: there the round trip is the cost, and the snapshot already batches it.
 *
 * <p>An answer is the program's: the same exit code and the same output its parser reads (a test pins each against
 * the real program). When it cannot answer as the program would (another kind of engine address, an error it does
 * not know the program's words for), it answers empty and the program is started after all. Implementations are
 * records (commands compare by value).
 */
public interface LocalAnswer {
    /**
     * The result the program would give with {@code environment} (the agent's own, with the command's added), or
     * empty to start the program instead.
     */
    Optional<ExecResult> answer(Map<String, String> environment);
}
