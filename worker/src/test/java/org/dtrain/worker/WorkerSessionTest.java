package org.dtrain.worker;

import static org.dtrain.worker.JobFixture.assertSamePartials;
import static org.dtrain.worker.JobFixture.chunks;
import static org.dtrain.worker.JobFixture.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.dtrain.data.Dataset;
import org.dtrain.data.ShardPlan;
import org.dtrain.link.TensorBuffers;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Parameters;
import org.dtrain.protocol.AssignShards;
import org.dtrain.protocol.EndJob;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.JobSpec;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.Protocol;
import org.dtrain.protocol.ShardChunk;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.protocol.ShardInfo;
import org.dtrain.protocol.ShardsLoaded;
import org.dtrain.protocol.StartStep;
import org.dtrain.protocol.StatusRequest;
import org.dtrain.protocol.StepFailed;
import org.dtrain.protocol.WorkerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WorkerSessionTest {
  private static final String W = "w-1";

  /** Sends every message but the last, expecting no reply to them; returns the last one's replies. */
  private static List<Message> sendAll(WorkerSession s, List<? extends Message> ms) {
    for (int i = 0; i < ms.size() - 1; i++) {
      assertEquals(List.of(), s.handle(ms.get(i)), "reply to " + ms.get(i));
    }
    return s.handle(ms.get(ms.size() - 1));
  }

  private static WorkerSession loaded(JobFixture job, int... hosted) {
    WorkerSession s = new WorkerSession(W);
    List<Message> replies = sendAll(s, job.load(hosted));
    assertEquals(List.of(new ShardsLoaded(job.header(0), W, ids(hosted))), replies);
    return s;
  }

  private static JobFixture small(int shards) {
    return new JobFixture("job-s", JobFixture.SMALL, shards, 10 * shards + 3, 17, 2);
  }

  @Test
  void aWholeJobGivesThePartialOfTheHostedBlockBitForBit() {
    JobFixture job = new JobFixture("job-1", JobFixture.WIDE, 8, 75, 42, 2);
    WorkerSession s = new WorkerSession(W);
    assertEquals(List.of(), s.handle(job.jobSpec()));
    assertEquals(List.of(), s.handle(job.assign(4, 5, 6, 7)));
    assertEquals("loading", s.status().state());
    List<Message> rows = new ArrayList<>();
    for (int sh = 4; sh < 8; sh++) rows.addAll(job.rows(sh));
    assertEquals(List.of(new ShardsLoaded(job.header(0), W, ids(4, 5, 6, 7))), sendAll(s, rows));
    assertEquals(ids(4, 5, 6, 7), s.hostedShards());
    assertEquals("ready", s.status().state());

    // three steps with different weights across an epoch boundary: the buffers are reused
    long[][] steps = {{1, 0, 0}, {2, 0, 1}, {3, 1, 0}};
    for (long[] t : steps) {
      float[] w = job.weights(100 + t[0]);
      List<FloatChunk> split = FloatChunk.split(w);
      assertEquals(2, split.size(), "the wide model's weights travel in two chunks");
      List<Message> replies = sendAll(s,
          job.startStep(t[0], t[1], (int) t[2], split, ids(4, 5, 6, 7)));
      assertEquals(1, replies.size(), "one partial, whole (the transport cuts it): " + replies);
      List<JobFixture.Partial> got = job.reassemble(replies, t[0], W);
      List<JobFixture.Partial> expected = job.direct(w, t[1], (int) t[2], ids(4, 5, 6, 7));
      assertEquals(1, expected.size());
      assertEquals(4, expected.get(0).first());
      assertEquals(2, expected.get(0).level());
      assertSamePartials(expected, got);

      // the same sum written out by hand: (g4 + g5) + (g6 + g7)
      Parameters[] g = new Parameters[8];
      BatchStats[] st = new BatchStats[8];
      for (int sh = 4; sh < 8; sh++) {
        JobFixture.Partial leaf = job.leaf(w, t[1], (int) t[2], sh);
        g[sh] = Parameters.zeros(job.spec);
        g[sh].values().put(0, leaf.sum());
        st[sh] = leaf.stats();
      }
      g[4].add(g[5]);
      g[6].add(g[7]);
      g[4].add(g[6]);
      BatchStats byHand = st[4].plus(st[5]).plus(st[6].plus(st[7]));
      assertSamePartials(List.of(new JobFixture.Partial(4, 2, g[4].toArray(), byHand)), got);
      assertTrue(byHand.samples() > 0);
      assertTrue(Arrays.stream(JobFixture.bits(got.get(0).sum())).anyMatch(b -> b != 0),
          "a gradient that is not all zeros");
    }
  }

  @Test
  void overADataLinkTheWeightsBufferIsKeptWithoutACopyAndThePartialIsAViewWithTheSameBits() {
    JobFixture job = small(4);
    WorkerSession s = loaded(job, 0, 1, 2, 3);
    TensorBuffers link = new TensorBuffers();
    s.dataLink(new BufferExchange() { // as WorkerActor's, over a Link
      @Override
      public boolean exchange(FloatBuffer received, FloatBuffer replaced) {
        return link.exchange(received, replaced);
      }

      @Override
      public FloatBuffer handOver(FloatBuffer sent) {
        return link.handOver(sent);
      }
    });
    FloatBuffer kept = null;
    FloatBuffer sent = null;
    for (long t = 1; t <= 4; t++) {
      float[] w = job.weights(40 + t);
      FloatBuffer received = link.lend(w.length); // as the link's decoder does
      received.put(0, w);
      if (kept != null) {
        assertNotSame(kept, received, "the buffer the weights live in is not lent again");
        assertTrue(received.isDirect());
      }
      long epoch = (t - 1) / 2; // two steps per epoch
      int inEpoch = (int) ((t - 1) % 2);
      List<Message> replies = sendAll(s, job.startStep(t, epoch, inEpoch,
          List.of(new FloatChunk(received, 0, w.length, 0, w.length)), ids(0, 1, 2, 3)));
      link.giveBack(received); // the actor gives every step's weights back: kept, so ignored
      assertEquals(1, replies.size());
      FloatChunk g = ((ShardGradients) replies.get(0)).gradient();
      assertTrue(g.values().isDirect() && !g.values().hasArray(), "a view of the tree: " + g);
      assertSamePartials(job.direct(w, epoch, inEpoch, ids(0, 1, 2, 3)),
          job.reassemble(replies, t, W));
      if (sent != null) {
        assertNotSame(sent, g.values(), "the tree went on in the buffer it got for the last one");
        assertTrue(link.sendingBytes(g.values()) != null, "handed over: sent as it is");
        link.written(g.values()); // as the link does once the frame is out: lent again, to the
      } //                           tree two steps on, with the old values in it (overwritten)
      kept = received;
      sent = g.values();
    }
    s.dataLink(null); // the link went down: weights are copied, partials are copies again
    float[] w = job.weights(50);
    List<Message> replies = sendAll(s, job.startStep(5, 2, 0, FloatChunk.split(w), ids(0, 1, 2, 3)));
    assertTrue(((ShardGradients) replies.get(0)).gradient().values().hasArray());
    assertSamePartials(job.direct(w, 2, 0, ids(0, 1, 2, 3)), job.reassemble(replies, 5, W));
  }

  @Test
  void aStepWithoutWeightsComputesShardsAgainWithTheWeightsOfThatStep() {
    JobFixture job = small(8);
    WorkerSession s = new WorkerSession(W);
    s.handle(job.jobSpec());
    assertEquals(1, sendAll(s, job.load(0, 1, 2, 3)).size());
    float[] w = job.weights(31);
    List<Message> first = sendAll(s, job.startStep(4, 1, 0, FloatChunk.split(w), ids(0, 1)));
    assertSamePartials(job.direct(w, 1, 0, ids(0, 1)), job.reassemble(first, 4, W));

    // shards 2 and 3 of the same step (say, those of a worker that died): no weights sent
    FloatChunk none = new FloatChunk(new float[0], 0, 0, 0, w.length);
    List<Message> again = s.handle(new StartStep(job.header(4), 1, 0, ids(2, 3), none));
    assertSamePartials(job.direct(w, 1, 0, ids(2, 3)), job.reassemble(again, 4, W));
    assertEquals(List.of(), s.handle(new StartStep(job.header(3), 1, 0, ids(2), none)),
        "an old step: dropped");
    List<Message> never = s.handle(new StartStep(job.header(5), 1, 1, ids(2), none));
    StepFailed f = assertInstanceOf(StepFailed.class, never.get(0));
    assertTrue(f.reason().contains("never had that step's weights"), f.reason());
  }

  @Test
  void shardsAskedForBeforeTheWeightsAreInAreComputedWithTheStep() {
    JobFixture job = small(8);
    WorkerSession s = new WorkerSession(W);
    s.handle(job.jobSpec());
    sendAll(s, job.load(0, 1, 2, 3));
    float[] w = job.weights(32);
    List<StartStep> chunks = job.startStep(2, 0, 1, chunks(w, 7), ids(0, 1));
    assertEquals(List.of(), s.handle(chunks.get(0)));
    FloatChunk none = new FloatChunk(new float[0], 0, 0, 0, w.length);
    assertEquals(List.of(), s.handle(new StartStep(job.header(2), 0, 1, ids(3), none)));
    List<Message> replies = sendAll(s, chunks.subList(1, chunks.size()));
    assertSamePartials(job.direct(w, 0, 1, ids(0, 1, 3)), job.reassemble(replies, 2, W));
  }

  @Test
  void shardsComputedOnSeveralThreadsGiveTheSameBits() {
    JobFixture job = new JobFixture("job-p", JobFixture.WIDE, 8, 75, 42, 2);
    WorkerSession one = new WorkerSession(W, null, 1);
    WorkerSession three = new WorkerSession(W, null, 3);
    try {
      for (WorkerSession s : List.of(one, three)) {
        s.handle(job.jobSpec());
        s.handle(job.assign(0, 1, 2, 3, 4, 5, 6));
        List<Message> rows = new ArrayList<>();
        for (int sh = 0; sh < 7; sh++) rows.addAll(job.rows(sh));
        assertEquals(1, sendAll(s, rows).size());
      }
      for (long t = 1; t <= 3; t++) {
        float[] w = job.weights(200 + t);
        List<FloatChunk> split = FloatChunk.split(w);
        List<Integer> shards = ids(0, 1, 2, 3, 4, 5, 6);
        long epoch = (t - 1) / 2;
        int j = (int) ((t - 1) % 2); // two steps per epoch
        List<JobFixture.Partial> a = job.reassemble(
            sendAll(one, job.startStep(t, epoch, j, split, shards)), t, W);
        List<JobFixture.Partial> b = job.reassemble(
            sendAll(three, job.startStep(t, epoch, j, split, shards)), t, W);
        assertSamePartials(a, b);
        assertSamePartials(job.direct(w, epoch, j, shards), b);
      }
    } finally {
      one.close();
      three.close();
    }
  }

  static Stream<Arguments> layouts() {
    return Stream.of(
        Arguments.of(8, new int[] {1, 2, 3}, List.of("1/0", "2/1")),
        Arguments.of(8, new int[] {4, 5, 6, 7}, List.of("4/2")),
        Arguments.of(8, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, List.of("0/3")),
        Arguments.of(8, new int[] {0, 3, 4, 5}, List.of("0/0", "3/0", "4/1")),
        Arguments.of(8, new int[] {5}, List.of("5/0")),
        Arguments.of(5, new int[] {2, 3, 4}, List.of("2/1", "4/2")),
        Arguments.of(7, new int[] {4, 5, 6}, List.of("4/2")),
        Arguments.of(1, new int[] {0}, List.of("0/0")));
  }

  @ParameterizedTest(name = "S={0} hosting {1}")
  @MethodSource("layouts")
  void sendsTheTopsOfTheAlignedSubtreesItHosts(int shards, int[] hosted, List<String> tops) {
    JobFixture job = small(shards);
    WorkerSession s = loaded(job, hosted);
    float[] w = job.weights(9);
    List<Message> replies = sendAll(s, job.startStep(1, 0, 1, chunks(w, 10), ids(hosted)));
    List<JobFixture.Partial> got = job.reassemble(replies, 1, W);
    assertEquals(tops, got.stream().map(p -> p.first() + "/" + p.level()).toList());
    assertSamePartials(job.direct(w, 0, 1, ids(hosted)), got);
  }

  @Test
  void aListedShardItDoesNotHostIsAnExplicitFailure() {
    JobFixture job = small(8);
    WorkerSession s = loaded(job, 4, 5);
    float[] w = job.weights(3);
    List<Message> replies = sendAll(s, job.startStep(1, 0, 0, chunks(w, 20), ids(4, 5, 6)));
    assertEquals(1, replies.size(), replies.toString());
    StepFailed f = assertInstanceOf(StepFailed.class, replies.get(0));
    assertEquals(job.header(1), f.header());
    assertEquals(W, f.workerId());
    assertEquals(6, f.shard());
    assertTrue(f.reason().contains("shard 6"), f.reason());

    // a shard id past S is no different
    replies = sendAll(s, job.startStep(2, 0, 1, chunks(w, 20), ids(4, 9)));
    f = assertInstanceOf(StepFailed.class, replies.get(0));
    assertEquals(9, f.shard());
    assertEquals(1, replies.size());

    // and the worker still computes what it does host
    replies = sendAll(s, job.startStep(3, 1, 0, chunks(w, 20), ids(4, 5)));
    assertSamePartials(job.direct(w, 1, 0, ids(4, 5)), job.reassemble(replies, 3, W));
  }

  @Test
  void rowsThatDoNotMatchTheirChecksumFailTheShard() {
    JobFixture job = small(8);
    WorkerSession s = new WorkerSession(W);
    s.handle(job.jobSpec());
    assertEquals(List.of(), s.handle(job.assign(2, 3)));
    assertEquals(List.of(), sendAll(s, job.rows(2)), "shard 2 is fine, shard 3 is missing");
    // shard 3's first chunk flipped in one bit on the way
    List<ShardChunk> rows = new ArrayList<>(job.rows(3));
    ShardChunk c = rows.get(0);
    float[] v = new float[c.values().length()];
    for (int i = 0; i < v.length; i++) v[i] = c.values().get(i);
    v[1] = Float.intBitsToFloat(Float.floatToRawIntBits(v[1]) ^ 1);
    rows.set(0, new ShardChunk(c.header(), 3, c.part(),
        new FloatChunk(v, 0, v.length, c.values().offset(), c.values().total())));
    List<Message> replies = sendAll(s, rows);
    assertEquals(1, replies.size(), replies.toString());
    StepFailed f = assertInstanceOf(StepFailed.class, replies.get(0));
    assertEquals(3, f.shard());
    assertTrue(f.reason().contains("checksum"), f.reason());
    assertTrue(f.reason().contains(job.info(3).sha256()), f.reason());
    assertEquals(ids(2), s.hostedShards());

    // a checksum that does not match the (correct) rows fails the same way
    WorkerSession t = new WorkerSession(W);
    t.handle(job.jobSpec());
    ShardInfo good = job.info(5);
    t.handle(new AssignShards(job.header(0), List.of(new ShardInfo(5, good.rows(),
        job.info(4).sha256()))));
    replies = sendAll(t, job.rows(5));
    f = assertInstanceOf(StepFailed.class, replies.get(0));
    assertEquals(5, f.shard());
    assertTrue(f.reason().contains("checksum"), f.reason());
    assertEquals(List.of(), t.hostedShards());
    // so a step that needs it fails explicitly
    replies = sendAll(t, job.startStep(1, 0, 0, chunks(job.weights(1), 50), ids(5)));
    assertEquals(5, assertInstanceOf(StepFailed.class, replies.get(0)).shard());
  }

  @Test
  void messagesOfAnotherJobOrProtocolVersionAreDropped() {
    JobFixture job = small(4);
    WorkerSession s = loaded(job, 0, 1);
    float[] w = job.weights(5);
    float[] other = job.weights(6);
    List<FloatChunk> cs = chunks(w, 10);
    List<FloatChunk> bad = chunks(other, 10);
    Header foreign = Header.of("job-other", 1);
    Header future = new Header(99, job.jobId, 1);
    for (int i = 0; i < bad.size(); i++) {
      assertEquals(List.of(), s.handle(new StartStep(foreign, 0, 0, ids(0, 1), bad.get(i))));
      assertEquals(List.of(), s.handle(new StartStep(future, 0, 0, ids(0, 1), bad.get(i))));
    }
    assertEquals(List.of(), s.handle(new StatusRequest(future)));
    assertEquals(List.of(), s.handle(new StatusRequest(Header.of("job-other", 0))));
    assertEquals(List.of(), s.handle(new AssignShards(foreign, List.of(job.info(2)))));
    assertEquals(List.of(), s.handle(new EndJob(foreign, "not yours")));
    assertEquals(List.of(), s.handle(new EndJob(new Header(99, job.jobId, 0), "not yours")));
    // a job spec of another protocol version does not replace the job
    JobSpec j = job.jobSpec();
    assertEquals(List.of(), s.handle(new JobSpec(new Header(99, "job-new", 0), j.spec(), j.seed(),
        j.shards(), j.stepsPerEpoch(), j.fullBatch(), j.features(), j.outputs())));
    assertEquals(ids(0, 1), s.hostedShards());

    // none of it was applied: the real step 1 computes with its own weights
    List<Message> replies = sendAll(s, job.startStep(1, 0, 1, cs, ids(0, 1)));
    assertSamePartials(job.direct(w, 0, 1, ids(0, 1)), job.reassemble(replies, 1, W));
  }

  @Test
  void weightsOfAnOlderStepAreDropped() {
    JobFixture job = small(4);
    WorkerSession s = loaded(job, 2, 3);
    float[] w1 = job.weights(1);
    float[] w2 = job.weights(2);
    float[] w3 = job.weights(3);
    List<StartStep> step1 = job.startStep(1, 0, 0, chunks(w1, 10), ids(2, 3));
    List<StartStep> step2 = job.startStep(2, 0, 1, chunks(w2, 10), ids(2, 3));
    List<StartStep> step3 = job.startStep(3, 1, 0, chunks(w3, 10), ids(2, 3));
    assertSamePartials(job.direct(w2, 0, 1, ids(2, 3)), job.reassemble(sendAll(s, step2), 2, W));
    for (StartStep m : step1) assertEquals(List.of(), s.handle(m), "old step: " + m);

    // a late chunk of step 2 while step 3 is being assembled is not written into step 3's weights
    assertEquals(List.of(), s.handle(step3.get(0)));
    assertEquals(List.of(), s.handle(step3.get(1)));
    for (StartStep m : step2) assertEquals(List.of(), s.handle(m), "old step: " + m);
    for (StartStep m : step1) assertEquals(List.of(), s.handle(m), "old step: " + m);
    List<Message> replies = sendAll(s, step3.subList(2, step3.size()));
    assertSamePartials(job.direct(w3, 1, 0, ids(2, 3)), job.reassemble(replies, 3, W));
  }

  @Test
  void aDuplicateWeightChunkIsIgnored() {
    JobFixture job = small(8);
    WorkerSession s = loaded(job, 0, 1, 2, 3);
    float[] w = job.weights(8);
    List<StartStep> m = job.startStep(1, 0, 0, chunks(w, 10), ids(0, 1, 2, 3));
    assertEquals(5, m.size());
    // a chunk at the same offset with other values: the first one counts
    float[] junk = new float[10];
    Arrays.fill(junk, Float.NaN);
    StartStep forged = new StartStep(job.header(1), 0, 0, ids(0, 1, 2, 3),
        new FloatChunk(junk, 0, 10, 10, w.length));
    assertEquals(List.of(), s.handle(m.get(1)));
    assertEquals(List.of(), s.handle(m.get(3)));
    assertEquals(List.of(), s.handle(m.get(1)));
    assertEquals(List.of(), s.handle(forged));
    assertEquals(List.of(), s.handle(m.get(0)));
    assertEquals(List.of(), s.handle(m.get(3)));
    assertEquals(List.of(), s.handle(m.get(2)));
    List<Message> replies = s.handle(m.get(4));
    List<JobFixture.Partial> got = job.reassemble(replies, 1, W);
    assertSamePartials(job.direct(w, 0, 0, ids(0, 1, 2, 3)), got);
    // once the step is computed, a repeated chunk does not compute it again
    for (StartStep x : m) assertEquals(List.of(), s.handle(x), "repeat of " + x);
  }

  @Test
  void aDuplicateRowChunkIsIgnored() {
    JobFixture job = small(4);
    WorkerSession s = new WorkerSession(W);
    s.handle(job.jobSpec());
    s.handle(job.assign(1));
    List<ShardChunk> rows = job.rows(1);
    assertEquals(2, rows.size());
    assertEquals(List.of(), s.handle(rows.get(0)));
    assertEquals(List.of(), s.handle(rows.get(0)));
    assertEquals(List.of(new ShardsLoaded(job.header(0), W, ids(1))), s.handle(rows.get(1)));
    assertEquals(List.of(), s.handle(rows.get(1)), "rows of a shard that is no longer loading");
    assertEquals(List.of(), s.handle(rows.get(0)));
  }

  @Test
  void endJobClearsTheState() {
    JobFixture job = small(4);
    WorkerSession s = loaded(job, 0, 1, 2, 3);
    float[] w = job.weights(4);
    List<StartStep> step1 = job.startStep(1, 0, 0, chunks(w, 10), ids(0, 1, 2, 3));
    assertEquals(List.of(), s.handle(step1.get(0)));
    assertEquals(List.of(), s.handle(new EndJob(job.header(0), "finished")));
    assertEquals(List.of(), s.hostedShards());
    WorkerStatus st = s.status();
    assertEquals("idle", st.state());
    assertEquals("", st.header().jobId());
    assertEquals(List.of(), st.shards());
    // the old job's messages are now dropped
    for (StartStep m : step1) assertEquals(List.of(), s.handle(m));
    for (Message m : job.rows(0)) assertEquals(List.of(), s.handle(m));
    assertEquals(List.of(), s.handle(new StatusRequest(job.header(0))));

    // a new job starts from nothing: its shards must be shipped again
    JobFixture next = new JobFixture("job-next", JobFixture.SMALL, 4, 43, 18, 2);
    assertEquals(List.of(new ShardsLoaded(next.header(0), W, ids(3))), sendAll(s, next.load(3)));
    List<Message> replies = sendAll(s, next.startStep(1, 0, 0, chunks(w, 10), ids(3)));
    assertSamePartials(next.direct(w, 0, 0, ids(3)), next.reassemble(replies, 1, W));
  }

  @Test
  void aNewJobReplacesTheOldOneAndARepeatedSpecIsIgnored() {
    JobFixture job = small(4);
    WorkerSession s = loaded(job, 0, 1);
    assertEquals(List.of(), s.handle(job.jobSpec()), "the same job again");
    assertEquals(ids(0, 1), s.hostedShards());
    JobFixture next = new JobFixture("job-next", JobFixture.SMALL, 2, 30, 5, 1);
    assertEquals(List.of(), s.handle(next.jobSpec()));
    assertEquals(List.of(), s.hostedShards());
    assertEquals(List.of(), s.handle(job.assign(0)), "the old job is gone");
    assertEquals(List.of(new ShardsLoaded(next.header(0), W, ids(0, 1))),
        sendAll(s, next.load(0, 1).subList(1, next.load(0, 1).size())));
  }

  @Test
  void reassigningShardsItHoldsNeedsNoRows() {
    JobFixture job = small(8);
    WorkerSession s = loaded(job, 4, 5, 6, 7);
    assertEquals(List.of(new ShardsLoaded(job.header(0), W, ids(4, 5, 6, 7))),
        s.handle(job.assign(4, 5, 6, 7)));
    assertEquals(List.of(new ShardsLoaded(job.header(0), W, ids(4, 5))), s.handle(job.assign(4, 5)));
    assertEquals(ids(4, 5), s.hostedShards());
    List<Message> replies = sendAll(s,
        job.startStep(1, 0, 0, chunks(job.weights(1), 43), ids(4, 5, 6)));
    assertEquals(6, assertInstanceOf(StepFailed.class, replies.get(0)).shard());

    // a shard the job does not have is refused at once
    List<Message> r = s.handle(new AssignShards(job.header(0),
        List.of(new ShardInfo(8, 3, job.info(0).sha256()))));
    assertEquals(8, assertInstanceOf(StepFailed.class, r.get(0)).shard());
  }

  @Test
  void statusTellsStateAndShards() {
    JobFixture job = small(4);
    WorkerSession s = new WorkerSession(W);
    assertEquals(new WorkerStatus(Header.of("", 0), W, "idle", List.of(), 0), s.status());
    s.handle(job.jobSpec());
    s.handle(job.assign(2));
    assertEquals("loading", s.status().state());
    sendAll(s, job.rows(2));
    List<Message> r = s.handle(new StatusRequest(job.header(0)));
    assertEquals(List.of(new WorkerStatus(job.header(0), W, "ready", ids(2), 0)), r);
    sendAll(s, job.startStep(3, 0, 0, chunks(job.weights(2), 43), ids(2)));
    WorkerStatus st = s.status();
    assertEquals(job.header(3), st.header());
    assertEquals("ready", st.state());
    assertTrue(st.lastComputeNanos() >= 0);
  }

  @Test
  void registersWithItsIdAndProtocol() {
    var r = new WorkerSession("w-9").register();
    assertEquals("w-9", r.workerId());
    assertEquals(Protocol.VERSION, r.header().protocol());
    assertEquals("", r.header().jobId());
    assertTrue(r.cores() > 0);
    assertNotEquals(null, r.dtrainVersion());
  }

  // ---- --data-on-workers: the worker reads the rows itself ---------------------------------------

  private static final String CONFIG = "data = \"train.csv\"\nseed = 17\n";

  @Test
  void withADataConfigTheWorkerReadsSlicesAndChecksItsShardsWithoutAnyChunk() {
    JobFixture job = small(4);
    List<String> asked = new ArrayList<>();
    WorkerSession s = new WorkerSession(W, config -> {
      asked.add(config);
      return job.dataset("train.csv");
    });
    assertEquals(List.of(), s.handle(job.jobSpec()));
    assertEquals(List.of(new ShardsLoaded(job.header(0), W, ids(1, 2))),
        s.handle(job.assignReading(CONFIG, 1, 2)));
    assertEquals(List.of(CONFIG), asked, "the data set is read once, with the coordinator's config");
    assertEquals(ids(1, 2), s.hostedShards(), "only its own shards");
    assertEquals("ready", s.status().state());
    // chunks are not expected in this mode: dropped
    assertEquals(List.of(), s.handle(job.rows(1).get(0)));

    // the shards it read compute the same bits as shipped rows
    float[] w = job.weights(7);
    List<Message> replies = sendAll(s, job.startStep(1, 0, 1, FloatChunk.split(w), ids(1, 2)));
    assertSamePartials(job.direct(w, 0, 1, ids(1, 2)), job.reassemble(replies, 1, W));

    // a reassignment to shards it holds reads nothing
    assertEquals(List.of(new ShardsLoaded(job.header(0), W, ids(1))),
        s.handle(job.assignReading(CONFIG, 1)));
    assertEquals(1, asked.size());
  }

  @Test
  void aFileThatDiffersGivesStepFailedNamingTheShardAndBothChecksums() {
    JobFixture job = small(4);
    Dataset other = job.dataset("train.csv");
    ShardPlan plan = new ShardPlan(job.rows, 4);
    float[] x = other.x().clone();
    x[plan.start(3) * job.spec.inputs() + 1] += 0.5f; // one value of shard 3
    Dataset changed = Dataset.of("train.csv", other.featureNames(), x, other.y(), null,
        job.spec.outputs());
    String workerSha = ShardData.slice(3, x, other.y(), job.spec.inputs(), job.spec.outputs(),
        plan.start(3), plan.size(3)).sha256();
    WorkerSession s = new WorkerSession(W, config -> changed);
    s.handle(job.jobSpec());
    List<Message> replies = s.handle(job.assignReading(CONFIG, 2, 3));
    assertEquals(1, replies.size(), replies::toString);
    StepFailed f = assertInstanceOf(StepFailed.class, replies.get(0));
    assertEquals(3, f.shard());
    assertTrue(f.reason().contains(workerSha) && f.reason().contains(job.info(3).sha256())
        && f.reason().contains("train.csv"), f.reason());
    assertNotEquals(workerSha, job.info(3).sha256());
  }

  @Test
  void unreadableOrOtherSizedDataGivesStepFailed() {
    JobFixture job = small(4);
    WorkerSession missing = new WorkerSession(W, config -> {
      throw new IllegalArgumentException("--data: no such file: train.csv");
    });
    missing.handle(job.jobSpec());
    StepFailed f = assertInstanceOf(StepFailed.class,
        missing.handle(job.assignReading(CONFIG, 0)).get(0));
    assertEquals(-1, f.shard());
    assertTrue(f.reason().contains("no such file: train.csv"), f.reason());

    Dataset all = job.dataset("train.csv");
    int fewer = job.rows - 1;
    Dataset shorter = Dataset.of("train.csv", all.featureNames(),
        Arrays.copyOf(all.x(), fewer * job.spec.inputs()),
        Arrays.copyOf(all.y(), fewer * job.spec.outputs()), null, job.spec.outputs());
    WorkerSession s = new WorkerSession(W, config -> shorter);
    s.handle(job.jobSpec());
    f = assertInstanceOf(StepFailed.class, s.handle(job.assignReading(CONFIG, 0)).get(0));
    assertTrue(f.reason().contains(fewer + " rows") && f.reason().contains(job.rows + " rows"),
        f.reason());

    WorkerSession none = new WorkerSession(W); // in one JVM: no loader
    none.handle(job.jobSpec());
    f = assertInstanceOf(StepFailed.class, none.handle(job.assignReading(CONFIG, 0)).get(0));
    assertTrue(f.reason().contains("cannot read the training data"), f.reason());
  }
}
