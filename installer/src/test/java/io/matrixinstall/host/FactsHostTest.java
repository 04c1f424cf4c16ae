package io.matrixinstall.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.matrixinstall.command.Commands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Facts gathered once answer reads; changes made through the host keep them true; commands drop them. */
class FactsHostTest {
    @TempDir
    Path dir;

    /** This machine, with every call it gets written down. */
    static final class Counting implements Host {
        final LocalHost inner = new LocalHost();
        final List<String> calls = new ArrayList<>();

        @Override public String name() { return "counting"; }
        @Override public ExecResult exec(Command command) { calls.add("exec " + command.argv().get(0)); return inner.exec(command); }
        @Override public Optional<FileState> stat(Path path) { calls.add("stat " + path.getFileName()); return inner.stat(path); }
        @Override public Optional<byte[]> read(Path path) { calls.add("read " + path.getFileName()); return inner.read(path); }
        @Override public void writeAtomically(Path path, byte[] content, Ownership owner, int mode) { inner.writeAtomically(path, content, owner, mode); }
        @Override public void createDirectory(Path path, Ownership owner, int mode) { inner.createDirectory(path, owner, mode); }
        @Override public void setOwnerAndMode(Path path, Ownership owner, int mode) { inner.setOwnerAndMode(path, owner, mode); }
        @Override public void remove(Path path) { inner.remove(path); }
        @Override public List<String> list(Path directory) { calls.add("list " + directory.getFileName()); return inner.list(directory); }
        @Override public HostLock lock(String command, Duration wait, Consumer<String> waiting) { return inner.lock(command, wait, waiting); }
        @Override public Path scratchDirectory(String name) { return inner.scratchDirectory(name); }
        @Override public void removeScratchDirectory(String name) { inner.removeScratchDirectory(name); }
    }

    @Test
    void gatheredFactsAnswerReadsAndChangesKeepThemTrue() throws Exception {
        Path file = dir.resolve("a.yaml");
        Path absent = dir.resolve("b.yaml");
        Files.writeString(file, "one");
        Counting counting = new Counting();
        FactsHost host = FactsHost.of(counting);
        host.gather(new Snapshot.Request(List.of(file, absent), List.of(file, absent), List.of(dir), List.of(Commands.userId())));
        counting.calls.clear();

        assertArrayEquals("one".getBytes(StandardCharsets.UTF_8), host.read(file).orElseThrow());
        assertEquals(Optional.empty(), host.stat(absent));
        assertEquals(List.of("a.yaml"), host.list(dir));
        assertEquals("0", host.ask(Commands.userId()).stdout().strip());
        assertEquals(List.of(), counting.calls, "all of it from the facts");

        // A write through the host updates its facts, owner and mode included; nothing is asked.
        Ownership me = host.stat(file).orElseThrow().owner();
        host.writeAtomically(absent, "two".getBytes(StandardCharsets.UTF_8), me, 0600);
        assertEquals(Optional.of(new FileState(false, me, 0600)), host.stat(absent));
        assertArrayEquals("two".getBytes(StandardCharsets.UTF_8), host.read(absent).orElseThrow());
        host.setOwnerAndMode(file, me, 0640);
        assertEquals(0640, host.stat(file).orElseThrow().mode());
        assertEquals(List.of(), counting.calls);
        assertEquals(List.of("a.yaml", "b.yaml"), host.list(dir), "the listing was forgotten with the write");
        assertEquals(List.of("list " + dir.getFileName()), counting.calls);

        // A command may change anything: every fact goes, and the host is asked again.
        host.exec(Commands.userId());
        counting.calls.clear();
        host.stat(file);
        host.read(file);
        assertEquals(List.of("stat a.yaml", "read a.yaml"), counting.calls);
    }

    @Test
    void aFactThatFailedFailsWhenItIsRead() throws Exception {
        Path link = dir.resolve("link");
        Files.writeString(dir.resolve("target"), "x");
        Files.createSymbolicLink(link, dir.resolve("target"));
        FactsHost host = FactsHost.of(new Counting());
        host.gather(new Snapshot.Request(List.of(), List.of(link), List.of(), List.of()));
        assertThrows(HostException.class, () -> host.read(link), "a link is refused when read, as before");
        assertTrue(host.stat(dir.resolve("target")).isPresent(), "what was not gathered is asked");
    }

    /** A question answered for many keys by one printf: each key's line says its length. */
    static final Question<String, Integer> LENGTHS = new Question<>() {
        @Override
        public Command command(List<String> keys) {
            List<String> argv = new ArrayList<>(List.of("printf", "%s\\n"));
            argv.addAll(keys);
            return new Command(argv, Optional.empty(), java.util.Map.of(), Duration.ofSeconds(10));
        }

        @Override
        public java.util.Map<String, Answer<Integer>> answers(List<String> keys, ExecResult result) {
            java.util.Map<String, Answer<Integer>> answers = new java.util.HashMap<>();
            result.stdout().lines().forEach(line -> answers.put(line, Answer.of(line.length())));
            return answers;
        }
    };

    @Test
    void aQuestionsKeysAreAskedInOneCommandAndAnsweredFromTheFacts() {
        Counting counting = new Counting();
        FactsHost host = FactsHost.of(counting);
        host.gather(new Snapshot.Request(List.of(), List.of(), List.of(), List.of()),
                new Questions().add(LENGTHS, "a").add(LENGTHS, "bb").add(LENGTHS, "a"));
        assertEquals(List.of("exec printf"), counting.calls, "one command for all keys");
        counting.calls.clear();
        assertEquals(1, host.answer(LENGTHS, "a"));
        assertEquals(2, host.answer(LENGTHS, "bb"));
        assertEquals(List.of(), counting.calls);
        assertEquals(3, host.answer(LENGTHS, "ccc"), "a key not gathered is asked alone");
        assertEquals(3, host.answer(LENGTHS, "ccc"));
        assertEquals(List.of("exec printf"), counting.calls, "once");
        host.forgetAnswers();
        assertEquals(1, host.answer(LENGTHS, "a"), "asked again once forgotten");
        assertEquals(List.of("exec printf", "exec printf"), counting.calls);
    }
}
