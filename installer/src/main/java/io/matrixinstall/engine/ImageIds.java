package io.matrixinstall.engine;

import io.matrixinstall.command.Commands;
import io.matrixinstall.host.Answer;
import io.matrixinstall.host.Command;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.HostException;
import io.matrixinstall.host.Question;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each image's id, empty when the engine has no such image ({@link Commands#imageIds}: one docker start for all
 * images of a run; each image asked alone only when one is missing, so a missing one reads as missing for itself).
 */
public final class ImageIds implements Question<String, Optional<String>> {
    public static final ImageIds QUESTION = new ImageIds();

    private ImageIds() {}

    @Override
    public Command command(List<String> references) {
        return Commands.imageIds(references);
    }

    @Override
    public Map<String, Answer<Optional<String>>> answers(List<String> references, ExecResult result) {
        Map<String, Answer<Optional<String>>> answers = new HashMap<>();
        String out = result.stdout();
        if (references.size() == 1 && out.indexOf(Commands.FIELD_END) < 0) {
            answers.put(references.get(0), Answer.from(() -> imageId(references.get(0), result)));
            return answers;
        }
        if (out.indexOf(Commands.FIELD_END) < 0) {
            List<String> ids = out.lines().toList();
            if (!result.ok() || ids.size() != references.size()) {
                HostException failure = new HostException("cannot inspect images " + String.join(", ", references) + ": "
                        + (result.ok() ? "unexpected answer " + out.strip() : result.stderr().strip()));
                references.forEach(reference -> answers.put(reference, new Answer<>(null, failure)));
                return answers;
            }
            for (int i = 0; i < references.size(); i++) {
                answers.put(references.get(i), Answer.of(Optional.of(ids.get(i).strip())));
            }
            return answers;
        }
        // STDOUT NUL EXIT NUL STDERR NUL per image: what it answered alone.
        String[] fields = out.split(String.valueOf(Commands.FIELD_END), -1);
        for (int i = 0; i < references.size(); i++) {
            String reference = references.get(i);
            if (3 * i + 2 >= fields.length || !fields[3 * i + 1].matches("[0-9]+")) {
                answers.put(reference, new Answer<>(null, new HostException("cannot inspect image " + reference
                        + ": unexpected answer " + out.strip())));
                continue;
            }
            ExecResult alone = new ExecResult(Integer.parseInt(fields[3 * i + 1]), fields[3 * i], fields[3 * i + 2]);
            answers.put(reference, Answer.from(() -> imageId(reference, alone)));
        }
        return answers;
    }

    private static Optional<String> imageId(String reference, ExecResult result) {
        if (result.ok()) {
            return Optional.of(result.stdout().strip());
        }
        if (result.stderr().contains("No such image")) {
            return Optional.empty();
        }
        throw new HostException("cannot inspect image " + reference + ": " + result.stderr().strip());
    }
}
