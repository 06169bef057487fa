package dev.tollgate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ForecasterTest {

  /** A weekday pattern summing to zero: busy midweek, quiet weekend. */
  static final double[] WEEK = {10, 25, 30, 25, 10, -45, -55};

  static double truth(int t) {
    return 200 + 3 * t + WEEK[t % 7];
  }

  static double[] series(int days, double noise, long seed) {
    Random random = new Random(seed);
    double[] y = new double[days];
    for (int t = 0; t < days; t++) y[t] = truth(t) * (1 + noise * random.nextGaussian());
    return y;
  }

  @Test
  void holtWintersReproducesAKnownTrendAndWeeklySeason() {
    double[] y = series(56, 0, 1);
    var fit = Forecaster.forecast(y, 30);
    assertThat(fit.method()).isEqualTo(Forecaster.Method.HOLT_WINTERS_WEEKLY);
    for (int h = 0; h < 30; h++) assertThat(fit.forecast()[h]).as("day +%d", h + 1).isCloseTo(truth(56 + h), within(1e-6));
  }

  @Test
  void holtWintersFollowsTrendAndSeasonThroughNoise() {
    double[] y = series(84, 0.03, 2);
    var fit = Forecaster.forecast(y, 14);
    double error = 0;
    for (int h = 0; h < 14; h++) error += Math.abs(fit.forecast()[h] - truth(84 + h)) / truth(84 + h);
    assertThat(error / 14).as("mean relative error of a 2-week forecast").isLessThan(0.05);
    // the weekly shape survives: the forecast Saturday is well below the forecast Wednesday
    int wednesday = (7 - 84 % 7 + 2) % 7;
    assertThat(fit.forecast()[wednesday]).isGreaterThan(fit.forecast()[(wednesday + 4) % 7 + 0] + 40);
  }

  @Test
  void fewerThanTwoWeeksUseALine() {
    double[] y = new double[10];
    for (int t = 0; t < 10; t++) y[t] = 5 + 2.5 * t;
    var fit = Forecaster.forecast(y, 3);
    assertThat(fit.method()).isEqualTo(Forecaster.Method.LINEAR);
    assertThat(fit.forecast()).containsExactly(new double[] {30, 32.5, 35}, within(1e-9));
    assertThat(Forecaster.forecast(new double[] {4}, 2).forecast()).containsExactly(4, 4);
    assertThat(Forecaster.forecast(new double[0], 2).forecast()).containsExactly(0, 0);
  }

  @Test
  void forecastsNeverGoBelowZero() {
    double[] falling = new double[10];
    for (int t = 0; t < 10; t++) falling[t] = 100 - 12 * t;
    assertThat(Arrays.stream(Forecaster.forecast(falling, 20).forecast()).min().orElseThrow()).isZero();
  }

  @Test
  void theBacktestStatesTheErrorOverTheLastWeek() {
    var exact = Forecaster.backtest(series(56, 0, 3));
    assertThat(exact.method()).isEqualTo(Forecaster.Method.HOLT_WINTERS_WEEKLY);
    assertThat(exact.days()).isEqualTo(7);
    assertThat(exact.mapePct()).isCloseTo(0, within(1e-6));

    var noisy = Forecaster.backtest(series(56, 0.05, 4));
    assertThat(noisy.mapePct()).isGreaterThan(0.1).isLessThan(15);

    var shortSeries = Forecaster.backtest(series(15, 0, 5));
    assertThat(shortSeries.method()).as("8 days of training fit a line").isEqualTo(Forecaster.Method.LINEAR);
    assertThat(shortSeries.mapePct()).isNotNull();
    assertThat(Forecaster.backtest(series(8, 0, 6)).mapePct()).as("too short to hold a week out").isNull();
    assertThat(Forecaster.backtest(new double[20]).mapePct()).as("all zero: no percentage error").isNull();
  }
}
