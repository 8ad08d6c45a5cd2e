import { buildSchema, type GraphQLSchema } from 'graphql';

/** The slice of GitHub's GraphQL schema our actions query, with GitHub's names and nullability. */
const sdl = /* GraphQL */ `
  scalar DateTime
  scalar GitObjectID
  scalar URI

  enum PullRequestState {
    OPEN
    CLOSED
    MERGED
  }
  enum IssueOrderField {
    CREATED_AT
    UPDATED_AT
    COMMENTS
  }
  enum OrderDirection {
    ASC
    DESC
  }
  input IssueOrder {
    field: IssueOrderField!
    direction: OrderDirection!
  }

  interface Actor {
    login: String!
    url: URI!
  }
  type User implements Actor {
    login: String!
    url: URI!
    databaseId: Int
  }
  type Bot implements Actor {
    login: String!
    url: URI!
    databaseId: Int
  }
  type Organization implements Actor {
    login: String!
    url: URI!
    databaseId: Int
  }

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type Label {
    id: ID!
    name: String!
    color: String!
  }
  type LabelConnection {
    nodes: [Label]
    totalCount: Int!
    pageInfo: PageInfo!
  }

  type PullRequest {
    id: ID!
    databaseId: Int
    number: Int!
    title: String!
    body: String!
    url: URI!
    state: PullRequestState!
    merged: Boolean!
    mergedAt: DateTime
    closed: Boolean!
    closedAt: DateTime
    createdAt: DateTime!
    updatedAt: DateTime!
    isDraft: Boolean!
    headRefName: String!
    headRefOid: GitObjectID!
    baseRefName: String!
    isCrossRepository: Boolean!
    author: Actor
    headRepository: Repository
    labels(first: Int, last: Int, after: String): LabelConnection
  }
  type PullRequestConnection {
    nodes: [PullRequest]
    totalCount: Int!
    pageInfo: PageInfo!
  }

  type Repository {
    id: ID!
    databaseId: Int
    name: String!
    nameWithOwner: String!
    owner: Actor!
    url: URI!
    pullRequest(number: Int!): PullRequest
    pullRequests(
      states: [PullRequestState!]
      labels: [String!]
      baseRefName: String
      headRefName: String
      orderBy: IssueOrder
      first: Int
      last: Int
      after: String
    ): PullRequestConnection!
  }

  type RateLimit {
    cost: Int!
    limit: Int!
    nodeCount: Int!
    remaining: Int!
    resetAt: DateTime!
    used: Int!
  }

  enum ReportedContentClassifiers {
    SPAM
    ABUSE
    OFF_TOPIC
    OUTDATED
    DUPLICATE
    RESOLVED
    LOW_QUALITY
  }
  interface Minimizable {
    isMinimized: Boolean!
    minimizedReason: String
    viewerCanMinimize: Boolean!
  }
  type IssueComment implements Minimizable {
    id: ID!
    databaseId: Int
    body: String!
    isMinimized: Boolean!
    minimizedReason: String
    viewerCanMinimize: Boolean!
  }
  input MinimizeCommentInput {
    subjectId: ID!
    classifier: ReportedContentClassifiers!
    clientMutationId: String
  }
  type MinimizeCommentPayload {
    clientMutationId: String
    minimizedComment: Minimizable
  }

  type Mutation {
    minimizeComment(input: MinimizeCommentInput!): MinimizeCommentPayload
  }

  type Query {
    repository(owner: String!, name: String!, followRenames: Boolean): Repository
    rateLimit(dryRun: Boolean): RateLimit
    viewer: User!
  }
`;

let schema: GraphQLSchema | undefined;

/** Returns the stand-in's GraphQL schema, built once. */
export function readGraphQLSchema(): GraphQLSchema {
  schema ??= buildSchema(sdl);
  return schema;
}
