package dev.tollgate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency direction of docs/architecture.md, checked on every build. */
class ArchitectureTest {

  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.tollgate");
  }

  @Test
  void theDomainIsPureJava() {
    classes().that().resideInAPackage("dev.tollgate.domain..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.tollgate.domain..")
        .because("the domain must be unit-testable with no HTTP, SQL or framework in it")
        .check(classes);
  }

  @Test
  void portsSpeakOnlyInDomainTypes() {
    classes().that().resideInAPackage("dev.tollgate.port..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.tollgate.domain..", "dev.tollgate.port..")
        .check(classes);
  }

  @Test
  void thePipelineKnowsNoAdapterAndNoTransport() {
    noClasses().that().resideInAPackage("dev.tollgate.pipeline..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "java.sql..", "dev.tollgate.store..",
            "dev.tollgate.provider..", "dev.tollgate.http..", "dev.tollgate.admin..", "dev.tollgate.app..", "dev.tollgate.config..")
        .check(classes);
  }

  @Test
  void stagesDoNotImportEachOther() {
    slices().matching("dev.tollgate.pipeline.(*)..").should().notDependOnEachOther()
        .ignoreDependency(com.tngtech.archunit.base.DescribedPredicate.describe("the call stage",
                (com.tngtech.archunit.core.domain.JavaClass c) -> c.getPackageName().equals("dev.tollgate.pipeline.call")),
            com.tngtech.archunit.base.DescribedPredicate.describe("meters the stream it relays",
                (com.tngtech.archunit.core.domain.JavaClass c) -> c.getPackageName().equals("dev.tollgate.pipeline.meter")))
        .check(classes);
  }

  @Test
  void adaptersDoNotReachIntoTheEdgesOrEachOther() {
    noClasses().that().resideInAnyPackage("dev.tollgate.store..", "dev.tollgate.provider..", "dev.tollgate.pricing..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.tollgate.http..", "dev.tollgate.admin..", "dev.tollgate.cli..",
            "dev.tollgate.app..", "dev.tollgate.pipeline..")
        .check(classes);
  }
}
