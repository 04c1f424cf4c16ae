package io.matrixinstall.provision;

/**
 * {@code start: docker}: starts the installed engine the way the host starts services and waits until it
 * answers; nothing when it answers already. Docker is the only service a recipe starts.
 */
public record StartService(String service) implements RecipeAction {

    @Override
    public boolean converge(RecipeRun run) {
        if (EngineStart.engineAnswers(run.host())) {
            return false;
        }
        EngineStart.submit(run.context());
        return true;
    }

    @Override
    public String describe(RecipeRun run) {
        return "start the Docker engine (" + InitSystem.of(run.host()).start(service) + ")";
    }
}
