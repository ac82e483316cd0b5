package org.dtrain.coordinator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A job's settings, merged from command-line flags over a job file over {@code job-reference.conf}
 * (where every key is documented next to its default), and checked before any work starts. Errors
 * name the flag ({@code --lr}) or the job file line ({@code job.conf:4: lr}), what was expected and
 * what was found.
 */
public final class JobConfig {
  static final String FLAGS = "command line";
  private static final Config REFERENCE =
      ConfigFactory.parseResources(JobConfig.class, "/job-reference.conf");

  private final Config config;

  private JobConfig(Config config) {
    this.config = config;
  }

  /**
   * @param flags flag values given on the command line, keyed by job-file key (no leading dashes)
   * @param jobFile a HOCON job file, or null
   */
  public static JobConfig load(Map<String, Object> flags, Path jobFile) {
    Config file = ConfigFactory.empty();
    if (jobFile != null) {
      if (!Files.isRegularFile(jobFile)) {
        throw new IllegalArgumentException("--config: no such job file: " + jobFile);
      }
      try {
        file = ConfigFactory.parseFile(jobFile.toFile(),
            ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (ConfigException e) {
        throw new IllegalArgumentException(e.getMessage());
      }
      checkKeys(file);
    }
    return new JobConfig(ConfigFactory.parseMap(flags, FLAGS).withFallback(file)
        .withFallback(REFERENCE).resolve());
  }

  /** The built-in default job (paths relative to {@code home}) under the given flags. */
  public static JobConfig defaultJob(Map<String, Object> flags, Path home) {
    Config job = ConfigFactory.parseResources(JobConfig.class, "/jobs/default.conf");
    job = job.withValue("data", ConfigValueFactory.fromAnyRef(
            home.resolve(job.getString("data")).normalize().toString(), "default job"))
        .withValue("test-data", ConfigValueFactory.fromAnyRef(
            home.resolve(job.getString("test-data")).normalize().toString(), "default job"));
    return new JobConfig(ConfigFactory.parseMap(flags, FLAGS).withFallback(job)
        .withFallback(REFERENCE).resolve());
  }

  /**
   * A job as {@link #render()} wrote it, read on a worker of {@code --data-on-workers} to read the
   * training rows exactly as the coordinator did. The test data is left out (a worker never needs it)
   * and the shard count set to 1 (the worker cuts the rows with the coordinator's plan; a default of
   * 16 would fail on fewer rows).
   */
  public static JobConfig forWorker(String rendered) {
    Config job;
    try {
      job = ConfigFactory.parseString(rendered,
          ConfigParseOptions.defaults().setOriginDescription("the coordinator's job"));
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    job = job.withoutPath("test-data").withValue("shards", ConfigValueFactory.fromAnyRef(1));
    return new JobConfig(job.withFallback(REFERENCE).resolve());
  }

  private static void checkKeys(Config file) {
    Set<String> allowed = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : REFERENCE.root().entrySet()) allowed.add(e.getKey());
    for (Map.Entry<String, ConfigValue> e : file.root().entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw new IllegalArgumentException(where(e.getValue().origin(), e.getKey())
            + "unknown key '" + e.getKey() + "': expected one of " + String.join(", ", allowed));
      }
    }
  }

  /** "--lr: " for a flag, "job.conf:4: lr: " for a job file line. */
  static String where(ConfigOrigin origin, String key) {
    String d = origin.description();
    if (d.startsWith(FLAGS)) {
      return "--" + key + ": ";
    }
    if (origin.filename() != null) {
      String name = Path.of(origin.filename()).getFileName().toString();
      return name + (origin.lineNumber() > 0 ? ":" + origin.lineNumber() : "") + ": " + key + ": ";
    }
    return key + ": ";
  }

  String where(String key) {
    return where(config.getValue(key).origin(), key);
  }

  /** Whether the key was given by a flag or a job file, not left at its default. */
  public boolean isGiven(String key) {
    return config.hasPath(key) && !config.getValue(key).origin().description()
        .equals(REFERENCE.getValue(key).origin().description());
  }

  public boolean isSet(String key) {
    return config.hasPath(key);
  }

  public String string(String key) {
    if (!config.hasPath(key)) {
      return null;
    }
    try {
      return config.getString(key);
    } catch (ConfigException.WrongType e) {
      throw new IllegalArgumentException(where(key) + "expected a string, found "
          + config.getValue(key).render());
    }
  }

  public boolean bool(String key) {
    try {
      return config.getBoolean(key);
    } catch (ConfigException.WrongType e) {
      throw new IllegalArgumentException(where(key) + "expected true or false, found "
          + config.getValue(key).render());
    }
  }

  public double number(String key) {
    try {
      return config.getDouble(key);
    } catch (ConfigException.WrongType e) {
      throw new IllegalArgumentException(where(key) + "expected a number, found "
          + config.getValue(key).render());
    }
  }

  public long integer(String key) {
    double v = number(key);
    if (v != Math.rint(v) || Math.abs(v) > 1e15) {
      throw new IllegalArgumentException(where(key) + "expected a whole number, found "
          + config.getValue(key).render());
    }
    return (long) v;
  }

  /** Wraps a value check so that its message names the flag or job-file line. */
  public <T> T checked(String key, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage();
      String prefix = "--" + key + " ";
      if (msg.startsWith(prefix)) {
        msg = msg.substring(prefix.length());
      }
      throw new IllegalArgumentException(where(key) + msg);
    }
  }

  /**
   * Keys that say where output goes or how fast it is computed, not what is computed: left out of a
   * model's RunInfo (the weights never depend on the worker count).
   */
  private static final Set<String> OUTPUT_KEYS = Set.of("save-model", "metrics-out", "quiet",
      "workers", "metrics-every-step", "data-on-workers", "checkpoint-every", "checkpoint-dir",
      "resume");

  /**
   * The resolved job, rendered as HOCON with sorted keys: stored in every model's RunInfo. Output
   * locations and the worker count are left out, so the same job saved to two paths, or trained on
   * another number of workers, gives the same payload.
   */
  public String render() {
    Config job = ConfigFactory.empty();
    for (Map.Entry<String, ConfigValue> e : REFERENCE.root().entrySet()) {
      if (config.hasPathOrNull(e.getKey()) && !OUTPUT_KEYS.contains(e.getKey())) {
        job = job.withValue(e.getKey(), config.hasPath(e.getKey())
            ? config.getValue(e.getKey()) : ConfigValueFactory.fromAnyRef(null));
      }
    }
    return job.root().render(ConfigRenderOptions.concise().setFormatted(true).setJson(false));
  }
}
