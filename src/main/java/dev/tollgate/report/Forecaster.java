package dev.tollgate.report;

import java.util.Arrays;

/**
 * Forecasts a daily series: Holt-Winters (additive level, trend and weekly season) once there are
 * at least two weeks of data, a least-squares line before that, and a back-test that says how wrong
 * the method would have been over the last week.
 *
 * <p>Holt-Winters starts from the first two weeks — level and trend from their means, each weekday's
 * seasonal offset from the first week with the trend taken out — then updates level, trend and
 * season day by day. Its smoothing constants (α level, β trend, γ season) are picked from a grid by
 * the smallest sum of squared one-day-ahead errors. A noiseless "trend + weekly pattern" series is
 * therefore reproduced exactly, which is what the tests check. Forecasts below zero are clamped to
 * zero: spend is never negative.
 */
public final class Forecaster {

  /** The length of the season: days in a week. */
  public static final int SEASON = 7;
  /** Days held out by the back-test. */
  public static final int HOLDOUT = 7;

  private static final double[] ALPHAS = {0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99};
  private static final double[] BETAS = {0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5};
  private static final double[] GAMMAS = {0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9};

  private Forecaster() {}

  /** How a forecast was made. */
  public enum Method {
    /** Holt-Winters, additive, with a weekly season (two weeks of data or more). */
    HOLT_WINTERS_WEEKLY("holt_winters_weekly"),
    /** A least-squares straight line (two to thirteen days of data). */
    LINEAR("linear"),
    /** The one day there is, repeated (one day of data); zero with none. */
    NAIVE("naive");

    private final String wire;

    Method(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  /**
   * A fitted forecast: the method, its smoothing constants (Holt-Winters only, else NaN), and the
   * forecast for the {@code horizon} days after the series.
   */
  public record Fit(Method method, double alpha, double beta, double gamma, double[] forecast) {}

  /** The back-test: fit on all but the last {@link #HOLDOUT} days, forecast them, compare. */
  public record Backtest(Method method, int days, Double mapePct) {}

  /** The method for a series of {@code n} days. */
  public static Method methodFor(int n) {
    if (n >= 2 * SEASON) return Method.HOLT_WINTERS_WEEKLY;
    if (n >= 2) return Method.LINEAR;
    return Method.NAIVE;
  }

  public static Fit forecast(double[] y, int horizon) {
    if (horizon < 0) throw new IllegalArgumentException("horizon cannot be negative");
    return switch (methodFor(y.length)) {
      case HOLT_WINTERS_WEEKLY -> holtWinters(y, horizon);
      case LINEAR -> linear(y, horizon);
      case NAIVE -> {
        double[] f = new double[horizon];
        Arrays.fill(f, y.length == 0 ? 0 : Math.max(0, y[0]));
        yield new Fit(Method.NAIVE, Double.NaN, Double.NaN, Double.NaN, f);
      }
    };
  }

  /**
   * Mean absolute percentage error of a forecast of the last {@link #HOLDOUT} days made from the days
   * before them, over the held-out days whose actual value is not zero; null MAPE when fewer than
   * {@code HOLDOUT + 2} days exist or every held-out day is zero.
   */
  public static Backtest backtest(double[] y) {
    if (y.length < HOLDOUT + 2) return new Backtest(methodFor(Math.max(0, y.length - HOLDOUT)), 0, null);
    double[] train = Arrays.copyOf(y, y.length - HOLDOUT);
    Fit fit = forecast(train, HOLDOUT);
    double sum = 0;
    int counted = 0;
    for (int i = 0; i < HOLDOUT; i++) {
      double actual = y[train.length + i];
      if (actual == 0) continue;
      sum += Math.abs(actual - fit.forecast()[i]) / Math.abs(actual);
      counted++;
    }
    return new Backtest(fit.method(), HOLDOUT, counted == 0 ? null : 100 * sum / counted);
  }

  static Fit linear(double[] y, int horizon) {
    int n = y.length;
    double meanT = (n - 1) / 2.0;
    double meanY = Arrays.stream(y).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    for (int t = 0; t < n; t++) {
      sxy += (t - meanT) * (y[t] - meanY);
      sxx += (t - meanT) * (t - meanT);
    }
    double slope = sxx == 0 ? 0 : sxy / sxx;
    double intercept = meanY - slope * meanT;
    double[] f = new double[horizon];
    for (int h = 0; h < horizon; h++) f[h] = Math.max(0, intercept + slope * (n + h));
    return new Fit(Method.LINEAR, Double.NaN, Double.NaN, Double.NaN, f);
  }

  static Fit holtWinters(double[] y, int horizon) {
    double best = Double.POSITIVE_INFINITY;
    double[] chosen = null;
    for (double a : ALPHAS) {
      for (double b : BETAS) {
        for (double g : GAMMAS) {
          double sse = run(y, a, b, g, 0, null);
          if (chosen == null || sse < best - 1e-12 * Math.max(1, best)) { // ties keep the earlier, smoother choice
            best = sse;
            chosen = new double[] {a, b, g};
          }
        }
      }
    }
    double[] f = new double[horizon];
    run(y, chosen[0], chosen[1], chosen[2], horizon, f);
    return new Fit(Method.HOLT_WINTERS_WEEKLY, chosen[0], chosen[1], chosen[2], f);
  }

  /** Runs the recursion; returns the sum of squared one-step errors and fills {@code out} with the forecast. */
  private static double run(double[] y, double alpha, double beta, double gamma, int horizon, double[] out) {
    int m = SEASON;
    double first = mean(y, 0, m);
    double second = mean(y, m, 2 * m);
    double trend = (second - first) / m;
    double[] season = new double[m];
    for (int i = 0; i < m; i++) season[i] = y[i] - (first + trend * (i - (m - 1) / 2.0));
    double level = first + trend * (m - 1) / 2.0; // the level at t = m - 1
    double sse = 0;
    for (int t = m; t < y.length; t++) {
      int phase = t % m;
      double predicted = level + trend + season[phase];
      double error = y[t] - predicted;
      sse += error * error;
      double previousLevel = level;
      level = alpha * (y[t] - season[phase]) + (1 - alpha) * (level + trend);
      trend = beta * (level - previousLevel) + (1 - beta) * trend;
      season[phase] = gamma * (y[t] - level) + (1 - gamma) * season[phase];
    }
    if (out != null) {
      int last = y.length - 1;
      for (int h = 1; h <= horizon; h++) out[h - 1] = Math.max(0, level + h * trend + season[(last + h) % m]);
    }
    return sse;
  }

  private static double mean(double[] y, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) s += y[i];
    return s / (to - from);
  }
}
