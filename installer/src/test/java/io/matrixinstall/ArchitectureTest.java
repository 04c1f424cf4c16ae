package io.matrixinstall;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.matrixinstall.config.InstallConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer rules of docs/architecture.md, checked on the compiled classes (and, for what bytecode cannot see, on
 * the sources). Bottom to top: host; command, tls, secrets, stats; config, engine; layout; render; plan (the
 * framework); component (the parts of the stack, and component.tls: one class per TLS mode); provision; steps; the
 * features (ops, users, db, up, data, update); cli.
 */
class ArchitectureTest {
    private static final String ROOT = "io.matrixinstall";
    /** What runs on the plan framework: none of it may be reached from plan itself. */
    private static final String[] ABOVE_PLAN = {ROOT + ".component..", ROOT + ".provision..", ROOT + ".steps..", ROOT + ".up..",
            ROOT + ".ops..", ROOT + ".users..", ROOT + ".db..", ROOT + ".data..", ROOT + ".update..", ROOT + ".stats..",
            ROOT + ".cli.."};
    /** The features: commands' work, built from the shared steps. The steps reach none of them. */
    private static final String[] FEATURES = {ROOT + ".up..", ROOT + ".ops..", ROOT + ".users..", ROOT + ".db..",
            ROOT + ".data..", ROOT + ".update..", ROOT + ".cli.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    @Test
    void packagesFormNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void hostIsTheLowestLayer() {
        noClasses().that().resideInAPackage(ROOT + ".host..")
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..").and(not(resideInAPackage(ROOT + ".host.."))))
                .because("every other package reaches the machine through host, so host reaches none of them")
                .check(classes);
    }

    @Test
    void commandsBuildArgvOnTopOfHostOnly() {
        noClasses().that().resideInAPackage(ROOT + ".command..")
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..")
                        .and(not(resideInAnyPackage(ROOT + ".command..", ROOT + ".host.."))))
                .check(classes);
    }

    @Test
    void planFrameworkKnowsNoFeature() {
        noClasses().that().resideInAPackage(ROOT + ".plan..")
                .should().dependOnClassesThat().resideInAnyPackage(ABOVE_PLAN)
                .because("plan is the framework (Step, PlanContext, ChangeGate, FileSync, Poll, Wants); the plans are built above it")
                .check(classes);
    }

    @Test
    void sharedStepsKnowNoFeature() {
        noClasses().that().resideInAnyPackage(ROOT + ".steps..", ROOT + ".provision..")
                .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
                .check(classes);
    }

    /**
     * The components describe the stack (directories, files, services, ports, leftovers, the TLS modes' behaviour);
     * the steps that apply it, and the features, sit above them.
     */
    @Test
    void componentsKnowNoStepAndNoFeature() {
        noClasses().that().resideInAPackage(ROOT + ".component..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".steps..", ROOT + ".provision..", ROOT + ".up..",
                        ROOT + ".ops..", ROOT + ".users..", ROOT + ".db..", ROOT + ".data..", ROOT + ".update..", ROOT + ".cli..")
                .check(classes);
    }

    /**
     * TLS-mode branch sites outside the mode classes: 0. Only component.tls (one class per mode, and TlsModes.of, the
     * one switch) names a mode; config declares the enum and parses {@code tls.mode} (TlsSettings: which keys a mode
     * requires). Everything else asks the mode object ({@code TlsModes.of(config)}) a question.
     */
    @Test
    void onlyTheModeClassesNameATlsMode() {
        for (InstallConfig.TlsMode mode : InstallConfig.TlsMode.values()) {
            noClasses().that().resideOutsideOfPackage(ROOT + ".component.tls..")
                    .and().doNotHaveFullyQualifiedName(InstallConfig.class.getName())
                    .and().doNotHaveFullyQualifiedName(InstallConfig.TlsMode.class.getName())
                    .and().doNotHaveFullyQualifiedName(ROOT + ".config.TlsSettings")
                    .should().accessField(InstallConfig.TlsMode.class, mode.name())
                    .because("a TLS mode's behaviour lives in its class in component/tls")
                    .check(classes);
        }
    }

    /** Templates read the modes' values (proxy.terminates_tls, ...), never compare a mode's name. */
    @Test
    void noTemplateComparesTheTlsMode() throws IOException {
        Pattern compare = Pattern.compile("tls_mode\\s*(==|!=|\\?)|\"(acme|nginx-certbot|files|external|self-signed|none)\"\\s*(==|!=)\\s*tls_mode");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("../templates"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".ftl")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (compare.matcher(lines.get(i)).find()) {
                        found.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "give the template a value from the TLS mode's class instead");
    }

    /**
     * Resolver paths: 1. Every host looks a name up with Host.resolve (getent on the host, the same parser for both);
     * the agent's own code asks the JVM's resolver nothing (InetAddress.getByName is left for address literals).
     */
    @Test
    void namesAreResolvedOnlyByTheHost() {
        noClasses().should().callMethod(InetAddress.class, "getAllByName", String.class)
                .orShould().callMethod(InetAddress.class, "getLocalHost")
                .because("Host.resolve is the one resolver path: a local run sees names as a remote one does")
                .check(classes);
    }

    @Test
    void nothingDependsOnTheCommandLine() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".cli..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".cli..")
                .because("cli is the top: the picocli commands and the run frame")
                .check(classes);
    }

    @Test
    void configurationIsBelowEverythingThatReadsIt() {
        noClasses().that().resideInAnyPackage(ROOT + ".config..", ROOT + ".tls..", ROOT + ".secrets..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".layout..", ROOT + ".render..", ROOT + ".plan..",
                        ROOT + ".engine..", ROOT + ".command..", ROOT + ".component..")
                .check(classes);
    }

    /**
     * A fully qualified io.matrixinstall name written in the code (not an import) dodges the import list, where a new
     * package dependency shows; bytecode cannot tell the two apart, so this reads the sources.
     */
    @Test
    void noInlineFullyQualifiedProjectNames() throws IOException {
        Pattern inline = Pattern.compile("\\bio\\.matrixinstall\\.[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*\\.[A-Z]");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (!line.startsWith("import ") && !line.startsWith("package ") && inline.matcher(line).find()) {
                        found.add(file + ":" + (i + 1) + ": " + line);
                    }
                }
            }
        }
        assertEquals(List.of(), found, "import the class instead of writing its package inline");
    }
}
