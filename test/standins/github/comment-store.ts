import { notFound, validationFailed } from './api-error.js';
import type { CommentRecord, ReactionContent, ReactionRecord } from './records.js';
import type { GitHubState } from './state.js';

const reactionContents: readonly ReactionContent[] = [
  '+1',
  '-1',
  'laugh',
  'confused',
  'heart',
  'hooray',
  'rocket',
  'eyes',
];

/** Issue comments and their reactions. */
export class CommentStore {
  constructor(private readonly state: GitHubState) {}

  /** Adds a comment to an issue or pull request as `author`. */
  create(input: { repo: string; issueNumber: number; body: string; author: string }): CommentRecord {
    const pull = this.state.pulls.read({ repo: input.repo, number: input.issueNumber });
    if (typeof input.body !== 'string' || input.body === '') throw validationFailed('IssueComment', 'body');
    this.state.ensureUser({ login: input.author });
    const now = this.state.timestamp();
    const comment: CommentRecord = {
      repo: pull.repo,
      issueNumber: pull.number,
      id: this.state.allocateId(),
      body: input.body,
      author: input.author,
      createdAt: now,
      updatedAt: now,
    };
    this.state.data.comments.push(comment);
    pull.updatedAt = now;
    return comment;
  }

  /** Reads a comment of the repository; 404 when missing. */
  read(input: { repo: string; id: number }): CommentRecord {
    const repository = this.state.readRepository(input.repo);
    const comment = this.state.data.comments.find((c) => c.repo === repository.fullName && c.id === Number(input.id));
    if (!comment) throw notFound();
    return comment;
  }

  /** Replaces a comment's body. */
  update(input: { repo: string; id: number; body: string }): CommentRecord {
    const comment = this.read(input);
    if (typeof input.body !== 'string' || input.body === '') throw validationFailed('IssueComment', 'body');
    comment.body = input.body;
    comment.updatedAt = this.state.timestamp();
    this.state.pulls.read({ repo: comment.repo, number: comment.issueNumber }).updatedAt = comment.updatedAt;
    return comment;
  }

  /** Deletes a comment and its reactions. */
  delete(input: { repo: string; id: number }): void {
    const comment = this.read(input);
    this.state.data.comments = this.state.data.comments.filter((c) => c !== comment);
    this.state.data.reactions = this.state.data.reactions.filter((r) => r.commentId !== comment.id);
  }

  /** Hides a comment as GraphQL's minimizeComment does; `nodeId` is the comment's REST `node_id`. */
  minimize(input: { nodeId: string; classifier: string }): CommentRecord | undefined {
    const match = /^\d+:IssueComment(\d+)$/.exec(Buffer.from(input.nodeId, 'base64').toString('utf8'));
    const comment = match ? this.state.data.comments.find((c) => c.id === Number(match[1])) : undefined;
    if (comment) comment.minimizedReason = input.classifier.toLowerCase().replace(/_/g, '-');
    return comment;
  }

  /** Comments on one issue, oldest first. */
  list(input: { repo: string; issueNumber: number }): CommentRecord[] {
    const pull = this.state.pulls.read({ repo: input.repo, number: input.issueNumber });
    return this.state.data.comments.filter((c) => c.repo === pull.repo && c.issueNumber === pull.number);
  }

  /** Adds a reaction; the same user and content again returns the existing one with `created: false`. */
  addReaction(input: { repo: string; commentId: number; content: ReactionContent; user: string }): {
    reaction: ReactionRecord;
    created: boolean;
  } {
    const comment = this.read({ repo: input.repo, id: input.commentId });
    if (!reactionContents.includes(input.content)) throw validationFailed('Reaction', 'content');
    const existing = this.state.data.reactions.find(
      (r) => r.commentId === comment.id && r.content === input.content && r.user === input.user,
    );
    if (existing) return { reaction: existing, created: false };
    this.state.ensureUser({ login: input.user });
    const reaction: ReactionRecord = {
      id: this.state.allocateId(),
      commentId: comment.id,
      content: input.content,
      user: input.user,
      createdAt: this.state.timestamp(),
    };
    this.state.data.reactions.push(reaction);
    return { reaction, created: true };
  }
}
