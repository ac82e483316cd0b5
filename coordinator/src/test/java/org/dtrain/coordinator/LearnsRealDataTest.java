package org.dtrain.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The recipes reach the accuracy the foundation issue asks for, from a fixed seed: the whole stack
 * (readers, scaling, split, sampler, backprop, optimizers) working together on real data.
 */
class LearnsRealDataTest {
  private static final String D = Recipes.DATA;

  @Test
  void xorTwoTwoOneLearnsAllFourRows() {
    var t = Recipes.train("data", "synthetic:xor", "layers", "2,2,1", "hidden-activation", "sigmoid",
        "output-activation", "sigmoid", "loss", "mse", "lr", 2.0, "batch-size", "full",
        "epochs", 3000);
    assertEquals(4, t.train().correct(), "every truth-table row within 0.5 of its target");
  }

  @Test
  void xorTwoEightOneLearnsAllFourRows() {
    var t = Recipes.train("data", "synthetic:xor", "layers", "2,8,1", "hidden-activation", "sigmoid",
        "output-activation", "sigmoid", "loss", "mse", "lr", 2.0, "batch-size", "full",
        "epochs", 2000);
    assertEquals(4, t.train().correct());
  }

  @Test
  void andAndOrLearnWithOneSigmoidNeuron() {
    for (String gate : new String[] {"and", "or"}) {
      var t = Recipes.train("data", "synthetic:" + gate, "layers", "2,1",
          "loss", "binary_cross_entropy", "lr", 1.0, "batch-size", "full", "epochs", 500);
      assertEquals(4, t.train().correct(), gate + ": logistic regression separates the table");
    }
  }

  @Test
  void irisReachesNinetyThreePercent() {
    var t = Recipes.train("data", D + "iris.csv", "test-fraction", 0.2, "layers", "auto,16,auto",
        "scale", "standard", "optimizer", "adam", "lr", 0.01, "epochs", 60, "batch-size", 16);
    assertTrue(t.test().accuracy() >= 0.93, "iris test accuracy " + t.test().accuracy());
  }

  @Test
  void breastCancerReachesNinetyFivePercent() {
    var t = Recipes.train("data", D + "breast_cancer.csv", "test-fraction", 0.25,
        "layers", "auto,16,auto", "loss", "binary_cross_entropy", "scale", "standard",
        "optimizer", "adam", "lr", 0.01, "epochs", 30, "batch-size", 32);
    assertTrue(t.test().accuracy() >= 0.95, "breast cancer test accuracy " + t.test().accuracy());
  }

  @Test
  void digitsReachesNinetyFivePercent() {
    var t = Recipes.train("data", D + "digits.csv.gz", "test-fraction", 0.25,
        "layers", "auto,64,auto", "scale", "minmax", "optimizer", "adam", "lr", 0.003,
        "epochs", 40, "batch-size", 32);
    assertTrue(t.test().accuracy() >= 0.95, "digits test accuracy " + t.test().accuracy());
  }

  @Test
  void mnist10kReachesNinetyFivePercentOnItsTestSplit() {
    var t = Recipes.train("data", D + "mnist10k/train-images-idx3-ubyte.gz",
        "test-data", D + "mnist10k/t10k-images-idx3-ubyte.gz", "layers", "auto,256,128,auto",
        "scale", "minmax", "optimizer", "momentum", "lr", 0.05, "lr-schedule", "cosine",
        "epochs", 10, "batch-size", 32);
    assertEquals(2000, t.test().samples());
    assertTrue(t.test().accuracy() >= 0.95, "mnist10k test accuracy " + t.test().accuracy());
  }
}
