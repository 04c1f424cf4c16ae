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

/**
 * Each compose project's containers, running or not ({@link Commands#projectContainers}: one {@code docker ps} and
 * one {@code docker inspect} for all projects of a run), parsed by {@link ServiceContainer#parseByProject}.
 */
public final class ProjectContainers implements Question<String, List<ServiceContainer>> {
    public static final ProjectContainers QUESTION = new ProjectContainers();

    private ProjectContainers() {}

    @Override
    public Command command(List<String> projects) {
        return Commands.projectContainers(projects);
    }

    @Override
    public Map<String, Answer<List<ServiceContainer>>> answers(List<String> projects, ExecResult inspected) {
        Map<String, Answer<List<ServiceContainer>>> answers = new HashMap<>();
        if (!inspected.ok()) {
            projects.forEach(project -> answers.put(project, new Answer<>(null, new HostException(
                    "cannot list the containers of project " + project + ": " + inspected.stderr().strip()))));
            return answers;
        }
        Map<String, List<ServiceContainer>> byProject = ServiceContainer.parseByProject(inspected.stdout());
        projects.forEach(project -> answers.put(project, Answer.of(byProject.getOrDefault(project, List.of()))));
        return answers;
    }
}
