package io.matrixinstall.command;

import io.matrixinstall.host.Answer;
import io.matrixinstall.host.Command;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Question;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each program is on the host's PATH, empty when it is not installed ({@link Commands#locate}: one {@code which}
 * for all programs of a run). {@code which} prints {@code DIR/PROGRAM} for each one found and nothing for the others,
 * so each line names its program; no {@code which} at all locates nothing.
 */
public final class ProgramsOnPath implements Question<String, Optional<String>> {
    public static final ProgramsOnPath QUESTION = new ProgramsOnPath();

    private ProgramsOnPath() {}

    @Override
    public Command command(List<String> programs) {
        return Commands.locate(programs);
    }

    @Override
    public Map<String, Answer<Optional<String>>> answers(List<String> programs, ExecResult result) {
        Map<String, Answer<Optional<String>>> answers = new HashMap<>();
        List<String> found = result.stdout().lines().map(String::strip).toList();
        programs.forEach(program -> answers.put(program,
                Answer.of(found.stream().filter(path -> path.endsWith("/" + program)).findFirst())));
        return answers;
    }
}
