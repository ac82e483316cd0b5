package org.dtrain.data;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generated data sets for lectures, demos and tests ({@code synthetic:NAME}).
 *
 * <ul>
 *   <li>{@code xor}, {@code and}, {@code or}: the 4-row truth tables over inputs {0,1}², labels 0/1.
 *       The row count and noise do not apply.
 *   <li>{@code blobs}: k Gaussian blobs (default 3 classes, 2 features, 600 rows, standard deviation
 *       1.0 around centres in [-10, 10]).
 *   <li>{@code circles}: 2 concentric circles, radius 1 (class 0) and 0.5 (class 1), 2 features,
 *       default 600 rows and noise 0.1.
 *   <li>{@code spiral}: the k-arm spiral of the cs231n notes (default 3 classes, 300 rows, angle
 *       noise 0.2), 2 features.
 *   <li>{@code teacher}: regression; the target is a fixed random "teacher" network (default 8
 *       features, one tanh hidden layer of 16 units, linear output) of standard-normal inputs, plus
 *       Gaussian noise (default 0.05). Default 1000 rows.
 * </ul>
 *
 * <p>Reproducibility: the samples are drawn from {@link SplittableRandom} seeded from
 * {@link DataOptions#syntheticSeed()}, and only StrictMath is used, so the same options give the
 * same data bit for bit on every machine and JDK. The structure of a problem (blob centres, teacher
 * weights) depends only on its shape, not on the seed, so data generated with another seed is a
 * fresh sample of the same problem and can serve as a test set.
 */
public final class SyntheticData {
  public static final String NAMES = "xor, and, or, blobs, circles, spiral, teacher";

  private static final String PREFIX = "synthetic:";
  // Fixed seed for problem structure (centres, teacher weights): see the class comment.
  private static final long STRUCTURE_SEED = 0x5EED_DA7AL;
  private static final int TEACHER_HIDDEN = 16;

  private SyntheticData() {}

  /** Generates data set {@code name} (without the "synthetic:" prefix; it is accepted too). */
  public static LabeledTable generate(String name, DataOptions o) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.startsWith(PREFIX)) {
      n = n.substring(PREFIX.length());
    }
    String source = PREFIX + n;
    SplittableRandom rng = new SplittableRandom(sampleSeed(o.syntheticSeed(), n));
    return switch (n) {
      case "xor" -> truthTable(source, o, 0, 1, 1, 0);
      case "and" -> truthTable(source, o, 0, 0, 0, 1);
      case "or" -> truthTable(source, o, 0, 1, 1, 1);
      case "blobs" -> blobs(source, o, rng);
      case "circles" -> circles(source, o, rng);
      case "spiral" -> spiral(source, o, rng);
      case "teacher" -> teacher(source, o, rng);
      default -> throw DataException.at(PREFIX + name.trim(),
          "expected a generator name, one of " + NAMES + ", found '" + name.trim() + "'");
    };
  }

  // Mixed with the name so that blobs and spiral with the same seed are not drawn from one stream,
  // and salted so the data stream differs from weight-initialisation streams seeded with the same
  // number.
  private static long sampleSeed(long seed, String name) {
    return seed * 0x9E3779B97F4A7C15L ^ (0xDA7A_0000_0000L + name.hashCode());
  }

  private static LabeledTable truthTable(String source, DataOptions o, int l00, int l01, int l10,
      int l11) {
    fixed(source, "classes", o.syntheticClasses(), 2, "(a truth table has 2)");
    fixed(source, "features", o.syntheticFeatures(), 2, "(a truth table has 2 inputs)");
    float[] x = {0, 0, 0, 1, 1, 0, 1, 1}; // (4, 2)
    double[] y = {l00, l01, l10, l11}; // (4)
    return new LabeledTable(source, names(2), "label", x, y, new int[] {1, 2, 3, 4}, 0);
  }

  private static LabeledTable blobs(String source, DataOptions o, SplittableRandom rng) {
    int k = orDefault(o.syntheticClasses(), 3);
    int d = orDefault(o.syntheticFeatures(), 2);
    int rows = orDefault(o.syntheticRows(), 600);
    double sd = o.syntheticNoise() < 0 ? 1.0 : o.syntheticNoise();
    atLeast(source, "classes", k, 2);
    atLeast(source, "features", d, 1);
    atLeast(source, "rows", rows, k, "(one per class)");
    checkSize(source, rows, d);

    double[] centres = blobCentres(k, d); // (k, d)
    float[] x = new float[rows * d]; // (rows, d)
    double[] y = new double[rows]; // (rows)
    for (int r = 0; r < rows; r++) {
      int c = r % k; // interleaved, so every prefix of the data is balanced
      for (int j = 0; j < d; j++) {
        x[r * d + j] = (float) (centres[c * d + j] + sd * gaussian(rng));
      }
      y[r] = c;
    }
    return new LabeledTable(source, names(d), "label", x, y, records(rows), 0);
  }

  /**
   * Centres uniform in [-10, 10]^d, redrawn while closer than 6 to an earlier one so that the
   * default blobs (sd 1) are separable; when the box is too crowded for that, the farthest of the
   * candidates is kept.
   */
  private static double[] blobCentres(int k, int d) {
    SplittableRandom rng = new SplittableRandom(STRUCTURE_SEED ^ (31L * k + d) * 0x9E3779B97F4A7C15L);
    double[] c = new double[k * d]; // (k, d)
    double[] candidate = new double[d];
    for (int i = 0; i < k; i++) {
      double bestDistance = -1;
      for (int attempt = 0; attempt < 100; attempt++) {
        for (int j = 0; j < d; j++) {
          candidate[j] = -10 + 20 * rng.nextDouble();
        }
        double nearest = Double.MAX_VALUE;
        for (int p = 0; p < i; p++) {
          double s = 0;
          for (int j = 0; j < d; j++) {
            double t = candidate[j] - c[p * d + j];
            s += t * t;
          }
          nearest = Math.min(nearest, StrictMath.sqrt(s));
        }
        if (nearest > bestDistance) {
          bestDistance = nearest;
          System.arraycopy(candidate, 0, c, i * d, d);
        }
        if (nearest >= 6) {
          break;
        }
      }
    }
    return c;
  }

  private static LabeledTable circles(String source, DataOptions o, SplittableRandom rng) {
    fixed(source, "classes", o.syntheticClasses(), 2, "(an outer and an inner circle)");
    fixed(source, "features", o.syntheticFeatures(), 2, "(the circles are 2-D)");
    int rows = orDefault(o.syntheticRows(), 600);
    double noise = o.syntheticNoise() < 0 ? 0.1 : o.syntheticNoise();
    atLeast(source, "rows", rows, 2, "(one per class)");
    checkSize(source, rows, 2);
    float[] x = new float[rows * 2]; // (rows, 2)
    double[] y = new double[rows]; // (rows)
    for (int r = 0; r < rows; r++) {
      int c = r % 2;
      double radius = c == 0 ? 1.0 : 0.5;
      double t = 2 * Math.PI * rng.nextDouble();
      x[2 * r] = (float) (radius * StrictMath.cos(t) + noise * gaussian(rng));
      x[2 * r + 1] = (float) (radius * StrictMath.sin(t) + noise * gaussian(rng));
      y[r] = c;
    }
    return new LabeledTable(source, names(2), "label", x, y, records(rows), 0);
  }

  /**
   * The cs231n spiral: arm j has radius r = linspace(0, 1, N) and angle
   * t = linspace(4j, 4(j+1), N) + noise·N(0,1), at (r sin t, r cos t).
   */
  private static LabeledTable spiral(String source, DataOptions o, SplittableRandom rng) {
    int k = orDefault(o.syntheticClasses(), 3);
    fixed(source, "features", o.syntheticFeatures(), 2, "(the spiral is 2-D)");
    int rows = orDefault(o.syntheticRows(), 300);
    double noise = o.syntheticNoise() < 0 ? 0.2 : o.syntheticNoise();
    atLeast(source, "classes", k, 2);
    atLeast(source, "rows", rows, k, "(one per class)");
    checkSize(source, rows, 2);
    float[] x = new float[rows * 2]; // (rows, 2)
    double[] y = new double[rows]; // (rows)
    int r = 0;
    for (int j = 0; j < k; j++) {
      int perArm = rows / k + (j < rows % k ? 1 : 0); // the remainder goes to the first arms
      for (int i = 0; i < perArm; i++, r++) {
        double frac = perArm == 1 ? 0 : (double) i / (perArm - 1);
        double radius = frac;
        double t = 4 * j + 4 * frac + noise * gaussian(rng);
        x[2 * r] = (float) (radius * StrictMath.sin(t));
        x[2 * r + 1] = (float) (radius * StrictMath.cos(t));
        y[r] = j;
      }
    }
    return new LabeledTable(source, names(2), "label", x, y, records(rows), 0);
  }

  private static LabeledTable teacher(String source, DataOptions o, SplittableRandom rng) {
    if (o.syntheticClasses() != 0) {
      throw DataException.at(source, "expected no class count (this is a regression data set with"
          + " a real target), found " + o.syntheticClasses() + " classes");
    }
    int d = orDefault(o.syntheticFeatures(), 8);
    int rows = orDefault(o.syntheticRows(), 1000);
    double noise = o.syntheticNoise() < 0 ? 0.05 : o.syntheticNoise();
    atLeast(source, "features", d, 1);
    checkSize(source, rows, d);

    // The teacher: weights scaled so hidden pre-activations and the output are of order 1.
    int h = TEACHER_HIDDEN;
    SplittableRandom w = new SplittableRandom(STRUCTURE_SEED ^ (1000003L * d) ^ 0x7EAC4E7L);
    double[] w1 = new double[h * d]; // (h, d)
    double[] b1 = new double[h]; // (h)
    double[] w2 = new double[h]; // (h)
    for (int i = 0; i < w1.length; i++) {
      w1[i] = gaussian(w) / StrictMath.sqrt(d);
    }
    for (int i = 0; i < h; i++) {
      b1[i] = 0.5 * gaussian(w);
      w2[i] = gaussian(w) / StrictMath.sqrt(h);
    }
    double b2 = 0.5 * gaussian(w);

    float[] x = new float[rows * d]; // (rows, d)
    double[] y = new double[rows]; // (rows)
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < d; j++) {
        x[r * d + j] = (float) gaussian(rng);
      }
      double out = b2;
      for (int u = 0; u < h; u++) {
        double z = b1[u];
        for (int j = 0; j < d; j++) {
          z += w1[u * d + j] * x[r * d + j]; // the stored float inputs, so y is exactly f(x)
        }
        out += w2[u] * StrictMath.tanh(z);
      }
      y[r] = out + noise * gaussian(rng);
    }
    return new LabeledTable(source, names(d), "target", x, y, records(rows), 0);
  }

  /** A standard normal sample (Box–Muller with StrictMath, so it is the same on every JDK). */
  private static double gaussian(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble(); // (0, 1], so the log is finite
    double u2 = rng.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
  }

  private static String[] names(int d) {
    String[] n = new String[d];
    for (int j = 0; j < d; j++) {
      n[j] = "x" + (j + 1);
    }
    return n;
  }

  private static int[] records(int rows) {
    int[] r = new int[rows];
    for (int i = 0; i < rows; i++) {
      r[i] = i + 1;
    }
    return r;
  }

  private static int orDefault(int value, int dflt) {
    return value == 0 ? dflt : value;
  }

  private static void fixed(String source, String what, int value, int only, String why) {
    if (value != 0 && value != only) {
      throw DataException.at(source, "expected " + only + " " + what + " " + why + ", found " + value);
    }
  }

  private static void atLeast(String source, String what, int value, int min) {
    atLeast(source, what, value, min, "");
  }

  private static void atLeast(String source, String what, int value, int min, String why) {
    if (value < min) {
      throw DataException.at(source, "expected at least " + min + " " + what
          + (why.isEmpty() ? "" : " " + why) + ", found " + value);
    }
  }

  private static void checkSize(String source, int rows, int d) {
    if ((long) rows * d > Integer.MAX_VALUE - 8) {
      throw DataException.at(source, "expected at most " + (Integer.MAX_VALUE - 8)
          + " values in all (one Java array), found " + rows + " rows x " + d + " features");
    }
  }
}
