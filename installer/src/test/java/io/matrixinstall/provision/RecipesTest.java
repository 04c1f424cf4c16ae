package io.matrixinstall.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.matrixinstall.plan.RunOptions.DockerSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The packaged recipes parse into the actions an admin reads in provisioning/, and a malformed one is named. */
class RecipesTest {

    @Test
    void everyDistributionAndSourceOfDockerYamlParses() {
        DockerRecipes recipes = DockerRecipes.load();
        for (String distribution : List.of("debian", "ubuntu")) {
            for (DockerSource source : List.of(DockerSource.DOCKER, DockerSource.DISTRO)) {
                DockerRecipes.Source parsed = recipes.source(distribution, source);
                assertEquals(source == DockerSource.DOCKER, parsed.probe().isPresent());
                assertEquals(false, parsed.engine().actions().isEmpty());
                assertEquals(false, parsed.compose().actions().isEmpty());
            }
        }
        DockerRecipes.Source debian = recipes.source("debian", DockerSource.DOCKER);
        assertEquals(List.of(
                new InstallPackages(List.of("ca-certificates", "curl"), Optional.empty()),
                new DownloadFile("https://download.docker.com/linux/debian/gpg", Path.of("/etc/apt/keyrings/docker.asc")),
                new TemplateFile("host/docker.list.ftl", Path.of("/etc/apt/sources.list.d/docker.list"),
                        Map.of("repository", "https://download.docker.com/linux/debian", "key_file", "/etc/apt/keyrings/docker.asc"),
                        false),
                new InstallPackages(List.of("docker-ce", "docker-ce-cli", "containerd.io", "docker-buildx-plugin",
                        "docker-compose-plugin"), Optional.of("Docker's apt repository"))), debian.engine().actions());
        assertEquals(Optional.of(new Recipe(List.of(new InstallPackages(List.of("ca-certificates", "curl"), Optional.empty())))),
                debian.probeNeeds());
        assertEquals(List.of(new TemplateFile("host/daemon.json.ftl", Path.of("/etc/docker/daemon.json"), Map.of(), true),
                new StartService("docker")), recipes.start().actions());
    }

    @Test
    void theJreRecipeNamesAJava17OrLaterPerDistribution() {
        JavaRecipe jre = JavaRecipe.load();
        assertEquals(Path.of("/usr/bin/java"), jre.java());
        assertEquals(17, jre.minimum());
        assertEquals(List.of("default-jre-headless"), jre.forDistribution("debian").packages());
        assertEquals(List.of("openjdk-17-jre-headless"), jre.forDistribution("ubuntu").packages());
    }

    @Test
    void aMalformedActionIsNamedByWhereItIs() {
        assertEquals("x[0] names no known action (packages, download, template, start)",
                assertThrows(IllegalStateException.class, () -> Recipe.parse("x", List.of(Map.of("copy", "a")))).getMessage());
        assertEquals("x[1].packages is not a list of package names", assertThrows(IllegalStateException.class,
                () -> Recipe.parse("x", List.of(Map.of("start", "docker"), Map.of("packages", List.of("a; rm -rf /"))))).getMessage());
        assertEquals("x[0].to is not an absolute, normalised path", assertThrows(IllegalStateException.class,
                () -> Recipe.parse("x", List.of(Map.of("download", "https://e.org/k", "to", "etc/k")))).getMessage());
        assertEquals("x[0].mode is not a key of this action", assertThrows(IllegalStateException.class,
                () -> Recipe.parse("x", List.of(Map.of("download", "https://e.org/k", "to", "/etc/k", "mode", "0600"))))
                .getMessage());
        assertEquals("x[0].start must be docker (the only service a recipe starts)", assertThrows(IllegalStateException.class,
                () -> Recipe.parse("x", List.of(Map.of("start", "nginx")))).getMessage());
    }
}
