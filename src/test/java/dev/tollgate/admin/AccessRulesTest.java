package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.access.Principal;
import dev.tollgate.domain.access.Role;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The access table's lookup: the most specific pattern wins, and a caller with several roles gets the widest view. */
class AccessRulesTest {

  @ParameterizedTest(name = "{0} {1} → {2}")
  @CsvSource({
      "GET,    /admin/v1/budgets/status,      /admin/v1/budgets/status",
      "GET,    /admin/v1/budgets/bud_1,       /admin/v1/budgets/:id",
      "GET,    /admin/v1/keys/,               /admin/v1/keys",
      "POST,   /admin/v1/keys/key_1/revoke,   /admin/v1/keys/:id/revoke",
      "get,    /admin/v1/audit/verify,        /admin/v1/audit/verify",
      "GET,    /admin/v1/keys/a/b,            none",
      "PATCH,  /admin/v1/keys/key_1,          none",
      "GET,    /admin/v1//revoke,             none",
  })
  void aRequestFindsTheMostSpecificRule(String method, String path, String rule) {
    assertThat(AccessRules.match(method, path).map(AccessRules.Rule::path).orElse("none")).isEqualTo(rule);
  }

  @Test
  void aCallerWithSeveralRolesGetsTheWidestViewAnyOfThemGives() {
    Principal both = new Principal("x", Principal.Kind.OIDC, Set.of(Role.MEMBER, Role.TEAM_LEAD), Set.of("support"), "ana", "ana");
    var usage = (AccessRules.Decision.Allowed) AccessRules.decide(both, "GET", "/admin/v1/usage");
    assertThat(usage.access().scope()).isEqualTo(AccessRules.Scope.OWN_TEAMS);
    Principal auditorAndLead = new Principal("y", Principal.Kind.OIDC, Set.of(Role.AUDITOR, Role.TEAM_LEAD), Set.of("support"), null, "y");
    var keys = (AccessRules.Decision.Allowed) AccessRules.decide(auditorAndLead, "GET", "/admin/v1/keys");
    assertThat(keys.access().scope()).isEqualTo(AccessRules.Scope.ALL);
    var make = (AccessRules.Decision.Allowed) AccessRules.decide(auditorAndLead, "POST", "/admin/v1/keys");
    assertThat(make.access().scope()).as("only the lead role may make keys, for its teams").isEqualTo(AccessRules.Scope.OWN_TEAMS);
  }

  @Test
  void anAccessOutsideTheAdminApiPermitsNothing() {
    var none = new AccessRules.Access(Principal.BOOTSTRAP, null, AccessRules.Scope.NONE);
    assertThat(none.permitsTeam("support")).isFalse();
    assertThat(none.permitsUser(null)).isFalse();
  }
}
