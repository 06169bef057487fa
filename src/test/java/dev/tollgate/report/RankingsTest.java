package dev.tollgate.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.money.Money;
import dev.tollgate.report.Rankings.Line;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class RankingsTest {

  static Line l(String v, long requests, long nanos) {
    return new Line(v, requests, requests * 10, requests, Money.ofNanos(nanos));
  }

  @Test
  void topNShowsTheLargestAndSumsTheRestSoTheTotalReconciles() {
    var top = Rankings.top(List.of(l("a", 1, 50), l("b", 5, 300), l(null, 2, 70), l("c", 3, 300), l("b", 1, 1)), 2,
        Rankings.Metric.COST);
    assertThat(top.rows()).extracting(Line::value).containsExactly("b", "c");
    assertThat(top.rows().get(0).cost().nanos()).as("b's two rows merged").isEqualTo(301);
    assertThat(top.othersCount()).isEqualTo(2);
    assertThat(top.others().cost().nanos()).isEqualTo(120);
    assertThat(top.total().cost().nanos()).isEqualTo(721);
    assertThat(top.rows().get(0).cost().plus(top.rows().get(1).cost()).plus(top.others().cost())).isEqualTo(top.total().cost());
    assertThat(Rankings.top(List.of(l("a", 9, 1), l("b", 1, 100)), 1, Rankings.Metric.REQUESTS).rows())
        .extracting(Line::value).containsExactly("a");
  }

  @Test
  void growthComparesEveryValueOfEitherPeriodLargestIncreaseFirst() {
    var g = Rankings.growth(List.of(l("a", 1, 300), l("b", 1, 100), l("new", 1, 50)), List.of(l("a", 1, 200), l("b", 1, 400),
        l("gone", 1, 10)));
    assertThat(g).extracting(Rankings.Growth::value).containsExactly("a", "new", "gone", "b");
    assertThat(g.get(0).changePct()).isEqualByComparingTo(new BigDecimal("50.00"));
    assertThat(g.get(1).changePct()).as("nothing before: no percentage").isNull();
    assertThat(g.get(3).change().nanos()).isEqualTo(-300);
    assertThat(g.stream().mapToLong(x -> x.change().nanos()).sum()).isEqualTo(450 - 610);
  }
}
