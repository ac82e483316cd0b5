package org.dtrain.protocol;

import java.util.List;

/**
 * A worker's place in a step of {@code --reduction tree}: which shards its children in the workers'
 * reduction tree deliver, and where it sends the nodes of the fixed shard tree it then holds. The
 * worker adds its own shards and its children's partials in the shard tree (the same additions the
 * coordinator would make) and forwards what it holds to its parent, or to the coordinator at the root.
 *
 * @param parentId the parent worker's id; "" when the parent is the coordinator (this worker is the
 *     root of the workers' tree)
 * @param parentAddress where the parent worker is reached: its actor's address (an Akka serialized
 *     actor path); "" when the parent is the coordinator, or while the coordinator's job logic, which
 *     knows workers by id only, has not filled it in yet
 * @param children the workers whose partials this worker waits for
 * @param awaited the shards its children's subtrees compute: the worker forwards once these and its
 *     own shards are in
 */
public record ReductionTarget(String parentId, String parentAddress, List<String> children,
    List<Integer> awaited) {
  public ReductionTarget {
    if (parentId == null || parentAddress == null) {
      throw new IllegalArgumentException("parent id and address must not be null");
    }
    children = List.copyOf(children);
    awaited = List.copyOf(awaited);
  }

  /** Whether this worker sends to the coordinator (it is the root of the workers' tree). */
  public boolean toCoordinator() {
    return parentId.isEmpty();
  }

  /** The same target, its parent reached at {@code address}. */
  public ReductionTarget withParentAddress(String address) {
    return new ReductionTarget(parentId, address, children, awaited);
  }
}
