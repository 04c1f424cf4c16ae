package io.matrixinstall.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.matrixinstall.host.Answer;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.LocalHost;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One {@code which} for several programs: each found one at its path, a missing one missing, as each alone. */
class ProgramsOnPathTest {
    @Test
    void eachProgramAsWhichFindsItAlone() {
        LocalHost host = new LocalHost();
        List<String> programs = List.of("matrix-install-no-such-program", "sh", "ls");
        Map<String, Answer<Optional<String>>> answers = ProgramsOnPath.QUESTION.answers(programs,
                host.exec(ProgramsOnPath.QUESTION.command(programs)));
        for (String program : programs) {
            ExecResult alone = host.exec(Commands.locate(List.of(program)));
            assertEquals(alone.ok() ? Optional.of(alone.stdout().strip()) : Optional.empty(), answers.get(program).get(), program);
        }
        assertEquals(Optional.empty(), answers.get(programs.get(0)).get());
        // No which on the host (exit 127 from the remote batch): nothing located.
        assertEquals(Optional.empty(), ProgramsOnPath.QUESTION.answers(List.of("sh"), new ExecResult(127, "", "not installed"))
                .get("sh").get());
    }
}
