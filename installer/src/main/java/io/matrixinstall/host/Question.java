package io.matrixinstall.host;

import java.util.List;
import java.util.Map;

/**
 * Read-only questions of one kind that one program answers for many keys in one start (each image's id, each
 * compose project's containers, each timer's state, where each program is): steps name the keys they want
 * ({@code Wants.ask(question, key)}), the run asks the host once for all of them ({@link #command}), and
 * {@link #answers} gives each key the answer that question asked for that key alone would give. Each process a
 * read starts costs the host more than the read itself (on a remote host, a shell worker and its framing too).
 *
 * <p>An implementation is a constant (facts are kept per question instance) and its parser is the only one of its
 * command's output.
 */
public interface Question<K, V> {
    /** One command asking about every key of {@code keys} (distinct, in order). */
    Command command(List<K> keys);

    /**
     * What {@code result} says of each key of {@code keys}: its value, or the failure a read of that key alone would
     * have raised. Every key gets an entry.
     */
    Map<K, Answer<V>> answers(List<K> keys, ExecResult result);

    /** The answer for {@code key} as the host gives it this instant (polls; reads between changes): never kept. */
    default V now(Host host, K key) {
        List<K> keys = List.of(key);
        return answers(keys, host.exec(command(keys))).get(key).get();
    }
}
