/** Something that can hold a concurrency group: a run or a job. */
export interface GroupMember {
  /** Called when cancel-in-progress cancels it while it holds the group. */
  cancel(reason: string): void;
}

interface Waiter {
  member: GroupMember;
  admit: (admitted: boolean) => void;
}

interface Group {
  running?: GroupMember;
  pending?: Waiter;
}

/**
 * GitHub's concurrency semantics ("Control the concurrency of workflows and jobs"): per group at most one running
 * and one pending; a newly queued member replaces (cancels) the pending one; with cancel-in-progress it also cancels
 * the running one. Groups are shared by every workflow and job of the repository.
 */
export class ConcurrencyGroups {
  private readonly groups = new Map<string, Group>();

  /**
   * Waits until `member` holds `group`. Resolves true when it does (call `release` when it ends), false when a
   * later member replaced it while pending (it never ran).
   */
  acquire(group: string, member: GroupMember, cancelInProgress: boolean): Promise<boolean> {
    const state = this.groups.get(group) ?? {};
    this.groups.set(group, state);
    if (!state.running) {
      state.running = member;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((admit) => {
      const replaced = state.pending;
      state.pending = { member, admit };
      replaced?.admit(false);
      if (cancelInProgress) state.running?.cancel(`cancelled by a newer run in concurrency group '${group}'`);
    });
  }

  /** Takes a pending member out of `group` (its run was cancelled): its acquire resolves false. */
  withdraw(group: string, member: GroupMember): void {
    const state = this.groups.get(group);
    if (state?.pending?.member !== member) return;
    const waiter = state.pending;
    state.pending = undefined;
    waiter.admit(false);
  }

  /** Lets the pending member of `group` (if any) start. */
  release(group: string, member: GroupMember): void {
    const state = this.groups.get(group);
    if (!state || state.running !== member) return;
    const next = state.pending;
    state.pending = undefined;
    state.running = next?.member;
    if (!next) this.groups.delete(group);
    next?.admit(true);
  }
}
