package io.matrixinstall.host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys asked of each {@link Question} by the steps of a run, to be asked in one command per question; and the
 * answers once asked, by question and key.
 */
public final class Questions {
    private final Map<Question<?, ?>, Set<Object>> keys = new LinkedHashMap<>();

    public <K> Questions add(Question<K, ?> question, K key) {
        keys.computeIfAbsent(question, q -> new LinkedHashSet<>()).add(key);
        return this;
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** One command per question, asking all its keys. */
    public List<Command> commands() {
        List<Command> commands = new ArrayList<>();
        keys.forEach((question, asked) -> commands.add(command(question, asked)));
        return commands;
    }

    /** Each question's answers per key, from the results of {@link #commands} (a command that failed as a whole fails each key). */
    Map<Question<?, ?>, Map<Object, Answer<?>>> answers(Map<List<String>, Answer<ExecResult>> results) {
        Map<Question<?, ?>, Map<Object, Answer<?>>> all = new HashMap<>();
        keys.forEach((question, asked) -> {
            Answer<ExecResult> result = results.get(command(question, asked).argv());
            if (result != null) {
                all.put(question, answers(question, List.copyOf(asked), result));
            }
        });
        return all;
    }

    @SuppressWarnings("unchecked")
    private static <K> Command command(Question<K, ?> question, Set<Object> asked) {
        return question.command((List<K>) List.copyOf(asked));
    }

    /** {@code question}'s answers for {@code keys} from {@code result}: each key fails as the whole command did, if it did. */
    @SuppressWarnings("unchecked")
    static <K, V> Map<Object, Answer<?>> answers(Question<K, V> question, List<?> keys, Answer<ExecResult> result) {
        Map<Object, Answer<?>> answers = new HashMap<>();
        if (result.failure() != null) {
            keys.forEach(key -> answers.put(key, new Answer<>(null, result.failure())));
        } else {
            Map<K, Answer<V>> parsed = question.answers((List<K>) keys, result.value());
            keys.forEach(key -> answers.put(key, parsed.getOrDefault(key,
                    new Answer<>(null, new HostException("no answer for " + key + " from " + question.command((List<K>) keys))))));
        }
        return answers;
    }
}
