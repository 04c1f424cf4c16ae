package io.matrixinstall.provision;

/**
 * One action of a provisioning recipe ({@code provisioning/*.yaml}). Each variant checks the host first and
 * submits its change through the run's gate only when it is needed, so a recipe is idempotent and a dry run
 * lists exactly what would be done.
 */
public sealed interface RecipeAction permits InstallPackages, DownloadFile, TemplateFile, StartService {

    /** Makes the host agree with this action. True when a change was submitted (applied, or listed in a dry run). */
    boolean converge(RecipeRun run);

    /** What the action does, for a plan line that cannot be checked yet (the host lacks the tool to ask). */
    String describe(RecipeRun run);
}
